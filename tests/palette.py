"""The colour palette of static/css/app.css, read from the file, and WCAG 2
contrast (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio) in plain Python."""

import re
from pathlib import Path

from django.conf import settings

APP_CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"
BLOCKS = {
    "light": ':root,\n[data-bs-theme="light"] {',
    "dark": '[data-bs-theme="dark"] {',
}
HEX = re.compile(r"^#[0-9a-f]{6}$")


def block(css, theme):
    """The text of the theme's palette block: from its selector to its `}`."""
    start = css.index(BLOCKS[theme]) + len(BLOCKS[theme])
    return css[start : css.index("}", start)]


def declarations(css, theme):
    """{custom property: value} of the theme's palette block."""
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", block(css, theme)))


def palette(theme, css=None):
    """{name without --fc-: hex} of the Footcare colours for a theme."""
    css = APP_CSS.read_text() if css is None else css
    found = {
        name.removeprefix("--fc-"): value.strip().lower()
        for name, value in declarations(css, theme).items()
        if name.startswith("--fc-")
    }
    bad = {name: value for name, value in found.items() if not HEX.match(value)}
    assert not bad, f"palette colours must be #rrggbb: {bad}"
    return found


def rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def relative_luminance(hex_colour):
    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
