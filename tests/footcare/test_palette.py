"""The palette of static/css/app.css keeps WCAG AA contrast in both themes:
4.5:1 for text, 3:1 for the parts of controls and pictures a person must see
(WCAG 1.4.3 and 1.4.11). Read from the CSS itself, so a change to a colour that
breaks a pair fails here."""

import re

import pytest

from tests.palette import (
    APP_CSS,
    BLOCKS,
    block,
    contrast,
    declarations,
    palette,
    relative_luminance,
    rgb,
)

TEXT, PARTS = 4.5, 3.0
# (what a person sees, foreground, background, minimum)
PAIRS = [
    ("body text", "text", "surface", TEXT),
    ("links, outline buttons, chart bars", "accent", "surface", TEXT),
    ("links on hover", "accent-hover", "surface", TEXT),
    ("primary button", "on-accent", "accent", TEXT),
    ("primary button on hover", "on-accent", "accent-hover", TEXT),
    ("primary button pressed", "on-accent", "accent-active", TEXT),
    ("text on the accent's tint", "accent-hover", "accent-subtle", TEXT),
    ("secondary text and buttons", "muted", "surface", TEXT),
    ("secondary button on hover", "surface", "muted", TEXT),
    ("danger links and buttons", "danger", "surface", TEXT),
    ("danger button", "on-danger", "danger", TEXT),
    ("danger button on hover", "on-danger", "danger-hover", TEXT),
    ("focus ring", "focus-ring", "surface", PARTS),
    ("borders of form fields", "control-border", "surface", PARTS),
    ("busiest heatmap day", "heat-4", "surface", PARTS),
    ("rest-day outline", "rest-line", "surface", PARTS),
    ("rest-day stripes", "rest-line", "rest-ground", PARTS),
    ("preferred hour mark", "mark", "surface", PARTS),
    ("outlines of the pictures", "pic-line", "surface", PARTS),
    ("arrows in the pictures", "pic-motion", "surface", PARTS),
    ("arrows drawn over the foot", "pic-motion", "pic-skin", PARTS),
    ("arrows drawn over a hand", "pic-motion", "pic-hand", PARTS),
    ("arrows drawn over a roller or water", "pic-motion", "pic-thing", PARTS),
]
# Bootstrap needs some colours as "r, g, b" as well; they must be the same colours.
TRIPLETS = {
    "--bs-body-color-rgb": "text",
    "--bs-body-bg-rgb": "surface",
    "--bs-primary-rgb": "accent",
    "--bs-link-color-rgb": "accent",
    "--bs-link-hover-color-rgb": "accent-hover",
    "--bs-danger-rgb": "danger",
}
THEMES = list(BLOCKS)


def test_the_contrast_function_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#0d6efd", "#ffffff") == pytest.approx(4.5, abs=0.01)
    assert contrast("#123456", "#abcdef") == contrast("#abcdef", "#123456")
    assert relative_luminance("#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("what", "foreground", "background", "minimum"), PAIRS)
def test_each_pair_meets_aa(theme, what, foreground, background, minimum):
    colours = palette(theme)
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= minimum, (
        f"{theme}: {what} ({colours[foreground]} on {colours[background]}) "
        f"is {ratio:.2f}:1, needs {minimum}:1"
    )


@pytest.mark.parametrize("theme", THEMES)
def test_more_practice_reads_as_more_in_the_heatmap(theme):
    colours = palette(theme)
    ratios = [contrast(colours[f"heat-{n}"], colours["surface"]) for n in range(5)]
    assert ratios == sorted(ratios), ratios
    assert len(set(ratios)) == 5, ratios


@pytest.mark.parametrize("theme", THEMES)
def test_both_themes_define_the_same_colours(theme):
    assert palette(theme).keys() == palette("light").keys()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("variable", "name"), TRIPLETS.items())
def test_bootstraps_rgb_triplets_repeat_the_palette(theme, variable, name):
    triplet = declarations(APP_CSS.read_text(), theme)[variable]
    assert tuple(int(c) for c in triplet.split(",")) == rgb(palette(theme)[name])


def test_no_colour_is_written_outside_the_palette():
    css = APP_CSS.read_text()
    for theme in THEMES:
        css = css.replace(block(css, theme), "")
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b", css) == []
    # Inside data: URIs (Bootstrap's check marks and switch knobs) a colour
    # cannot be a variable: it must still be one of the palette's.
    known = {hex for theme in THEMES for hex in palette(theme).values()}
    written = {f"#{hex.lower()}" for hex in re.findall(r"%23([0-9a-fA-F]{6})", css)}
    assert written <= known, written - known


def test_a_palette_that_is_not_hex_is_refused():
    css = APP_CSS.read_text()
    css = re.sub(r"--fc-accent: #\w+;", "--fc-accent: green;", css, count=1)
    with pytest.raises(AssertionError, match="accent"):
        palette("light", css)
