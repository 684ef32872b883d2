from accounts.models import User
from tests.conftest import PASSWORD
from tests.html import labels

URL = "/accounts/delete/"


def test_get_asks_for_the_password_and_deletes_nothing(alice_client, alice):
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert list(labels(response)) == ["Password"]
    assert User.objects.filter(pk=alice.pk).exists()


def test_a_wrong_password_deletes_nothing(alice_client, alice):
    response = alice_client.post(URL, {"password": "wrong"})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=alice.pk).exists()
    assert "_auth_user_id" in alice_client.session


def test_the_right_password_deletes_the_user_and_logs_out(alice_client, alice, charlie):
    response = alice_client.post(URL, {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert User.objects.filter(pk=charlie.pk).exists()
    assert "_auth_user_id" not in alice_client.session
