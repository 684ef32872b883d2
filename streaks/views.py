from django.shortcuts import render

from sessions.models import MassageSession
from sessions.views import new_session_form

RECENT_SESSIONS = 5


def home(request):
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    return dashboard(request)


def dashboard(request):
    user = request.user
    recent = (
        MassageSession.objects.for_user(user)
        .order_by("-started_at")
        .prefetch_related("techniques")[:RECENT_SESSIONS]
    )
    context = {"form": new_session_form(user), "recent": recent}
    return render(request, "streaks/dashboard.html", context)
