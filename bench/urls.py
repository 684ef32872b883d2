"""The app's URLs plus a baseline page that only renders base.html for a
signed-in user: the yardstick the benchmark compares pages with."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import include, path


@login_required
def baseline(request):
    return render(request, "base.html")


urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("footcare.urls")),
]
