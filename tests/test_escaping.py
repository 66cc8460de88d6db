"""Hostile article text is shown as text everywhere: HTML pages, feeds, JSON and CSV.

Articles go in through ``load_articles`` (JSON files) with HTML, ``<script>``, attribute-breaking
quotes and a ``javascript:`` URL in their title, body, outlet and author, and spreadsheet formulas
at the start of their fields. Every page that shows them must emit them as inert text: escaped in
HTML and XML, intact as data in JSON, and formula cells neutralised with a leading apostrophe in CSV.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.management import call_command

from articles.models import Article, Outlet, Person

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
BREAKOUT = '"><img src=x onerror=alert(1)>'
BREAKOUT_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
HYPERLINK = '=HYPERLINK("http://evil","x")'

XSS_TITLE = f"{SCRIPT} Bridge talks {BREAKOUT}"
XSS_OUTLET = f"{SCRIPT} Evil News"
XSS_AUTHOR = f"Eve {BREAKOUT} Hacker"
FORMULA_TITLE = f"{HYPERLINK} bridge"
FORMULA_OUTLET = "+cmd Evil Outlet"
AT_TITLE = "@SUM(1) bridge report"

ARTICLES = [
    {
        "title": XSS_TITLE,
        "body": (
            f"Officials said {SCRIPT} the bridge over the river will be 1 kilometre long.\n\n"
            f"A second paragraph {BREAKOUT} about the script and the river crossing."
        ),
        "outlet": XSS_OUTLET,
        "authors": [XSS_AUTHOR],
        "url": "javascript:alert(1)",
        "published": "2025-05-01",
    },
    {
        "title": FORMULA_TITLE,
        "body": (
            f"{HYPERLINK} the bridge over the river will be 850 metres long, officials said "
            "after the alert.\n\n+cmd|' /C calc'!A0 was written about the script on the bridge."
        ),
        "outlet": FORMULA_OUTLET,
        "authors": ["@SUM(1) Person"],
        "url": "https://example.org/formula",
        "published": "2025-05-02",
    },
    {
        "title": AT_TITLE,
        "body": "-2+3 the bridge will take 18 months to build, with an alert on the river script.",
        "outlet": "-Minus Daily",
        "url": "https://example.org/at",
        "published": "2025-05-03",
    },
]


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.RATE_LIMITS = {"search": (0, 60), "login": (0, 900)}
    cache.clear()


@pytest.fixture
def hostile(tmp_path) -> dict[str, Article]:
    """The three hostile articles, loaded with extraction (compare needs their claims)."""
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(ARTICLES), encoding="utf-8")
    call_command("load_articles", str(path), verbosity=0, stdout=io.StringIO())
    by_title = {a.title: a for a in Article.objects.all()}
    assert set(by_title) == {XSS_TITLE, FORMULA_TITLE, AT_TITLE}
    return {
        "xss": by_title[XSS_TITLE],
        "formula": by_title[FORMULA_TITLE],
        "at": by_title[AT_TITLE],
    }


class LiveMarkup(HTMLParser):
    """Collects what a browser would run: inline scripts, on* handlers, javascript: links."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.problems.append("inline <script>")
        if tag == "img" and attributes.get("src") == "x":
            self.problems.append("injected <img>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} has a {name} handler")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"{tag} {name}={value!r}")


