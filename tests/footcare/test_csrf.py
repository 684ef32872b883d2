import pytest

from accounts.models import User
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/", {"username": "alice", "password": PASSWORD}),
        (
            "/accounts/signup/",
            {
                "username": "eve",
                "email": "eve@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "timezone": "UTC",
            },
        ),
        ("/accounts/password_reset/", {"email": "alice@example.com"}),
    ],
)
def test_anonymous_posts_without_a_token_are_refused(csrf_client, alice, url, data):
    response = csrf_client.post(url, data)
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert not User.objects.filter(username="eve").exists()
    assert "_auth_user_id" not in csrf_client.session


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (
            "/accounts/settings/",
            {
                "email": "x@example.com",
                "timezone": "UTC",
                "day_start_hour": "3",
                "weekly_target": "3",
            },
        ),
        ("/accounts/delete/", {"password": PASSWORD}),
        ("/accounts/logout/", {}),
        (
            "/accounts/password_change/",
            {
                "old_password": PASSWORD,
                "new_password1": "Zz-new-pass-9876",
                "new_password2": "Zz-new-pass-9876",
            },
        ),
    ],
)
def test_signed_in_posts_without_a_token_are_refused(csrf_client, alice, url, data):
    csrf_client.force_login(alice)
    response = csrf_client.post(url, data)
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert alice.check_password(PASSWORD)
    assert "_auth_user_id" in csrf_client.session
