import re
from pathlib import Path

import pytest


@pytest.mark.django_db
def test_the_landing_page_explains_the_habit_and_offers_sign_up(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "foot-massage habit" in html
    assert "10 minutes" in html or "Ten minutes" in html
    assert "Consistency" in html
    assert 'href="/accounts/signup/"' in html
    assert 'href="/accounts/login/"' in html


@pytest.mark.django_db
def test_the_landing_page_shows_the_app_on_a_phone(client, settings):
    html = client.get("/").content.decode()
    img = re.search(r'<figure class="landing-shot">\s*<img([^>]+)>', html)[1]
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', img))
    assert attributes["alt"].startswith("The Footcare dashboard on a phone")
    assert attributes["loading"] == "lazy"  # below the first screen on a phone
    # Its size is reserved before it loads, in the picture's own proportions.
    width, height = int(attributes["width"]), int(attributes["height"])
    static = Path(settings.BASE_DIR) / "static"
    sources = [
        entry.split() for entry in attributes["srcset"].split(",")
    ]  # [url, "300w"], ...
    for url, descriptor in sources:
        path = static / url.removeprefix("/static/")
        data = path.read_bytes()
        assert (data[:4], data[8:12]) == (b"RIFF", b"WEBP"), url
        assert len(data) < 80_000, f"{url} is {len(data)} bytes"
        real_width, real_height = webp_size(data)
        assert f"{real_width}w" == descriptor
        assert abs(real_height / real_width - height / width) < 0.01


def webp_size(data):
    """Width and height of a WebP file, from its VP8X (extended) or VP8 header."""
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return width, height
    assert chunk == b"VP8 ", chunk
    assert data[23:26] == b"\x9d\x01\x2a"  # the VP8 key frame start code
    width = int.from_bytes(data[26:28], "little") & 0x3FFF
    height = int.from_bytes(data[28:30], "little") & 0x3FFF
    return width, height


@pytest.mark.django_db
def test_pages_link_bootstrap_from_our_own_static_files(client):
    html = client.get("/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    # Every stylesheet, script and icon comes from this site's static files.
    assets = re.findall(r'<(?:link|script)\b[^>]*\b(?:href|src)="([^"]+)"', html)
    assert assets
    # (The web app manifest is served from the site root: see footcare/pwa.py.)
    assets = [url for url in assets if url != "/manifest.webmanifest"]
    assert all(url.startswith("/static/") for url in assets), assets
    assert 'href="#main"' in html  # skip link


@pytest.mark.django_db
def test_an_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
