import re

from django.core import mail

from tests.conftest import PASSWORD

NEW = "another-Solid-passphrase-77"


def test_password_change(alice_client, alice):
    response = alice_client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW,
            "new_password2": NEW,
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW)


def test_password_change_with_a_wrong_old_password_changes_nothing(alice_client, alice):
    response = alice_client.post(
        "/accounts/password_change/",
        {
            "old_password": "nope",
            "new_password1": NEW,
            "new_password2": NEW,
        },
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_reset_mails_a_link_that_works_once(client, alice):
    response = client.post("/accounts/password_reset/", {"email": "ALICE@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "Footcare" in message.subject
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)

    # The link redirects to a session-bound form; setting the password uses it up.
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW)

    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, alice
):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
