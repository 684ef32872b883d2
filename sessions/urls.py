from django.urls import path

from sessions import views

app_name = "sessions"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_new, name="new"),
    path("guide/", views.guide_session, name="guide"),
    path("as-usual/", views.session_as_usual, name="as_usual"),
    path("<int:pk>/undo/", views.session_undo, name="undo"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/delete/", views.session_delete, name="delete"),
    path("techniques/", views.technique_list, name="techniques"),
    path(
        "techniques/<int:pk>/rename/", views.technique_rename, name="technique_rename"
    ),
    path("rest-days/", views.rest_days, name="rest_days"),
    path("weekly-target/", views.weekly_target, name="weekly_target"),
    path("rest-days/<int:pk>/delete/", views.rest_day_delete, name="rest_day_delete"),
    path("pauses/new/", views.pause_new, name="pause_new"),
    path("pauses/<int:pk>/end/", views.pause_end, name="pause_end"),
    path("pauses/<int:pk>/delete/", views.pause_delete, name="pause_delete"),
    path(
        "techniques/<int:pk>/archive/",
        views.technique_archive,
        name="technique_archive",
    ),
]
