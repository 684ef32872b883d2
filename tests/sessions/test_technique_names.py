"""One rule for "the same technique name" (Technique.fold), kept by the
techniques page, the importer and the database alike, on SQLite and PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction

from sessions.models import Technique

URL = "/sessions/techniques/"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Arch press", "ARCH  PRESS"),
        ("Straße", "STRASSE"),  # casefold() folds ß; lower() did not
        ("École", "ÉCOLE"),  # SQLite's lower() folds ASCII only
        ("Ballon", "ballon"),
    ],
)
def test_names_the_rule_finds_the_same_clash_on_the_page(
    alice_client, alice, first, second
):
    assert alice_client.post(URL, {"name": first}).status_code == 302
    response = alice_client.post(URL, {"name": second})
    assert response.status_code == 200
    assert "You already have a technique called" in response.content.decode()
    assert Technique.objects.filter(user=alice).count() == 1


@pytest.mark.parametrize(("first", "second"), [("I", "İ"), ("ı", "I")])
def test_names_the_rule_tells_apart_are_two_techniques(
    alice_client, alice, first, second
):
    for name in (first, second):
        assert alice_client.post(URL, {"name": name}).status_code == 302
    assert Technique.objects.filter(user=alice).count() == 2


def test_a_built_in_name_in_other_case_is_taken(alice_client, alice):
    response = alice_client.post(URL, {"name": "warm-up STROKES"})
    assert response.status_code == 200
    assert not Technique.objects.filter(user=alice).exists()


@pytest.mark.parametrize(
    ("first", "second"), [("Straße", "STRASSE"), ("École", "école"), ("a  b", "A B")]
)
def test_the_database_refuses_what_the_rule_calls_the_same(alice, first, second):
    Technique.objects.create(user=alice, name=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Technique.objects.create(user=alice, name=second)


def test_the_database_keeps_what_the_rule_tells_apart(alice, charlie):
    for name in ("I", "İ", "ı"):
        Technique.objects.create(user=alice, name=name)
    Technique.objects.create(user=charlie, name="I")
    assert Technique.objects.filter(user=alice).count() == 3


def test_a_renamed_technique_clashes_under_its_new_name_only(alice_client, alice):
    own = Technique.objects.create(user=alice, name="Old")
    url = f"/sessions/techniques/{own.pk}/rename/"
    assert alice_client.post(url, {"name": "Heel Rock"}).status_code == 302
    assert alice_client.post(URL, {"name": "heel rock"}).status_code == 200
    assert alice_client.post(URL, {"name": "old"}).status_code == 302

    own.name = "Toe Tap"
    own.save(update_fields=["name"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Technique.objects.create(user=alice, name="TOE TAP")
    Technique.objects.create(user=alice, name="heel ROCK")
