from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from accounts.forms import LoginForm
from api import views as api_views
from api.endpoints import api
from footcare import pwa
from streaks.views import home

# A database too busy to answer gets 503, not 500; a form Django cannot read
# gets 400, not a 500 from a second CSRF check (footcare/errors.py).
handler400 = "footcare.errors.bad_request"
handler404 = "footcare.errors.not_found"
handler500 = "footcare.errors.server_error"

urlpatterns = [
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("transfer.urls")),
    path("accounts/apps/", include("api.urls")),
    path("api/v1/", api_views.index, name="api_index"),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_views.not_found),
    path("sessions/", include("sessions.urls")),
    path("admin/", admin.site.urls),
    path("", include("streaks.urls")),
    path("", home, name="home"),
]
