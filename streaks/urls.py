from django.urls import path, re_path
from django.views.generic import RedirectView

from streaks import feeds, reminder_views, report_views, views

app_name = "streaks"

urlpatterns = [
    path("streaks/", views.statistics, name="stats"),
    path("streaks/when/", views.when, name="when"),
    path("streaks/insights/", views.what_works, name="insights"),
    path("streaks/year/<int:year>/", views.year, name="year"),
    path("streaks/report/", report_views.report_page, name="report"),
    path("streaks/report/share/", report_views.share, name="share_report"),
    path(
        "streaks/report/links/<str:pk>/revoke/",
        report_views.revoke,
        name="revoke_report_link",
    ),
    re_path(
        r"^report/(?P<token>[^/]{1,500})/$",
        report_views.shared,
        name="shared_report",
    ),
    # Rest days moved to the logbook; old bookmarks still find them.
    path(
        "streaks/rest-days/",
        RedirectView.as_view(pattern_name="sessions:rest_days", permanent=True),
    ),
    path("calendar/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path(
        "reminders/unsubscribe/<str:token>/",
        feeds.unsubscribe,
        name="reminder_unsubscribe",
    ),
    re_path(
        r"^reminders/(?P<action>done|snooze)/(?P<token>[^/]{1,500})/$",
        reminder_views.reminder_action,
        name="reminder_action",
    ),
    path(
        "reminders/devices/<int:pk>/test/",
        reminder_views.device_test,
        name="device_test",
    ),
]
