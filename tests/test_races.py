"""Races an attacker (or a person with two tabs) can start: each answered without
a 500, and never by undoing an acknowledged delete.

Two kinds of test. The interleaving tests put the other request's write exactly
into the gap between this request's checks and its save, the same way on every
run. The threaded tests send real requests at the same moment from their own
connections (PostgreSQL; on SQLite a test-database file with the 5 s busy
timeout), as the issue's attack did."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client

from accounts.forms import BasePreferredTimeFormSet, SettingsForm
from accounts.models import PreferredTime, User
from api.forms import MAX_TOKENS
from api.models import ApiToken
from sessions.forms import SessionForm, TechniqueForm
from sessions.models import MassageSession, RestDay, Technique
from tests.conftest import PASSWORD, make_user
from tests.factories import builtin, log_session

ROUNDS = 5


def edit_data(session, **changes):
    start = session.local_start
    return {
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "duration_minutes": "25",
        "techniques": [str(t.pk) for t in session.techniques.all()],
        "comfort": "5",
        "pressure": "",
        "notes": "Edited.",
        "token": str(session.submission_token),
        **changes,
    }


def deleted_during(monkeypatch, cls, method, delete):
    """Run `delete` (another request's write) when this request's `cls.method`
    has finished: after its checks, before its save."""
    original = getattr(cls, method)

    def wrapped(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        delete()
        return result

    monkeypatch.setattr(cls, method, wrapped)


# Interleaved: the other request lands in the gap, every time.


def test_an_edit_of_a_session_deleted_meanwhile_does_not_bring_it_back(
    alice_client, alice, monkeypatch
):
    session = log_session(alice, dt.datetime(2026, 3, 2, 7, 0))
    data = edit_data(session)
    deleted_during(
        monkeypatch, SessionForm, "clean", lambda: MassageSession.objects.all().delete()
    )
    response = alice_client.post(f"/sessions/{session.pk}/edit/", data, follow=True)
    assert response.status_code == 200
    assert "deleted meanwhile, so nothing was saved" in response.content.decode()
    assert not MassageSession.objects.exists()
    assert not MassageSession.techniques.through.objects.exists()


def test_a_rename_of_a_technique_deleted_meanwhile_does_not_bring_it_back(
    alice_client, alice, monkeypatch
):
    technique = Technique.objects.create(user=alice, name="Ball roll")
    deleted_during(
        monkeypatch,
        TechniqueForm,
        "clean",
        lambda: Technique.objects.filter(pk=technique.pk).delete(),
    )
    url = f"/sessions/techniques/{technique.pk}/rename/"
    response = alice_client.post(url, {"name": "Ball press", "how_to": ""})
    assert response.status_code == 302
    assert not Technique.objects.filter(user=alice).exists()


def test_an_archive_of_a_technique_deleted_meanwhile_does_not_bring_it_back(
    alice_client, alice, monkeypatch
):
    technique = Technique.objects.create(user=alice, name="Ball roll")
    import sessions.views

    found = sessions.views.get_object_or_404

    def found_then_deleted(*args, **kwargs):
        obj = found(*args, **kwargs)
        Technique.objects.filter(pk=obj.pk).delete()
        return obj

    monkeypatch.setattr(sessions.views, "get_object_or_404", found_then_deleted)
    url = f"/sessions/techniques/{technique.pk}/archive/"
    response = alice_client.post(url, {"archived": "1"})
    assert response.status_code == 302
    assert not Technique.objects.filter(user=alice).exists()


def test_a_rename_to_a_name_taken_meanwhile_is_a_form_error(
    alice_client, alice, monkeypatch
):
    technique = Technique.objects.create(user=alice, name="Ball roll")
    other = Technique.objects.create(user=alice, name="Heel press")

    def renamed_in_another_tab():
        other.name = "Toe spread"
        other.save(update_fields=["name"])

    deleted_during(monkeypatch, TechniqueForm, "clean", renamed_in_another_tab)
    url = f"/sessions/techniques/{technique.pk}/rename/"
    response = alice_client.post(url, {"name": "toe SPREAD", "how_to": ""})
    assert response.status_code == 200
    assert "already have a technique with this name" in response.content.decode()
    technique.refresh_from_db()
    assert technique.name == "Ball roll"


def test_an_edit_of_preferred_times_one_deleted_meanwhile_brings_none_back(
    alice_client, alice, monkeypatch
):
    slot = PreferredTime.objects.create(user=alice, label="Morning", time=dt.time(7))
    deleted_during(
        monkeypatch,
        BasePreferredTimeFormSet,
        "clean",
        lambda: PreferredTime.objects.all().delete(),
    )
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(slot.pk),
        "form-0-label": "Early",
        "form-0-time": "06:00",
        "form-0-weekdays": ["0", "1"],
        "form-1-label": "Evening",
        "form-1-time": "21:00",
        "form-1-weekdays": ["0"],
    }
    response = alice_client.post("/accounts/times/", data, follow=True)
    assert response.status_code == 200
    assert "deleted in another tab" in response.content.decode()
    assert not PreferredTime.objects.exists()


def test_settings_of_an_account_deleted_meanwhile_do_not_bring_it_back(
    alice_client, alice, monkeypatch
):
    deleted_during(
        monkeypatch, SettingsForm, "clean", lambda: User.objects.all().delete()
    )
    data = {
        "email": "alice@example.com",
        "timezone": "UTC",
        "day_start_hour": 0,
        "weekly_target": 7,
    }
    response = alice_client.post("/accounts/settings/", data)
    assert response.status_code == 404
    assert not User.objects.exists()


def test_signup_hashes_the_password_before_the_transaction_opens(
    client, db, monkeypatch
):
    from django.contrib.auth.hashers import MD5PasswordHasher

    # The test itself runs inside a transaction: count the ones opened on top.
    outer = len(connection.atomic_blocks)
    in_transaction = []
    encode = MD5PasswordHasher.encode

    def watched(self, password, salt):
        in_transaction.append(len(connection.atomic_blocks) > outer)
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", watched)
    data = {"username": "newbie", "email": "n@example.com", "timezone": "UTC"}
    response = client.post(
        "/accounts/signup/", {**data, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert in_transaction == [False]
    assert User.objects.get().check_password(PASSWORD)


# Threaded: real requests at the same moment, each on its own connection.


def signed_in_client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def at_once(*calls):
    """Run each call in its own thread, released together; their results (or the
    exceptions they raised), in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # reported by the caller's assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def statuses(results):
    return [getattr(result, "status_code", repr(result)) for result in results]


@pytest.mark.django_db(transaction=True)
def test_an_edit_and_a_delete_at_once_never_undo_the_delete(catalog):
    alice = make_user("alice", timezone="Europe/London")
    editor, deleter = signed_in_client(alice), signed_in_client(alice)
    for day in range(1, ROUNDS + 1):
        session = log_session(alice, dt.datetime(2026, 3, day, 7, 0))
        # Every other round the edit also swaps the techniques: it then deletes
        # and inserts links, as the delete does.
        swapped = [str(builtin("arch" if day % 2 else "warm-up").pk)]
        data = edit_data(session, **({"techniques": swapped} if day % 2 else {}))
        results = at_once(
            lambda s=session, d=data: editor.post(f"/sessions/{s.pk}/edit/", d),
            lambda s=session: deleter.post(f"/sessions/{s.pk}/delete/"),
        )
        # The edit saved first, or found the session gone (404 when it was gone
        # before the edit loaded it, a message when it went while checking).
        edited, deleted = statuses(results)
        assert edited in (302, 404)
        assert deleted == 302
        assert not MassageSession.objects.filter(pk=session.pk).exists()
    assert not MassageSession.techniques.through.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_renames_to_one_name_at_once_give_one_form_error(catalog):
    alice = make_user("alice", timezone="Europe/London")
    one, two = signed_in_client(alice), signed_in_client(alice)
    for round_ in range(ROUNDS):
        first = Technique.objects.create(user=alice, name=f"First {round_}")
        second = Technique.objects.create(user=alice, name=f"Second {round_}")
        name = f"Same {round_}"
        results = at_once(
            *[
                lambda client=client, pk=technique.pk, name=name: client.post(
                    f"/sessions/techniques/{pk}/rename/", {"name": name}
                )
                for client, technique in ((one, first), (two, second))
            ]
        )
        assert sorted(statuses(results)) == [200, 302]
        refused = next(r for r in results if r.status_code == 200)
        assert "already have a technique" in refused.content.decode()
        assert Technique.objects.filter(user=alice, name=name).count() == 1


@pytest.mark.django_db(transaction=True)
def test_thirty_sign_ups_at_once_all_succeed(catalog):
    def sign_up(number):
        data = {
            "username": f"person{number}",
            "email": f"person{number}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "timezone": "Europe/Berlin",
        }
        return Client(raise_request_exception=False).post("/accounts/signup/", data)

    results = at_once(*[lambda n=n: sign_up(n) for n in range(30)])
    assert statuses(results) == [302] * 30
    assert User.objects.count() == 30


@pytest.mark.django_db(transaction=True)
def test_the_same_rest_day_twice_at_once_is_one_rest_day(catalog):
    alice = make_user("alice", timezone="Europe/London")
    one, two = signed_in_client(alice), signed_in_client(alice)
    day = alice.today().isoformat()
    results = at_once(
        lambda: one.post("/sessions/rest-days/", {"date": day}),
        lambda: two.post("/sessions/rest-days/", {"date": day}),
    )
    # The second is a form error ("already a rest day") or, when both passed
    # that check, a message after its insert failed.
    assert sorted(statuses(results)) in ([200, 302], [302, 302])
    assert RestDay.objects.filter(user=alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_session_logged_while_a_technique_is_archived_keeps_it(catalog):
    alice = make_user("alice", timezone="Europe/London")
    technique = Technique.objects.create(user=alice, name="Ball roll")
    logger, archiver = signed_in_client(alice), signed_in_client(alice)
    data = {
        "date": alice.today().isoformat(),
        "start_time": "00:00",
        "duration_minutes": "10",
        "techniques": [str(technique.pk), str(builtin("arch").pk)],
        "comfort": "4",
        "token": "7b0c2bde-8f5e-4c5e-9d1e-0a6c2f1b3c4d",
    }
    results = at_once(
        lambda: logger.post("/sessions/new/", data),
        lambda: archiver.post(
            f"/sessions/techniques/{technique.pk}/archive/", {"archived": "1"}
        ),
    )
    assert all(code in (200, 302) for code in statuses(results))
    technique.refresh_from_db()
    assert technique.archived
    for session in MassageSession.objects.all():
        assert session.techniques.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_tokens_made_at_once_at_the_limit_make_one(catalog):
    alice = make_user("alice", timezone="Europe/London")
    for number in range(MAX_TOKENS - 1):
        ApiToken.make(alice, f"Script {number}", ApiToken.Scope.READ)
    one, two = signed_in_client(alice), signed_in_client(alice)
    results = at_once(
        *[
            lambda client=client, name=name: client.post(
                "/accounts/apps/", {"name": name, "scope": "log"}
            )
            for client, name in ((one, "Phone"), (two, "Speaker"))
        ]
    )
    assert sorted(statuses(results)) == [200, 302]
    refused = next(r for r in results if r.status_code == 200)
    assert "the most one account may hold" in refused.content.decode()
    assert ApiToken.objects.filter(user=alice).count() == MAX_TOKENS
