"""From an event page's "Compare this coverage" to the side-by-side comparison, in Chromium."""

from __future__ import annotations

import re

import pytest
from django.db.models import Count

from articles.models import Event

pytestmark = pytest.mark.browser


def test_event_page_leads_to_the_comparison(live_archive, browser_page, screenshot):
    page = browser_page
    event = Event.objects.annotate(n=Count("articles", distinct=True)).order_by("-n", "pk").first()
    assert event is not None and event.n >= 2

    page.goto(f"{live_archive}{event.get_absolute_url()}")
    page.get_by_role("link", name=re.compile("compare this coverage", re.I)).click()
    page.wait_for_url(re.compile(r"/compare/\?ids="))

    heading = page.get_by_role("heading", level=1)
    assert re.fullmatch(r"Comparing [2-6] articles", heading.inner_text())
    columns = page.locator(".compare-columns th.compare-article")
    assert columns.count() == int(heading.inner_text().split()[1])

    # Overlap matrix: one row per article, the diagonal left empty.
    assert page.locator(".overlap-matrix tbody tr").count() == columns.count()
    assert page.locator(".overlap-matrix td.overlap-self").count() == columns.count()

    # The facts table links each figure to the sentence it came from.
    first_value = page.locator(".facts-table .fact-value").first
    href = first_value.get_attribute("href")
    assert re.search(r"/articles/\d+/[\w-]+/#s\d+$", href)

    # Hiding passages only one article has leaves the shared ones.
    unique = page.locator(".passage.unique").first
    assert unique.is_visible()
    page.get_by_label("Hide passages only one article has").check()
    assert not unique.is_visible()
    assert page.locator(".passage.shared").first.is_visible()
    page.get_by_label("Hide passages only one article has").uncheck()

    screenshot(page, "compare-event")


def test_comparison_of_the_five_seed_articles(live_archive, browser_page, screenshot):
    from articles.models import Article

    page = browser_page
    ids = ",".join(str(pk) for pk in Article.objects.order_by("pk").values_list("pk", flat=True))
    page.goto(f"{live_archive}/compare/?ids={ids}")
    bridge = page.locator(".facts-table tr", has_text="Bridge length").first
    assert "disagrees" in bridge.inner_text().lower()
    assert page.locator(".overlap-standout .badge-rewrite").count() == 2
    mishustin = page.locator("h3.speaker", has_text="Mikhail Mishustin")
    assert mishustin.count() == 1
    screenshot(page, "compare")

    page.goto(f"{live_archive}/compare/?ids={ids.split(',')[0]}")
    assert "Choose at least two articles" in page.locator(".compare-error").inner_text()
