"""Fixtures for browser tests: a live server with the seed archive, and a Chromium page.

Reusable by every browser test in this folder (keep the names stable):

- ``live_archive``: the live server's base URL (no trailing slash) with the catalogue and the five
  seed articles loaded and extracted. It uses ``transactional_db``, so the server thread sees the
  rows; the database is emptied after each test.
- ``browser_page``: a fresh Playwright ``Page`` (1280×900) in Debian's Chromium; closed after the test.
- ``browser``: the session's Chromium (for tests that need their own context, e.g. a phone).
- ``screenshot(page, name, full_page=True)``: saves ``tests/artifacts/<name>.png``, returns the path.

Mark browser tests ``@pytest.mark.browser`` and run them alone with ``pytest -m browser``.
"""

from __future__ import annotations

import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
# unless told that this is intended (the ORM calls here happen outside any coroutine).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, shared by the session."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip("Chromium is not installed (make browser-deps installs it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser):
    """A fresh page in its own browser context, 1280×900, 10 s timeouts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def live_archive(transactional_db, live_server, seed_paths) -> str:
    """The live server's URL with the catalogue and the seed articles loaded and extracted."""
    catalogue = ROOT / "fixtures" / "catalogue.json"
    if catalogue.exists():
        call_command("import_catalogue", str(catalogue), verbosity=0)
    call_command("load_articles", *[str(p) for p in seed_paths], verbosity=0)
    url = live_server.url.rstrip("/")
    # The server imports every view module on its first request (seconds): do it before the clock
    # of any browser timeout starts.
    with urllib.request.urlopen(url + "/", timeout=120) as response:
        response.read()
    return url


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves a full-page PNG under tests/artifacts/ and returns its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
