"""A curator in a real browser: log in to the admin, merge two people, see the result in public."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article, MergeRecord, Person, Quote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-curators-passphrase"


def curator_user():
    """A staff user in the Curator group (re-created here: transactional tests flush groups)."""
    if not Group.objects.filter(name="Curator").exists():
        migration = importlib.import_module("articles.migrations.0003_curator_group")
        migration.create_curator_group(apps, None)
    user = get_user_model().objects.create_user("cora", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return user


def test_curator_merges_two_people_and_sees_it_on_the_public_page(
    browser_page, live_archive, screenshot
):
    from playwright.sync_api import expect

    page = browser_page
    user = curator_user()
    kept = Person.objects.get(name="Mikhail Mishustin")
    duplicate = Person.objects.create(name="M. V. Mishustin", aliases=["Mishustin M. V."])
    article = Article.objects.order_by("pk").first()
    Quote.objects.create(article=article, speaker=duplicate, text="A bridge of friendship.")
    quotes_before = Quote.objects.filter(speaker=kept).count()

    # Log in and find both records by searching the people list.
    page.goto(f"{live_archive}/admin/login/?next=/admin/articles/person/")
    page.fill("#id_username", "cora")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.fill("#searchbar", "Mishustin")
    page.press("#searchbar", "Enter")
    for person in (kept, duplicate):
        page.locator(f"input.action-select[value='{person.pk}']").check()
    page.select_option("select[name=action]", "merge_selected")
    page.click("button[name=index]")

    # The confirmation page: choose the catalogue's record as the one to keep.
    expect(page.locator("#content h1")).to_have_text("Merge people")
    page.check(f"#keep-{kept.pk}")
    screenshot(page, "admin_merge")
    page.click("#merge-form input[type=submit]")
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Merged “M. V. Mishustin” into “Mikhail Mishustin”"
    )
    # Back on the search results: one Mishustin left, with the other's names as aliases.
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody tr")).to_contain_text("M. V. Mishustin")

    # The merged person's address now leads to the kept person's page, which has it all.
    page.goto(f"{live_archive}/people/{duplicate.slug}/")
    assert page.url == f"{live_archive}/people/{kept.slug}/"
    expect(page.locator("main h1")).to_have_text("Mikhail Mishustin")
    expect(page.locator(".aliases")).to_contain_text("M. V. Mishustin")
    expect(page.locator(".aliases")).to_contain_text("Mishustin M. V.")
    expect(page.locator("ul.quote-list")).to_contain_text("A bridge of friendship.")
    screenshot(page, "admin_merge_result")

    record = MergeRecord.objects.get()
    assert (record.merged_name, record.kept_id, record.merged_by) == (
        "M. V. Mishustin",
        kept.pk,
        user,
    )
    assert Quote.objects.filter(speaker=kept).count() == quotes_before + 1
    assert not Person.objects.filter(pk=duplicate.pk).exists()
