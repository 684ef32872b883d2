from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("settings/", views.settings_view, name="settings"),
    path("record/", views.what_to_record, name="what_to_record"),
    path("delete/", views.delete_account, name="delete"),
    path("times/", views.preferred_times, name="times"),
    path("times/suggested/", views.add_suggested_times, name="add_suggested_times"),
    path("times/reminders/", views.reminders, name="reminders"),
    path("times/calendar/", views.new_calendar_link, name="new_calendar_link"),
    path("push/subscriptions/", views.push_subscriptions, name="push_subscriptions"),
    path(
        "push/subscriptions/<int:pk>/delete/",
        views.remove_device,
        name="remove_device",
    ),
]
