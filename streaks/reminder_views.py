"""The reminder's buttons ("Done as usual", "Snooze 15 min") and a device's
"Send a test notification". Kept apart from the dashboard and statistics views.

The buttons' URL carries a signed token (streaks.reminder_messages.action_token), and
that token alone says who and what: no session cookie is needed (a service
worker posts without one), so there is no CSRF token either: a forged request
could only do what the token in it already allows, once. GET never writes (mail
scanners and link previews open links): it shows the one button to press.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import PushSubscription
from accounts.redirects import back_to
from streaks import push, reminder_messages


def _wants_json(request):
    return request.headers.get("Accept", "").startswith("application/json")


def _answer(request, action, answer, token=None):
    if _wants_json(request):
        response = JsonResponse(
            {"ok": answer.status < 400, "title": answer.title, "body": answer.message},
            status=answer.status,
        )
    else:
        context = {"action": action, "answer": answer, "token": token}
        response = render(
            request, "streaks/reminder_action.html", context, status=answer.status
        )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the token stays off other sites
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def reminder_action(request, action, token):
    if request.method == "POST":
        answer = reminder_messages.act(action, token, signed_in=request.user)
        return _answer(request, action, answer)
    try:
        send = reminder_messages.read_action(action, token, signed_in=request.user)
    except reminder_messages.Refused as refused:
        return _answer(request, action, refused.answer)
    if action == "done" and send.done_at is not None:  # no button that does nothing
        return _answer(request, action, reminder_messages.already_done(send))
    question = reminder_messages.Answer(
        200,
        reminder_messages.ACTIONS[action],
        "Log today's session like your last one?"
        if action == "done"
        else "Remind you again in 15 minutes?",
        usable=True,
    )
    return _answer(request, action, question, token)


@login_required
@require_POST
def device_test(request, pk):
    device = get_object_or_404(PushSubscription, pk=pk, user=request.user)
    result = reminder_messages.send_test_notification(device)
    if result.outcome == push.SENT:
        messages.success(request, f"Sent a test notification to {device.name}.")
    elif result.outcome == push.GONE:
        messages.warning(
            request,
            f"{device.name} no longer accepts notifications, so it was removed. "
            "To get them there again, press “Notify this device” on it.",
        )
    else:
        messages.error(
            request,
            f"The test notification to {device.name} did not go through "
            f"({result.error or 'no answer'}). Try again in a minute.",
        )
    return redirect(back_to(request, "accounts:times"))
