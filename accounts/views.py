from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import localtime, push, schedule, timezones
from accounts.forms import (
    DeleteAccountForm,
    PreferredTimeFormSet,
    RemindersForm,
    SettingsForm,
    SignupForm,
    WeeklyTargetForm,
    WhatToRecordForm,
    slot_problems,
)
from accounts.models import (
    CalendarFeed,
    PreferredTime,
    PushSubscription,
    User,
    lock_account,
)
from accounts.redirects import back_to

# Where a new calendar token waits for the one page view that shows it (the way
# Django's password reset keeps its token out of the URL).
NEW_CALENDAR_TOKEN = "accounts_new_calendar_token"


def _saved(form, save):
    """Run `save` in a transaction, or say why not when another request took the
    name or address a moment ago (the form's own checks ran before that write)."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        form.add_error(
            None, "That username or email address was taken a moment ago. Try another."
        )
        return False
    return True


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    # Hashing the password takes a deliberate fraction of a second: do it before
    # the transaction opens, which on SQLite holds the write lock for everyone.
    user = form.save(commit=False) if form.is_valid() else None
    if user is not None and _saved(form, user.save):
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        messages.success(
            request, f"Welcome, {user.username}! Log your first session below."
        )
        return redirect("home")
    context = {"form": form, "legacy_timezones": timezones.LEGACY_NAMES}
    return render(request, "accounts/signup.html", context)


def devices_context(request):
    """What the devices section of a page needs: the user's devices and the key
    a browser subscribes with."""
    return {
        "devices": PushSubscription.objects.for_user(request.user),
        "vapid_public_key": push.public_key(push.vapid()),
        "max_devices": push.MAX_DEVICES,
        "here": request.path,
    }


@login_required
def settings_view(request, reminders_form=None):
    """Settings; with `reminders_form`, its errors after a Save reminders here."""
    data = request.POST if reminders_form is None else None
    form = SettingsForm(data or None, instance=request.user)
    if form.is_valid() and _saved(form, lambda: _update_user(form)):
        messages.success(request, "Settings saved.")
        return redirect("accounts:settings")
    context = {
        "form": form,
        "target_form": WeeklyTargetForm(instance=request.user),
        "reminders": reminders_form or RemindersForm(instance=request.user),
        "silenced": request.user.silenced_times(),
        "record_form": WhatToRecordForm(instance=request.user),
        **devices_context(request),
    }
    return render(request, "accounts/settings.html", context)


@login_required
@require_POST
def what_to_record(request):
    form = WhatToRecordForm(request.POST, instance=request.user)
    # Check boxes only: any POST is valid (an unticked box is off).
    if form.is_valid() and _saved(form, lambda: _update_user(form)):
        chosen = [
            str(form.fields[name].label).lower()
            for name in form.Meta.fields
            if form.cleaned_data[name]
        ]
        messages.success(
            request,
            "The log form now also asks: " + ", ".join(chosen) + "."
            if chosen
            else "The log form asks nothing more than comfort and the details.",
            extra_tags="record",
        )
    return redirect(reverse("accounts:settings") + "#record")


def _update_user(form):
    """Save the settings only while the account still exists: an account deleted
    from another tab meanwhile is not written again."""
    if not User.objects.select_for_update().filter(pk=form.instance.pk).exists():
        raise Http404("This account no longer exists.")
    form.save()


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if form.is_valid():
        user = request.user
        with transaction.atomic():
            # The account's row first, as logging a session takes it before the
            # techniques it links; deleting cascades to the techniques first.
            User.objects.select_for_update().filter(pk=user.pk).exists()
            user.delete()
        logout(request)
        messages.success(
            request, "Your account and everything in it have been deleted."
        )
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
def preferred_times(request, reminders_form=None):
    user = request.user
    data = request.POST if reminders_form is None else None
    formset = PreferredTimeFormSet(data or None, user=user)
    conflict = []
    if formset.is_bound and formset.is_valid():
        with transaction.atomic():
            # One editor per user at a time, so the check sees what another tab
            # saved meanwhile and nothing changes between the check and the save.
            if not lock_account(user):
                raise Http404("This account no longer exists.")
            gone = formset.slots_gone()
            if not gone:
                conflict = slot_problems(formset.slots_after_save())
                if not conflict:
                    formset.save()
        if gone:
            messages.error(
                request,
                "One of these times was deleted in another tab or window, so nothing "
                "was saved. Here are your times as they are now.",
            )
            return redirect("accounts:times")
        if not conflict:
            if "add_another" in request.POST:
                # Without a script, "Add another time" saves this block and
                # comes back with a fresh empty one.
                messages.success(request, "Saved. Add the next time below.")
                return redirect(reverse("accounts:times") + "#new-time")
            messages.success(request, "Preferred times saved.")
            return redirect("accounts:times")
    context = {
        "formset": formset,
        "suggest": not formset.initial_form_count(),
        "room_for_more": formset.total_form_count() < formset.max_num,
        "reminders": reminders_form or RemindersForm(instance=user),
        "silenced": user.silenced_times(),
        "conflict": conflict,
        "feed": CalendarFeed.objects.filter(user=user).first(),
        # Shown once, as the streaks app's feed address (feed_links tag).
        "calendar_token": request.session.pop(NEW_CALENDAR_TOKEN, ""),
        **devices_context(request),
    }
    return render(request, "accounts/times.html", context)


@login_required
@require_POST
def add_suggested_times(request):
    """The article's morning and evening times, for someone who has none yet."""
    user = request.user
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if PreferredTime.objects.for_user(user).exists():
            messages.info(request, "You already have preferred times: edit them here.")
            return redirect("accounts:times")
        for slot in schedule.SUGGESTED_SLOTS:
            PreferredTime.objects.create(
                user=user,
                label=slot.label,
                time=slot.time,
                weekdays=localtime.mask_from_days(slot.weekdays),
            )
    messages.success(
        request,
        "Added a morning time to wake up circulation and an evening one to unwind "
        "before sleep. Change them below if they don't suit you.",
    )
    return redirect("accounts:times")


