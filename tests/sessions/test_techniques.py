import re

import pytest

from sessions.models import Technique
from tests.factories import builtin
from tests.html import text

URL = "/sessions/techniques/"


def test_the_catalog_lists_the_routine_with_how_to_text(alice_client):
    page = text(alice_client.get(URL))
    for name in (
        "Warm-up strokes",
        "Arch thumb pressure",
        "Toe pull and rotate",
        "Ankle circles",
        "Heel press",
        "Foot roller",
        "Massage ball",
        "Warm soak",
        "Massage oil or cream",
    ):
        assert name in page
    assert "heel to toe" in page
    assert "Epsom salts" in page


@pytest.mark.django_db
def test_the_catalog_endorses_no_product():
    catalog = Technique.objects.filter(user=None).values_list("name", "how_to")
    text = " ".join(" ".join(pair) for pair in catalog).lower()
    assert catalog  # the built-ins are there to check
    # No brand (the one the catalog's sources sell, or any marked one), no links.
    for sign in ("kerassentials", "®", "™", "http", "www.", ".com", "buy "):
        assert sign not in text


def test_adding_an_own_technique(alice_client, alice):
    response = alice_client.post(
        URL, {"name": "  Tennis   ball ", "how_to": "Roll it."}
    )
    assert response.status_code == 302
    own = Technique.objects.get(user=alice)
    assert (own.name, own.how_to) == ("Tennis ball", "Roll it.")


@pytest.mark.parametrize("name", ["", "heel press", "Mine"])
def test_a_duplicate_or_empty_name_is_refused(alice_client, alice, name):
    Technique.objects.create(user=alice, name="Mine")
    response = alice_client.post(URL, {"name": name})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Technique.objects.filter(user=alice).count() == 1


# Characters that draw nothing: zero-width space, word joiner, byte order mark,
# direction marks, soft hyphen, a Hangul filler, the blank braille pattern.
INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u200e\u200f", "\u00ad", "\u3164", "\u2800"]


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_name_that_shows_nothing_is_refused(alice_client, alice, name):
    response = alice_client.post(URL, {"name": name})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Technique.objects.filter(user=alice).exists()


def test_an_invisible_character_does_not_make_a_second_technique(alice_client, alice):
    arch = builtin("arch").name
    response = alice_client.post(URL, {"name": arch.replace(" ", " \u200b", 1)})
    assert "already have a technique" in " ".join(
        response.context["form"].errors["name"]
    )
    assert not Technique.objects.filter(user=alice).exists()


def test_a_name_keeps_what_shows_and_drops_what_does_not(alice_client, alice):
    alice_client.post(URL, {"name": "\u202eBall\u200b  roll\ufeff"})
    assert Technique.objects.get(user=alice).name == "Ball roll"


def test_own_techniques_are_private(alice_client, charlie):
    Technique.objects.create(user=charlie, name="Charlie's move")
    assert "Charlie&#x27;s move" not in alice_client.get(URL).content.decode()
    form = alice_client.get("/sessions/new/").context["form"]
    names = [name for _, name in form.fields["techniques"].choices]
    assert "Charlie's move" not in names


def test_renaming_an_own_technique(alice_client, alice):
    own = Technique.objects.create(user=alice, name="Mine")
    response = alice_client.post(f"{URL}{own.pk}/rename/", {"name": "Still mine"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Still mine"


def test_built_ins_and_other_peoples_techniques_cannot_be_renamed(
    alice_client, charlie
):
    theirs = Technique.objects.create(user=charlie, name="Theirs")
    heel = Technique.objects.get(key="heel")
    for technique in (theirs, heel):
        response = alice_client.post(
            f"{URL}{technique.pk}/rename/", {"name": "Hijacked"}
        )
        assert response.status_code == 404
        archive = alice_client.post(f"{URL}{technique.pk}/archive/")
        assert archive.status_code == 404
        technique.refresh_from_db()
        assert technique.name != "Hijacked"
        assert not technique.archived


def test_archiving_hides_it_from_the_form_and_restoring_brings_it_back(
    alice_client, alice
):
    own = Technique.objects.create(user=alice, name="Mine")
    alice_client.post(f"{URL}{own.pk}/archive/", {"archived": "1"})
    own.refresh_from_db()
    assert own.archived
    form = alice_client.get("/sessions/new/").context["form"]
    assert (own.pk, own.name) not in form.fields["techniques"].choices
    alice_client.post(f"{URL}{own.pk}/archive/", {"archived": "0"})
    own.refresh_from_db()
    assert not own.archived


def test_a_double_tap_on_archive_keeps_it_archived(alice_client, alice):
    own = Technique.objects.create(user=alice, name="Mine")
    for _ in range(2):
        alice_client.post(f"{URL}{own.pk}/archive/", {"archived": "1"})
    own.refresh_from_db()
    assert own.archived


def test_archive_is_post_only(alice_client, alice):
    own = Technique.objects.create(user=alice, name="Mine")
    assert alice_client.get(f"{URL}{own.pk}/archive/").status_code == 405
    own.refresh_from_db()
    assert not own.archived


def own_section(response):
    html = response.content.decode()
    return re.search(r'<section[^>]*id="own".*?</section>', html, flags=re.S)[0]


def test_each_change_comes_back_to_your_own_techniques_and_says_it_there(
    alice_client, alice
):
    """The page reloaded at its top after Add, Rename or Archive: the user's
    own techniques are two screens down, below the routine's nine."""
    added = alice_client.post(URL, {"name": "Tennis ball roll"})
    assert added["Location"] == URL + "#own"
    page = alice_client.get(added["Location"])
    assert "Added “Tennis ball roll” to your techniques." in own_section(page)
    technique = Technique.objects.get(user=alice)
    renamed = alice_client.post(
        f"{URL}{technique.pk}/rename/", {"name": "Ball roll", "how_to": ""}
    )
    assert renamed["Location"] == URL + "#own"
    assert "Saved “Ball roll”." in own_section(alice_client.get(URL))
    archived = alice_client.post(f"{URL}{technique.pk}/archive/", {"archived": "1"})
    assert archived["Location"] == URL + "#own"
    page = alice_client.get(URL)
    assert "Archived “Ball roll”" in own_section(page)
    assert page.content.decode().count("Archived “Ball roll”") == 1
