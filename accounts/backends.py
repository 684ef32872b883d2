from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

# The longest login name the log-in form takes: an email address can be this
# long (RFC 5321), a username is shorter. Longer names never reach the lock-out
# records (django-axes stores the name in a 255-character column).
LOGIN_MAX_LENGTH = 254


def find_user(login):
    """The user a login name means. Something that looks like an email address is
    looked up as an email first: usernames cannot contain "@" (accounts.forms), so
    nobody can take a name that shadows someone else's address. Older usernames
    with "@" still log in when no email matches. A username is matched in any
    case (phone keyboards capitalise the first letter) when that leaves one
    account: sign-up refuses a name that differs from another only in case."""
    User = get_user_model()
    login = (login or "").strip()
    if not login or len(login) > LOGIN_MAX_LENGTH:
        return None
    if "@" in login:
        user = User.objects.filter(email__iexact=login).first()
        if user is not None:
            return user
    user = User.objects.filter(username=login).first()
    if user is None:
        alike = list(User.objects.filter(username__iexact=login)[:2])
        user = alike[0] if len(alike) == 1 else None
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
    return user.username if user else login.strip().lower()[:LOGIN_MAX_LENGTH]