@login_required
@require_POST
def reminders(request):
    form = RemindersForm(request.POST, instance=request.user)
    if not (form.is_valid() and _saved(form, lambda: _update_user(form))):
        if request.POST.get("page") == "settings":
            return settings_view(request, reminders_form=form)
        return preferred_times(request, reminders_form=form)
    state = "on" if form.instance.email_reminders else "off"
    quiet = (
        f"Quiet hours: {form.instance.quiet_from:%H:%M} to "
        f"{form.instance.quiet_until:%H:%M}."
        if form.instance.quiet_hours
        else "No quiet hours."
    )
    messages.success(
        request, f"Email reminders are {state}. {quiet}", extra_tags="reminders"
    )
    page = RemindersForm.PAGES.get(request.POST.get("page"), "accounts:times")
    return redirect(reverse(page) + "#reminders")


def _json_error(message, status=400):
    return JsonResponse({"error": message}, status=status)


@require_POST
def push_subscriptions(request):
    """Register this browser for notifications: its PushSubscription as JSON
    (``{"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}}``). 201 with the
    device, 200 if it was registered already (its keys updated), or 400 saying
    what is wrong, with nothing saved."""
    if not request.user.is_authenticated:
        return _json_error("Sign in first.", status=403)
    user = request.user
    if request.content_type != "application/json":
        # A form body was read by the CSRF check already: there is no JSON.
        return _json_error("Send the subscription as JSON (application/json).", 415)
    try:
        subscription = push.parse_subscription(request.body)
    except ValidationError as error:
        return _json_error(" ".join(error.messages))
    except RequestDataTooBig:  # past DATA_UPLOAD_MAX_MEMORY_SIZE: JSON too
        return _json_error("This is far too long to be a browser's subscription.")
    name = push.device_name(request.headers.get("User-Agent", ""))
    with transaction.atomic():
        # One registration per user at a time, so the device limit holds.
        if not lock_account(user):
            return _json_error("This account no longer exists.", status=403)
        mine = PushSubscription.objects.for_user(user)
        device = mine.filter(endpoint=subscription["endpoint"]).first()
        if device is None and mine.count() >= push.MAX_DEVICES:
            return _json_error(
                f"You can have up to {push.MAX_DEVICES} devices. Remove one first."
            )
        if device is None:
            device = PushSubscription.objects.create(
                user=user, name=name, **subscription
            )
            created = True
        else:
            mine.filter(pk=device.pk).update(
                p256dh=subscription["p256dh"], auth=subscription["auth"]
            )
            created = False
    return JsonResponse(
        {"id": device.pk, "name": device.name, "created": created},
        status=201 if created else 200,
    )


@login_required
@require_POST
def remove_device(request, pk):
    device = get_object_or_404(PushSubscription, pk=pk, user=request.user)
    PushSubscription.objects.filter(pk=device.pk, user=request.user).delete()
    messages.success(
        request, f"{device.name} was removed: it gets no more notifications."
    )
    return redirect(back_to(request, reverse("accounts:times") + "#devices"))


@login_required
@require_POST
def new_calendar_link(request):
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    request.session[NEW_CALENDAR_TOKEN] = CalendarFeed.make_new_link(request.user)
    messages.success(
        request,
        "Here is your new calendar link. The old one no longer works."
        if had_one
        else "Here is your calendar link.",
    )
    return redirect(reverse("accounts:times") + "#calendar")
