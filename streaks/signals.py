"""Keep derived figures fresh: any change to what a user logged bumps their
data version, which is part of every cache key for their pages, and, unless it
is a session or rest day added on one of the last few days, their history
version, which keys the older days (history.load).

The logbook does not know about statistics (imports point streaks -> sessions),
so streaks listens to its signals here. Bulk writes (seed_demo, imports) bump
by hand."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils.dateformat import format as date_format

from accounts.models import PreferredTime
from sessions.models import MassageSession, Technique
from sessions.signals import day_shown, session_saved
from streaks import history
from streaks.models import RestDay


def bump_versions(user_id, *, older_days=True):
    """Bump the user's data version, and their history version unless
    `older_days` is False: only for a change that cannot reach the older days
    history.load keeps cached (a session or rest day added within
    history.RECENT_DAYS, a technique or a preferred time). Anything that writes
    sessions or rest days without signals (bulk_create, update) calls this."""
    versions = {"data_version": F("data_version") + 1}
    if older_days:
        versions["history_version"] = F("history_version") + 1
    get_user_model().objects.filter(pk=user_id).update(**versions)


def _logged_saved(sender, instance, created, **kwargs):
    """A session or rest day saved: a new one on a recent day leaves the older
    days alone; an edit may have moved it from any day."""
    day = instance.local_date if sender is MassageSession else instance.date
    bump_versions(instance.user_id, older_days=not (created and history.is_recent(day)))


def _other_saved(sender, instance, **kwargs):
    """A technique or preferred time: not part of the days in history.load."""
    if instance.user_id is not None:
        bump_versions(instance.user_id, older_days=False)
    else:
        # A built-in technique, changed in the admin (rare): it shows on every
        # user's log form and statistics.
        get_user_model().objects.update(data_version=F("data_version") + 1)


def _deleted(sender, instance, origin=None, **kwargs):
    # Deleting accounts cascades to all they own: no version to keep fresh then.
    User = get_user_model()
    if isinstance(origin, User) or getattr(origin, "model", None) is User:
        return
    if sender in (MassageSession, RestDay):
        # Always the older days too: the row in hand may be older than the one
        # deleted (another tab may have moved the session to another day).
        bump_versions(instance.user_id)
    else:
        _other_saved(sender, instance)


def _session_techniques_changed(sender, instance, action, reverse, **kwargs):
    if action.startswith("post_") and not reverse:
        bump_versions(instance.user_id, older_days=False)


def _rest_day_note(sender, user, day, **kwargs):
    """The sessions list, showing one day, tells whether it is a rest day."""
    rest_day = RestDay.objects.for_user(user).filter(date=day).first()
    if rest_day is None:
        return []
    reason = rest_day.get_reason_display() if rest_day.reason else ""
    return [
        {
            "text": "Rest day" + (f" ({reason.lower()})" if reason else ""),
            "url": reverse("streaks:rest_days"),
        }
    ]


def _say_rest_day_is_now_practice(sender, request, session, **kwargs):
    """A session on a day marked as rest makes it a practice day: say so."""
    day = session.local_date
    if RestDay.objects.for_user(session.user).filter(date=day).exists():
        messages.info(
            request,
            f"{date_format(day, 'l j F')} was a rest day: with this session it "
            "is now a practice day.",
        )


def connect():
    day_shown.connect(_rest_day_note, dispatch_uid="streaks-rest-day-note")
    session_saved.connect(
        _say_rest_day_is_now_practice, dispatch_uid="streaks-rest-day-now-practice"
    )
    for model in (MassageSession, RestDay, Technique, PreferredTime):
        saved = _logged_saved if model in (MassageSession, RestDay) else _other_saved
        post_save.connect(saved, sender=model, dispatch_uid=f"streaks-save-{model}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"streaks-delete-{model}"
        )
    m2m_changed.connect(
        _session_techniques_changed,
        sender=MassageSession.techniques.through,
        dispatch_uid="streaks-session-techniques",
    )
