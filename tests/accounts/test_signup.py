import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import User
from tests.conftest import PASSWORD
from tests.html import labels

URL = "/accounts/signup/"


def signup_data(**overrides):
    data = {
        "username": "bea",
        "email": "bea@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "timezone": "Asia/Kolkata",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_form_has_the_labelled_fields(client):
    response = client.get(URL)
    assert list(labels(response)) == [
        "Username",
        "Email",
        "Password",
        "Password confirmation",
        "Time zone",
    ]
    html = response.content.decode()
    assert "data-timezone-select" in html
    assert '<option value="Asia/Kolkata">' in html
    # The help says what the form takes: never "@" (log-in by address uses it).
    help_text = response.context["form"].fields["username"].help_text
    assert "@" not in help_text
    assert ". + - _" in help_text


@pytest.mark.django_db
def test_signing_up_creates_the_user_and_logs_them_in(client):
    response = client.post(URL, signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(username="bea")
    assert user.email == "bea@example.com"
    assert user.timezone == "Asia/Kolkata"
    assert user.check_password(PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_a_legacy_browser_zone_name_is_stored_as_the_current_one(client):
    client.post(URL, signup_data(timezone="Asia/Calcutta"))
    assert User.objects.get(username="bea").timezone == "Asia/Kolkata"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "alice"}, "username"),
        ({"email": "ALICE@example.com"}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"password2": "something-else-entirely-9"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password2"),
        ({"password1": "password", "password2": "password"}, "password2"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"username": ""}, "username"),
    ],
)
def test_bad_input_shows_errors_and_creates_nobody(client, alice, overrides, field):
    response = client.post(URL, signup_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == 1  # only alice
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_is_sent_to_the_dashboard(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_an_address_taken_between_check_and_insert_is_a_form_error(
    client, db, monkeypatch
):
    # As if another request inserted the same address after this form's checks.
    def insert_fails(user, *args, **kwargs):
        raise IntegrityError("accounts_user_email_ci_unique")

    monkeypatch.setattr("accounts.models.User.save", insert_fails)
    response = client.post(URL, signup_data())
    assert response.status_code == 200
    assert "taken a moment ago" in response.content.decode()
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session
