"""The load_articles command end to end, on real files and a real database (both engines)."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from articles.ingest.pipeline import content_hash, safe_url
from articles.models import Article, Outlet, Person

pytestmark = pytest.mark.django_db

SEED_TITLES = {
    "000": "Russia, North Korea start building first road link amid growing alliance",
    "001": "North Korea and Russia Build New Bridge to Strengthen Bilateral Relations",
    "002": "Russia and North Korea foster growing relationship with construction of road connection",
    "003": "Development of Russia–North Korea Cooperation: Bridge Construction Begins",
    "004": "Strategic bridge over river to connect Russia and North Korea by 2026",
}


def load(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_articles", *args, "--no-extract", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_seed_directory_loads_five_articles_with_metadata(seed_paths):
    out, _ = load(str(seed_paths[0].parent))

    assert "5 loaded, 0 unchanged, 0 updated, 0 failed" in out
    titles = {a.source_name.rsplit("/", 1)[-1][:3]: a.title for a in Article.objects.all()}
    assert titles == SEED_TITLES
    by_prefix = {a.source_name.rsplit("/", 1)[-1][:3]: a for a in Article.objects.all()}
    assert by_prefix["001"].outlet.domain == "the-express.com"
    assert by_prefix["000"].outlet is None  # the text names no outlet: never guessed
    assert [p.name for p in by_prefix["003"].authors.all()] == ["Konstantin Asmolov"]
    assert [p.name for p in by_prefix["004"].authors.all()] == ["Vira Kravchuk"]
    assert by_prefix["004"].published_at.date().isoformat() == "2025-04-30"
    assert by_prefix["003"].published_at.date().isoformat() == "2025-05-10"


def test_cleaning_removes_boilerplate_but_keeps_raw_text(seed_paths):
    load(*map(str, seed_paths))
    article = Article.objects.get(source_name__endswith="003_32ad3f42eb87274e.txt")
    for line in ("EN|FR|RU", "Follow us on:", "More on this topic", "Myanmar – the unbound jewel"):
        assert line not in article.body
        assert line in article.raw_text
    assert article.raw_text == seed_paths[3].read_text(encoding="utf-8")
    assert "Technical Details" in article.body
    assert article.word_count == len(article.body.split())


def test_loading_twice_adds_nothing(seed_paths):
    load(*map(str, seed_paths))
    first = sorted(Article.objects.values_list("id", "content_hash"))
    out, _ = load(*map(str, seed_paths))

    assert "0 loaded, 5 unchanged" in out
    assert sorted(Article.objects.values_list("id", "content_hash")) == first
    assert Outlet.objects.count() == 1
    assert Person.objects.filter(name="Vira Kravchuk").count() == 1


def test_bad_files_are_named_and_the_good_one_still_loads(tmp_path, seed_paths):
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 200)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text(seed_paths[0].read_text(encoding="utf-8"), encoding="utf-8")

    with pytest.raises(CommandError, match="2 file"):
        call_command("load_articles", str(tmp_path), "--no-extract", stdout=io.StringIO(),
                     stderr=(err := io.StringIO()))  # fmt: skip

    messages = err.getvalue().splitlines()
    assert any("binary.txt" in m and "binary" in m.lower() for m in messages)
    assert any("empty.txt" in m and "empty" in m.lower() for m in messages)
    assert list(Article.objects.values_list("title", flat=True)) == [SEED_TITLES["000"]]


def test_malformed_json_fails_alone_and_stored_articles_stay_intact(tmp_path, seed_paths):
    load(str(seed_paths[1]))
    before = list(Article.objects.values_list("id", "title", "body"))
    (tmp_path / "broken.json").write_text('{"title": "Half", "body": "cut off', encoding="utf-8")
    (tmp_path / "ok.json").write_text(
        json.dumps([{"title": "A JSON article", "body": "Body one.", "outlet": "Example Times",
                     "authors": ["Ann Author"], "published": "2025-05-01T10:00:00Z",
                     "url": "https://example.com/a"}]),
        encoding="utf-8",
    )  # fmt: skip
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_articles", str(tmp_path), "--no-extract", stdout=io.StringIO(),
                     stderr=err)  # fmt: skip

    assert "broken.json" in err.getvalue()
    assert set(before) <= set(Article.objects.values_list("id", "title", "body"))
    added = Article.objects.get(title="A JSON article")
    assert added.outlet.name == "Example Times"
    assert [p.name for p in added.authors.all()] == ["Ann Author"]
    assert added.url == "https://example.com/a"
    assert Article.objects.filter(title="Half").count() == 0


def test_dry_run_writes_nothing(seed_paths):
    out, _ = call_command_output("load_articles", *map(str, seed_paths), "--dry-run")
    assert "Dry run: 5 loaded" in out
    assert Article.objects.count() == 0
    assert Outlet.objects.count() == 0


def test_update_refreshes_an_article_with_the_same_source(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Bridge story\n\nThe bridge will be 1 km long.\n", encoding="utf-8")
    load(str(path))
    original = Article.objects.get()
    path.write_text("Bridge story\n\nThe bridge will be 850 metres long.\n", encoding="utf-8")

    out, _ = load(str(path))  # without --update a changed file is a new article
    assert Article.objects.count() == 2
    Article.objects.exclude(pk=original.pk).delete()

    path.write_text("Bridge story\n\nThe bridge will be 900 metres long.\n", encoding="utf-8")
    out, _ = load(str(path), "--update")
    assert "1 updated" in out
    refreshed = Article.objects.get()
    assert refreshed.pk == original.pk
    assert "900 metres" in refreshed.body


def test_stdin_and_jsonl(tmp_path, monkeypatch):
    lines = "\n".join(
        json.dumps({"title": f"Line {i}", "text": f"Body of line {i}."}) for i in range(3)
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    out, _ = load("-")
    assert "3 loaded" in out
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Line 0", "Line 1", "Line 2"]


def test_legacy_encoding_is_decoded(tmp_path):
    text = "Café owners protest\n\n“We will not close,” said José Martín, owner of the café.\n"
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    load(str(tmp_path / "cp1252.txt"))
    article = Article.objects.get()
    assert article.title == "Café owners protest"
    assert "“We will not close,” said José Martín" in article.body


def test_an_unusable_date_costs_the_date_not_the_article_and_says_so(tmp_path):
    """The same rule for a text header and a JSON field: stored without the date, one warning."""
    (tmp_path / "a.txt").write_text("Title: Bridge opens\nDate: 0001-01-01\n\nIt opened today.\n")
    (tmp_path / "b.txt").write_text("Title: Bridge shut\nDate: 9999-12-31\n\nIt shut today.\n")
    (tmp_path / "c.json").write_text(
        json.dumps({"title": "Bridge tolls", "body": "Tolls rose.", "published": "0001-01-01"})
    )
    (tmp_path / "d.jsonl").write_text(
        json.dumps({"title": "Bridge dated", "body": "A good date.", "date": "2025-04-30"})
        + "\n"
        + json.dumps({"title": "Bridge undated", "body": "A bad date.", "date": "sometime"})
    )

    out, err = load(str(tmp_path))  # no CommandError: nothing failed

    assert "5 loaded, 0 unchanged, 0 updated, 0 failed." in out
    latest = dt.datetime.now(dt.UTC).year + 1
    years = f"is outside the years 1800–{latest} a news article can have; the date is ignored"
    assert err.splitlines() == [
        f"{tmp_path / 'a.txt'}: warning: date '0001-01-01' {years}",
        f"{tmp_path / 'b.txt'}: warning: date '9999-12-31' {years}",
        f"{tmp_path / 'c.json'}: warning: date '0001-01-01' {years}",
        f"{tmp_path / 'd.jsonl'}: warning: line 2: date 'sometime' is not a date that can be read; "
        "the date is ignored",
    ]
    dates = dict(Article.objects.values_list("title", "published_at"))
    assert dates == {
        "Bridge opens": None,
        "Bridge shut": None,
        "Bridge tolls": None,
        "Bridge dated": dt.datetime(2025, 4, 30, tzinfo=dt.UTC),
        "Bridge undated": None,
    }
    assert Article.objects.get(title="Bridge opens").body == "It opened today."


def test_a_long_title_or_a_url_that_is_not_kept_is_stored_with_a_warning(tmp_path):
    title = "Bridge " + "very " * 120 + "long"  # 611 characters
    long_url = "https://example.org/" + "a" * 2000
    (tmp_path / "long.json").write_text(
        json.dumps(
            [
                {"title": title, "body": "Body one.", "url": "https://example.org/ok"},
                {"title": "Short title", "body": "Body two.", "url": long_url},
            ]
        )
    )
    (tmp_path / "script.txt").write_text("Title: Scripted\nURL: javascript:alert(1)\n\nText.\n")

    out, err = load(str(tmp_path))

    assert "3 loaded, 0 unchanged, 0 updated, 0 failed." in out
    json_file, text_file = tmp_path / "long.json", tmp_path / "script.txt"
    assert err.splitlines() == [
        f"{json_file}: warning: title shortened to its first 500 characters (it has 611): "
        f"{title[:59] + '…'!r}",
        f"{json_file}: warning: URL dropped from 'Short title': it is 2,020 characters, "
        "over the limit of 2,000",
        f"{text_file}: warning: URL dropped from 'Scripted': 'javascript:alert(1)' is not an "
        "http(s) address a page can link to",
    ]
    stored = {a.body: (a.title, a.url) for a in Article.objects.all()}
    assert stored == {
        "Body one.": (title[:500], "https://example.org/ok"),
        "Body two.": ("Short title", ""),
        "Text.": ("Scripted", ""),
    }
    # -v 0 is quiet about what was kept anyway; a clean file gives no warning at all.
    (tmp_path / "again.json").write_text(json.dumps({"title": title, "body": "Body three."}))
    _, quiet = load(str(tmp_path / "again.json"), "--verbosity", "0")
    assert quiet == ""
    assert (
        load(str(tmp_path / "long.json"))[1].count("warning:") == 2
    )  # said again, not stored twice
    assert Article.objects.count() == 4


def test_javascript_urls_are_never_stored():
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url(" JAVASCRIPT:alert(1)") == ""
    assert safe_url("www.the-express.com") == "https://www.the-express.com"
    assert safe_url("https://example.com/x") == "https://example.com/x"


def test_content_hash_ignores_whitespace_only_differences():
    assert content_hash("Title", "One  two\nthree") == content_hash(" Title ", "One two three")
    assert content_hash("Title", "One two") != content_hash("Title", "One three")


def call_command_output(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_large_load_written_by_several_connections_counts_every_article_once(tmp_path):
    # Outside a test transaction the loader writes batches on several connections at once (on
    # PostgreSQL); a copy of an article in a later batch must still be "unchanged", not loaded
    # twice, and every author and outlet must exist once.
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(620):
        n = 7 if i == 450 else i  # file 450 repeats file 7, two batches later
        text = (
            f"Title: Load report {n}\nAuthor: Writer {n % 5}\nSource: Outlet {n % 3}\n\n"
            f"Report {n} says the river rose {n} cm overnight."
        )
        (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")

    out, err = load(str(folder))

    assert "619 loaded, 1 unchanged, 0 updated, 0 failed" in out, err
    assert Article.objects.count() == 619
    assert Article.objects.filter(title="Load report 7").count() == 1
    assert sorted(Person.objects.values_list("name", flat=True)) == [
        f"Writer {k}" for k in range(5)
    ]
    assert Outlet.objects.count() == 3
    assert Article.authors.through.objects.count() == 619


def test_a_large_load_tells_the_planner_how_common_its_words_are(tmp_path, settings, engine):
    """PostgreSQL: load_articles runs ANALYZE after a large load (ANALYZE_AFTER), so the planner
    knows that a word every article holds matches every article, and walks ids newest first
    instead of reading all matches. SQLite plans these queries without statistics."""
    import json as json_module

    from django.db import connection

    if engine != "postgresql":
        pytest.skip("SQLite plans searches without statistics (articles.ingest.bulk)")
    settings.NEWSARCHIVE = {**settings.NEWSARCHIVE, "ANALYZE_AFTER": 40}
    explain = (
        "EXPLAIN (FORMAT JSON) SELECT id FROM articles_article"
        " WHERE search_vector @@ to_tsquery('articles_english', 'harbour')"
    )

    def estimate() -> int:
        with connection.cursor() as cursor:
            cursor.execute(explain)
            plan = cursor.fetchone()[0]
        plan = json_module.loads(plan) if isinstance(plan, str) else plan
        return plan[0]["Plan"]["Plan Rows"]

    for n in range(30):
        (tmp_path / f"small-{n}.txt").write_text(f"Harbour notes {n}\n\nThe harbour opened {n}.")
    out, _ = load(str(tmp_path))
    assert "statistics" not in out  # 30 articles: below the bar
    for n in range(30, 80):
        (tmp_path / f"small-{n}.txt").write_text(f"Harbour notes {n}\n\nThe harbour opened {n}.")
    out, _ = load(str(tmp_path))
    assert "Refreshed the database's statistics" in out
    assert estimate() == Article.objects.count() == 80


@pytest.mark.django_db(transaction=True)
def test_a_large_load_lets_postgresql_count_an_outlet_from_its_index(tmp_path, settings, engine):
    """PostgreSQL: outside a transaction the refresh is VACUUM (ANALYZE), which marks the new
    pages all-visible, so an outlet's article total is counted from the (outlet) index alone,
    without reading the articles; and the total is right."""
    from django.db import connection

    from articles.queries import article_total

    if engine != "postgresql":
        pytest.skip("SQLite's indexes hold the row id; there is no visibility map")
    settings.NEWSARCHIVE = {**settings.NEWSARCHIVE, "ANALYZE_AFTER": 40}
    for n in range(60):
        (tmp_path / f"wire-{n}.txt").write_text(
            f"Outlet: Harbour Wire\n\nHarbour notes {n}\n\nThe harbour opened {n}."
        )
    out, _ = load(str(tmp_path))
    assert "Refreshed the database's statistics" in out
    outlet = Outlet.objects.annotate(total=article_total("outlet")).get(name="Harbour Wire")
    assert outlet.total == 60
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relallvisible FROM pg_class WHERE oid = 'articles_article'::regclass"
        )
        assert cursor.fetchone()[0] > 0
        query = Outlet.objects.filter(pk=outlet.pk).annotate(total=article_total("outlet"))
        sql, params = query.values("total").query.sql_with_params()
        cursor.execute("SET LOCAL enable_seqscan = off; EXPLAIN " + sql, params)
        cursor.nextset()
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan" in plan and "articles_article_outlet" in plan, plan
