from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from accounts import timezones
from accounts.forms import DeleteAccountForm, SettingsForm, SignupForm


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if form.is_valid():
        user = form.save()
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        messages.success(
            request, f"Welcome, {user.username}! Log your first session below."
        )
        return redirect("home")
    context = {"form": form, "legacy_timezones": timezones.LEGACY_NAMES}
    return render(request, "accounts/signup.html", context)


@login_required
def settings_view(request):
    form = SettingsForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if form.is_valid():
        user = request.user
        with transaction.atomic():
            logout(request)
            user.delete()
        messages.success(
            request, "Your account and everything in it have been deleted."
        )
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
