"""The installable app: manifest, icons, service worker and offline page, as a
browser fetches them. (tests/e2e/test_installable.py checks that Chromium
agrees: installable, and the offline page shows with the network down.)"""

import json
import re
import struct

import pytest
from django.contrib.staticfiles import finders

from tests.html import text


def png_size(path):
    with open(path, "rb") as file:
        head = file.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def static_file(url):
    return finders.find(url.removeprefix("/static/"))


@pytest.mark.django_db
def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Footcare"
    assert manifest["short_name"] == "Footcare"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    sizes = {}
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        width, height = png_size(static_file(icon["src"]))
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon.get("purpose", "any"), set()).add(width)
    assert {192, 512} <= sizes["any"]
    assert 512 in sizes["maskable"]


@pytest.mark.django_db
def test_the_manifest_offers_shortcuts_to_logging_and_the_guide(alice_client):
    manifest = json.loads(alice_client.get("/manifest.webmanifest").content)
    shortcuts = {s["name"]: s for s in manifest["shortcuts"]}
    assert set(shortcuts) == {"Log a session", "Guided session"}
    for shortcut in shortcuts.values():
        assert alice_client.get(shortcut["url"]).status_code == 200
        (icon,) = shortcut["icons"]
        width, height = png_size(static_file(icon["src"]))
        assert icon["sizes"] == f"{width}x{height}"
    assert shortcuts["Log a session"]["url"] == "/sessions/new/"
    assert shortcuts["Guided session"]["url"] == "/sessions/guide/"


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_an_apple_touch_icon(client, alice):
    for html in (client.get("/").content.decode(), _signed_in_home(client, alice)):
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        icon = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', html)
        assert png_size(static_file(icon[1])) == (180, 180)
        assert '<meta name="theme-color"' in html
        assert re.search(r'<meta name="description" content="[^"]{50,}">', html)
        assert re.search(r'<script src="/static/js/service-worker\.js" defer>', html)
        # No inline script: a strict Content-Security-Policy can forbid them.
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def _signed_in_home(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    client.logout()
    return html


@pytest.mark.django_db
def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", script)[1])
    assert precache[0] == "/offline/"
    assert "/static/css/app.css" in precache
    assert "/static/bootstrap/css/bootstrap.min.css" in precache
    assert "/static/js/service-worker.js" in precache
    assert "/static/img/icon-192.png" in precache
    # Besides the offline page, only static files: never a page of the site.
    assert all(url.startswith("/static/") for url in precache[1:])
    for url in precache[1:]:
        assert static_file(url), f"{url} is not a static file"
    # Pages go to the network first and the offline page answers when it fails.
    assert 'request.mode === "navigate"' in script
    assert "caches.match(OFFLINE_URL)" in script
    assert "cache.put" not in script  # nothing fetched later is kept


def service_worker_version(client):
    script = client.get("/sw.js").content.decode()
    return re.search(r'const VERSION = "(\w+)";', script)[1]


def test_a_changed_offline_page_is_a_new_service_worker(client, settings, tmp_path):
    """A release that changes only templates must still reach installed apps:
    browsers compare /sw.js byte for byte, and keep the offline page they
    cached until it changes."""
    before = service_worker_version(client)
    assert service_worker_version(client) == before  # the same, until a change
    (tmp_path / "offline.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Offline, new words</h1>'
        "{% endblock content %}"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    assert "new words" in client.get("/offline/").content.decode()
    assert service_worker_version(client) != before


@pytest.mark.django_db
def test_the_offline_page_is_the_same_for_everyone(client, alice):
    anonymous = client.get("/offline/")
    assert anonymous.status_code == 200
    assert "You are offline" in text(anonymous)
    client.force_login(alice)
    signed_in = client.get("/offline/")
    assert "alice" not in signed_in.content.decode()
    assert "Log out" not in text(signed_in)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", signed_in.content.decode()) == strip.sub(
        "", anonymous.content.decode()
    )


@pytest.mark.django_db
def test_the_app_files_answer_get_only(client):
    for url in ("/manifest.webmanifest", "/sw.js", "/offline/"):
        assert client.post(url).status_code == 405
