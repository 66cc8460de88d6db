"""Security headers, production settings, rate limits and the sign-in throttle, on real responses."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_pages_send_csp_and_hardening_headers(client, seeded_plain):
    for url in ("/", seeded_plain["000"].get_absolute_url(), "/search/?q=bridge", "/admin/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script(client, seeded_plain):
    for url in ("/", seeded_plain["003"].get_absolute_url(), "/search/?q=bridge"):
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            assert (
                chunk.split(">", 1)[0].strip().startswith("src=")
                or " src=" in chunk.split(">", 1)[0]
            )


def test_production_settings_pass_check_deploy():
    env = {
        # The browser tests' Playwright event loop needs DJANGO_ALLOW_ASYNC_UNSAFE in this test
        # process; a deployment never sets it (check --deploy rightly refuses it).
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "SECURE_PROXY": "1",
        "ALLOWED_HOSTS": "archive.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_search_rate_limit_answers_429_with_a_message(client, settings):
    settings.RATE_LIMITS = {"search": (3, 60), "login": (0, 900)}
    codes = [client.get("/search/", {"q": "bridge"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/search/", {"q": "bridge"})
    assert "Too many searches" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert client.get("/").status_code == 200  # browsing is not limited


def test_repeated_failed_admin_logins_are_throttled(client, settings):
    settings.RATE_LIMITS = {"search": (0, 60), "login": (3, 900)}
    User.objects.create_superuser("editor", "e@example.org", "correct horse battery")
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the login form again, with an error
    blocked = client.post(
        "/admin/login/", {"username": "editor", "password": "correct horse battery"}
    )
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.content.decode()


def test_a_successful_login_resets_the_count(client, settings):
    settings.RATE_LIMITS = {"search": (0, 60), "login": (3, 900)}
    User.objects.create_superuser("editor", "e@example.org", "correct horse battery")
    for _ in range(2):
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    ok = client.post("/admin/login/", {"username": "editor", "password": "correct horse battery"})
    assert ok.status_code == 302
    client.logout()
    for _ in range(2):
        assert (
            client.post("/admin/login/", {"username": "editor", "password": "x"}).status_code == 200
        )
