"""The list and date filters write what the template markup they replace wrote, escaped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.utils import timezone

from articles.queries.items import ArticleItem, EntityCount, EntityRef, QuoteItem
from articles.templatetags.archive import article_list, counted_list, quote_list

HOSTILE = '<script>alert("x")</script>&'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load archive %}" + source).render(context)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2025, 4, 3, 23, 30, 5, tzinfo=dt.UTC),
        dt.datetime(999, 12, 31, tzinfo=dt.UTC),
        dt.date(2024, 6, 19),
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/New_York"])
def test_time_element_and_short_date_are_the_date_filter(value, zone):
    django = (
        "<time datetime=\"{{ d|date:'c' }}\">{{ d|date:'j F Y' }}</time>"
        "<time datetime=\"{{ d|date:'c' }}\">{{ d|date:'j M Y' }}</time>"
    )
    ours = "{{ d|time_element }}{{ d|time_element:'short' }}"
    with timezone.override(zone):
        assert render("{{ d|short_date }}", d=value) == render("{{ d|date:'j M Y' }}", d=value)
        assert render(ours, d=value) == render(django, d=value)
        # The lists convert datetimes to the current zone as the template engine does.
        article = ArticleItem(1, "T", "t", value, None, page_url="/a/")
        assert render("{{ d|time_element }}", d=value) in article_list([article])
    assert render("{{ d|time_element }}", d=None) == ""
    assert render("{{ d|short_date }}", d=None) == ""


def test_article_list_escapes_every_text_and_marks_no_outlet():
    author = EntityRef("person", 1, HOSTILE, "p", url="/people/p/")
    outlet = EntityRef("outlet", 2, HOSTILE, "o", url="/outlets/o/")
    when = dt.datetime(2025, 4, 30, 12, tzinfo=dt.UTC)
    rows = [
        ArticleItem(1, HOSTILE, "a", when, outlet, author_list=[author, author], page_url="/a/1/"),
        ArticleItem(2, "Plain", "b", None, None, page_url="/a/2/"),
    ]
    html = article_list(rows)
    first, second = html.split("Plain")
    assert "<script>" not in html and html.count(ESCAPED) == 4
    assert '<h3 class="article-item-title"><a href="/a/1/">' in first
    assert (
        f'<a href="/outlets/o/">{ESCAPED}</a> · <time datetime="2025-04-30T12:00:00+00:00">'
        in first
    )
    assert f' · by <a href="/people/p/">{ESCAPED}</a>, <a href="/people/p/">' in first
    assert "<span>Outlet unknown</span>" in second and "<time" not in second


def test_counted_list_escapes_names_and_says_the_unit():
    html = counted_list([EntityCount("person", 1, HOSTILE, "p", 3, url="/people/p/")], "shared")
    assert html == (
        '<ul class="counted">\n'
        f'  <li><a href="/people/p/">{ESCAPED}</a> '
        '<span class="count" title="3 shared">3</span></li>\n</ul>'
    )
    assert 'title="3 articles"' in counted_list(
        [EntityCount("person", 1, "A", "a", 3, url="/people/a/")]
    )


def test_quote_list_escapes_text_and_title_and_links_the_sentence():
    article = ArticleItem(7, HOSTILE, "a", None, None, page_url="/articles/7/a/")
    html = quote_list(
        [
            QuoteItem(1, HOSTILE, None, "", "", 4, article),
            QuoteItem(2, "Plain", None, "", "", None, article),
        ]
    )
    assert "<script>" not in html
    assert f"<blockquote>“{ESCAPED}”</blockquote>" in html
    assert f'in <a href="/articles/7/a/#s4">{ESCAPED}</a></p>' in html
    assert f'in <a href="/articles/7/a/">{ESCAPED}</a></p>' in html


def test_outlet_groups_escape_names_and_titles():
    from articles.templatetags.archive import outlet_groups

    outlet = EntityRef("outlet", 2, HOSTILE, "o", url="/outlets/o/")
    when = dt.datetime(2025, 4, 30, 12, tzinfo=dt.UTC)
    first = ArticleItem(1, HOSTILE, "a", when, outlet, page_url="/a/1/")
    second = ArticleItem(2, "Plain", "b", None, None, page_url="/a/2/")
    html = outlet_groups([(outlet, [first]), (None, [second])])
    assert "<script>" not in html and html.count(ESCAPED) == 3
    assert f'<section class="outlet-group" aria-label="{ESCAPED}">' in html
    assert f'<h3><a href="/outlets/o/">{ESCAPED}</a> <span class="count">1</span></h3>' in html
    assert '<time datetime="2025-04-30T12:00:00+00:00">30 Apr 2025</time>' in html
    assert '<section class="outlet-group" aria-label="Outlet unknown">' in html
    assert '<li><a href="/a/2/">Plain</a></li>' in html
