from django.urls import path

from streaks import views

urlpatterns = [
    path("", views.home, name="home"),
]