def html_of(client, url: str, expected_status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == expected_status, url
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    parser = LiveMarkup()
    parser.feed(html)
    assert parser.problems == [], f"{url}: {parser.problems}"
    assert SCRIPT not in html and "<img src=x" not in html
    return html


def assert_xss_title_escaped(html: str) -> None:
    assert SCRIPT_ESCAPED in html
    assert BREAKOUT_ESCAPED in html


def test_home_shows_titles_as_text(client, hostile):
    html = html_of(client, "/")
    assert_xss_title_escaped(html)


def test_article_page_escapes_title_body_outlet_author_and_drops_javascript_url(client, hostile):
    article = hostile["xss"]
    assert article.url == ""  # the javascript: URL was refused when loading
    html = html_of(client, article.get_absolute_url())

    assert f'<h1 id="article-title">{SCRIPT_ESCAPED} Bridge talks {BREAKOUT_ESCAPED}</h1>' in html
    assert f"Officials said {SCRIPT_ESCAPED} the bridge" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Evil News" in html
    assert "Eve &quot;&gt;&lt;img src=x onerror=alert(1)&gt; Hacker" in html
    assert "javascript:" not in html


def test_article_json_keeps_the_strings_as_data(client, hostile):
    article = hostile["xss"]
    response = client.get(article.get_absolute_url(), {"format": "json"})
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["title"] == XSS_TITLE
    assert SCRIPT in json.dumps(data, ensure_ascii=False)  # intact, not double-escaped
    assert "&lt;" not in data["title"]
    assert not (data.get("source_url") or "").lower().startswith("javascript:")


@pytest.mark.parametrize(("query", "mark"), [("alert", "alert"), ("script", "script")])
def test_search_highlights_are_escaped(client, hostile, query, mark):
    html = html_of(client, f"/search/?q={query}")
    assert f"<mark>{mark}</mark>" in html
    assert_xss_title_escaped(html)


def test_search_json_keeps_the_strings_as_data(client, hostile):
    response = client.get("/search/", {"q": "alert", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    results = {r["id"]: r for r in response.json()["results"]}
    assert results[hostile["xss"].pk]["title"] == XSS_TITLE
    assert results[hostile["xss"].pk]["outlet"]["name"] == XSS_OUTLET
    assert results[hostile["xss"].pk]["authors"][0]["name"] == XSS_AUTHOR
    assert results[hostile["xss"].pk]["source_url"] is None
    assert results[hostile["formula"].pk]["title"] == FORMULA_TITLE


ATOM = {"a": "http://www.w3.org/2005/Atom"}


def atom_entries(client) -> list:
    response = client.get("/search/", {"q": "alert", "format": "atom"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert SCRIPT not in response.content.decode()  # no raw markup in the XML itself
    return ET.fromstring(response.content).findall("a:entry", ATOM)


def test_search_atom_feed_titles_are_text(client, hostile):
    entries = atom_entries(client)
    titles = {e.findtext("a:title", namespaces=ATOM) for e in entries}
    assert XSS_TITLE in titles  # the text survives as text (a plain-text Atom title)
    authors = {e.findtext("a:author/a:name", namespaces=ATOM) for e in entries}
    assert XSS_OUTLET in authors
    for entry in entries:
        assert entry.find("a:title", ATOM).get("type") in (None, "text")
        assert entry.find(".//a:script", ATOM) is None and entry.find(".//script") is None


def test_search_atom_feed_summaries_are_inert_html(client, hostile):
    for entry in atom_entries(client):
        summary = entry.find("a:summary", ATOM)
        if summary is None:
            continue
        content = summary.text or ""
        if summary.get("type") == "html":  # the reader parses this text as HTML: it must be escaped
            parser = LiveMarkup()
            parser.feed(content)
            assert parser.problems == [], content
            assert SCRIPT not in content
    xss = next(
        e for e in atom_entries(client) if e.findtext("a:title", namespaces=ATOM) == XSS_TITLE
    )
    assert "&lt;script&gt;" in xss.findtext("a:summary", namespaces=ATOM)


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def assert_no_live_formula(rows: list[list[str]]) -> None:
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), f"live formula cell {cell!r} in {row}"


def test_search_csv_neutralises_formula_cells(client, hostile):
    rows = csv_rows(client.get("/search/", {"q": "bridge", "format": "csv"}))
    assert_no_live_formula(rows)
    cells = {cell for row in rows[1:] for cell in row}
    assert "'" + FORMULA_TITLE in cells
    assert "'" + AT_TITLE in cells
    assert "'" + FORMULA_OUTLET in cells
    assert XSS_TITLE in cells  # markup in CSV is plain data
    assert "javascript:alert(1)" not in cells


def test_outlet_page_escapes_its_name_and_titles(client, hostile):
    outlet = Outlet.objects.get(name=XSS_OUTLET)
    html = html_of(client, outlet.get_absolute_url())
    assert f"{SCRIPT_ESCAPED} Evil News" in html
    assert_xss_title_escaped(html)


def test_person_page_escapes_the_author_name(client, hostile):
    person = Person.objects.get(name=XSS_AUTHOR)
    html = html_of(client, person.get_absolute_url())
    assert "<h1>Eve &quot;&gt;&lt;img src=x onerror=alert(1)&gt; Hacker" in html


def test_entity_json_keeps_the_name_as_data(client, hostile):
    person = Person.objects.get(name=XSS_AUTHOR)
    response = client.get(person.get_absolute_url(), {"format": "json"})
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"] == XSS_AUTHOR


def _ids(hostile) -> str:
    return ",".join(str(hostile[k].pk) for k in ("xss", "formula", "at"))


def test_compare_page_escapes_titles_and_sentences(client, hostile):
    html = html_of(client, f"/compare/?ids={_ids(hostile)}")
    assert_xss_title_escaped(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Evil News" in html


def test_compare_json_keeps_the_strings_as_data(client, hostile):
    response = client.get("/compare/", {"ids": _ids(hostile), "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    titles = {a["title"] for a in response.json()["articles"]}
    assert titles == {XSS_TITLE, FORMULA_TITLE, AT_TITLE}


def test_compare_csv_neutralises_formula_cells(client, hostile):
    response = client.get("/compare/", {"ids": _ids(hostile), "format": "csv"})
    assert response.status_code == 200
    rows = csv_rows(response)
    assert len(rows) > 1, "the comparison should list the articles' stated lengths"
    assert_no_live_formula(rows)
    titles = {row[rows[0].index("title")] for row in rows[1:]}
    assert "'" + FORMULA_TITLE in titles
    assert XSS_TITLE in titles
    outlets = {row[rows[0].index("outlet")] for row in rows[1:]}
    assert "'" + FORMULA_OUTLET in outlets


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/search/?q={quote(XSS_TITLE)}", 200),
        (f"/search/?q=bridge&outlet={quote(SCRIPT)}&person={quote(BREAKOUT)}", 200),
        (f"/compare/?ids={quote(SCRIPT)}", 400),
        (f"/compare/?ids=1,{quote(BREAKOUT)}", 400),
    ],
)
def test_what_the_visitor_typed_is_echoed_as_text(client, hostile, url, status):
    html = html_of(client, url, expected_status=status)
    assert "&lt;script&gt;" in html or "&quot;&gt;&lt;img" in html
