import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from sessions import guide
from sessions.forms import GuidePreferenceForm
from sessions.models import GuidePreference
from tests.factories import builtin

URL = "/sessions/guide/"


def choices(**overrides):
    """The choices form as the page sends it, with every length at its default."""
    data = {
        GuidePreferenceForm.duration_field(spec): str(spec.default_seconds)
        for spec in guide.STEPS
    }
    data["tool"] = ""
    data.update(overrides)
    return data


def page_steps(response):
    """The steps guide.js runs, from the page's data-steps attribute."""
    html = response.content.decode()
    raw = html.split('data-steps="')[1].split('"')[0]
    return json.loads(unescape(raw))


def test_the_url_is_the_one_the_issue_names():
    assert reverse("sessions:guide") == URL


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_default_routine_is_ten_minutes_on_both_feet(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 200
    routine = response.context["routine"]
    assert [step.slot for step in routine] == [
        "warm-up",
        "arch",
        "toes",
        "ankle",
        "heel",
    ]
    assert guide.total_seconds(routine) == 600
    assert response.context["total_text"] == "10 min"
    steps = page_steps(response)
    assert len(steps) == 10
    assert [step["foot"] for step in steps[:2]] == ["Left foot", "Right foot"]
    html = response.content.decode()
    assert "Your routine: 10 min" in html
    assert "1 min 30 s per foot, left then right" in html
    # One line of how-to per step, from the catalog.
    assert "Work your thumbs along the arch from heel to toe" in html


def test_without_javascript_the_page_links_to_the_log_form_filled_in(alice_client):
    response = alice_client.get(URL)
    url = urlsplit(response.context["log_url"])
    assert url.path == "/sessions/new/"
    query = parse_qs(url.query)
    assert query["minutes"] == ["10"]
    keys = ("warm-up", "arch", "toes", "ankle", "heel")
    assert query["techniques"] == [str(builtin(key).pk) for key in keys]
    assert (
        response.context["log_url"].replace("&", "&amp;") in response.content.decode()
    )
    # The start button waits for the script; the list and link work without it.
    assert 'id="guide-start"' in response.content.decode()
    assert "hidden>Start the guided session" in response.content.decode()


def test_the_dashboard_and_the_menu_link_to_it(alice_client):
    html = alice_client.get("/").content.decode()
    assert f'href="{URL}">Start a guided session</a>' in html
    assert f'href="{URL}">Guided session</a>' in html


def test_choices_are_saved_and_shape_the_routine(alice_client, alice):
    data = choices(soak="on", oil="on", tool="ball", seconds_arch="120")
    response = alice_client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == URL
    preference = GuidePreference.objects.get(user=alice)
    assert (preference.soak, preference.oil, preference.tool) == (True, True, "ball")
    assert preference.durations["arch"] == 120

    response = alice_client.get(URL)
    routine = response.context["routine"]
    assert [step.technique.key for step in routine] == [
        "soak", "oil", "warm-up", "arch", "toes", "ankle", "heel", "ball",
    ]  # fmt: skip
    # 180 + 30 + 2 * (60 + 120 + 60 + 45 + 45 + 60)
    assert guide.total_seconds(routine) == 990
    assert response.context["total_text"] == "16 min 30 s"
    assert parse_qs(urlsplit(response.context["log_url"]).query)["minutes"] == ["17"]
    form = response.context["form"]
    assert form["soak"].value() is True
    assert form["seconds_arch"].value() == 120


def test_a_second_save_updates_the_same_row(alice_client, alice):
    alice_client.post(URL, choices(tool="roller"))
    alice_client.post(URL, choices(tool=""))
    assert GuidePreference.objects.filter(user=alice).count() == 1
    assert GuidePreference.objects.get(user=alice).tool == ""


def test_choices_are_per_account(alice_client, alice, charlie, client):
    alice_client.post(URL, choices(soak="on"))
    client.force_login(charlie)
    routine = client.get(URL).context["routine"]
    assert routine[0].slot == "warm-up"
    assert not GuidePreference.objects.filter(user=charlie).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"seconds_arch": "7"},
        {"seconds_arch": "10" * 30},
        {"seconds_arch": "abc\x00"},
        {"tool": "hammer"},
        {"seconds_toes": ""},
    ],
)
def test_bad_choices_show_the_form_again_and_save_nothing(alice_client, alice, bad):
    response = alice_client.post(URL, choices(**bad))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Please choose from the lists below." in response.content.decode()
    assert not GuidePreference.objects.filter(user=alice).exists()


def test_the_start_button_saves_and_gets_the_routine_as_json(alice_client, alice):
    response = alice_client.post(
        URL, choices(oil="on", seconds_heel="30"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    steps = response.json()["steps"]
    assert steps[0] == {
        "technique": builtin("oil").pk,
        "name": "Massage oil or cream",
        "how_to": builtin("oil").how_to,
        "foot": "Both feet",
        "seconds": 30,
    }
    assert [step["seconds"] for step in steps if step["name"] == "Heel press"] == [
        30,
        30,
    ]
    assert GuidePreference.objects.get(user=alice).oil is True


def test_bad_json_choices_answer_400_with_the_errors(alice_client):
    response = alice_client.post(
        URL, choices(seconds_heel="1"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "seconds_heel" in response.json()["errors"]


def test_stored_lengths_that_are_no_longer_offered_fall_back_to_defaults(alice):
    preference = GuidePreference(user=alice, durations={"arch": 7, "toes": "x"})
    routine = guide.build_routine(preference, guide.builtin_techniques())
    lengths = {step.slot: step.seconds for step in routine}
    assert lengths["arch"] == 90
    assert lengths["toes"] == 60


def test_an_archived_builtin_leaves_the_routine(alice_client):
    technique = builtin("heel")
    technique.archived = True
    technique.save()
    routine = alice_client.get(URL).context["routine"]
    assert "heel" not in [step.slot for step in routine]


def test_the_page_runs_a_fixed_number_of_queries(
    alice_client, alice, django_assert_max_num_queries
):
    alice_client.post(URL, choices(soak="on", tool="roller"))
    # session + user, preference, techniques (and the message read once).
    with django_assert_max_num_queries(5):
        alice_client.get(URL)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(15, "15 s"), (60, "1 min"), (90, "1 min 30 s"), (600, "10 min"), (0, "0 s")],
)
def test_durations_read_as_people_say_them(seconds, text):
    assert guide.format_seconds(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "minutes"), [(1, 1), (60, 1), (61, 2), (600, 10), (99_999, 180)]
)
def test_logged_minutes_round_up_within_the_forms_range(seconds, minutes):
    assert guide.logged_minutes(seconds) == minutes


def test_the_page_has_no_inline_script(alice_client):
    """Ready for a strict Content-Security-Policy: every script is a file."""
    html = alice_client.get(URL).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    assert all(" src=" in tag for tag in scripts)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_start_and_log_come_before_the_routine_list(alice_client):
    # In the first screen of a phone: the buttons above the list of steps.
    html = alice_client.get(URL).content.decode()
    assert html.index('id="guide-start"') < html.index('<ol class="guide-steps">')
    assert html.index(">Log this routine</a>") < html.index('<ol class="guide-steps">')


def test_easing_off_has_a_line_on_screen_to_say_what_it_did(alice_client):
    html = alice_client.get(URL).content.decode()
    assert '<p id="guide-eased" class="guide-eased mt-2 mb-0" role="status">' in html
    assert 'class="visually-hidden"' not in html.split('id="guide-eased"')[1][:80]
