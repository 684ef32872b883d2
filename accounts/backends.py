from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def find_user(login):
    """The user a login name means: an exact username, else an email address."""
    User = get_user_model()
    login = (login or "").strip()
    user = User.objects.filter(username=login).first()
    if user is None and "@" in login:
        user = User.objects.filter(email__iexact=login).first()
    return user


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the email address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Run the hasher anyway so a missing user takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials):
    """One lockout key per account, whether the user typed a name or an email."""
    login = (credentials or {}).get("username") or request.POST.get("username", "")
    user = find_user(login)
    return user.username if user else login.strip().lower()
