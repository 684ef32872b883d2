import re

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
