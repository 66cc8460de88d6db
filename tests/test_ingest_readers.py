"""Reading files into RawArticle records: formats, encodings, refusals, and the seed articles."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import readers
from articles.ingest.readers import (
    PartialReadError,
    expand_paths,
    parse_text,
    read_source,
    sniff_format,
)
from articles.ingest.types import ReaderError

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
UTC = dt.UTC

STORY = (
    "Russia and North Korea began building a road bridge over the Tumen River on Wednesday, "
    "officials said in a joint statement."
)


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def read_one(path: Path):
    (article,) = read_source(path)
    return article


# --- the seed articles ------------------------------------------------------------------------


def test_every_seed_keeps_its_exact_text_as_raw_text():
    for path in sorted(SEEDS.glob("*.txt")):
        article = read_one(path)
        assert article.raw_text == path.read_text(encoding="utf-8")
        assert article.source_name == str(path)
        assert article.format == "txt"
        assert article.language == "en"


def test_seed_000_title_no_byline_no_date_no_outlet():
    article = read_one(seed("000"))
    assert article.title == (
        "Russia, North Korea start building first road link amid growing alliance"
    )
    assert article.authors == []
    assert article.published_at is None
    assert (article.outlet, article.outlet_domain, article.url) == ("", "", "")
    assert article.body.startswith("Russia and North Korea have announced the construction")
    assert article.body.endswith("technology for spy satellite launches.")


def test_seed_001_outlet_domain_from_original_source_line():
    article = read_one(seed("001"))
    assert article.outlet_domain == "the-express.com"
    assert article.outlet == ""
    assert "Original Source" not in article.body
    assert article.body.endswith("bears watching in the coming years.")


def test_seed_002_body_without_promotion():
    article = read_one(seed("002"))
    assert "RUSSIA CONFIRMS" not in article.body
    assert "Related Content" not in article.body
    assert "." not in article.body.split("\n")
    assert article.body.startswith("Russia and North Korea further fostered their budding alliance")


def test_seed_003_title_author_date_and_clean_body():
    article = read_one(seed("003"))
    assert article.title == (
        "Development of Russia–North Korea Cooperation: Bridge Construction Begins"
    )
    assert article.authors == ["Konstantin Asmolov"]
    assert article.published_at == dt.datetime(2025, 5, 10, tzinfo=UTC)
    body = article.body
    assert body.startswith("On April 30, Russian Prime Minister Mikhail Mishustin")
    for gone in ["EN|FR|RU", "Follow us on:", "More on this topic", "US Vice President visits"]:
        assert gone not in body
    assert "Konstantin Asmolov, May 10, 2025" not in body
    assert "Technical Details" in body.split("\n")


def test_seed_004_glued_byline_and_date_leave_the_body():
    article = read_one(seed("004"))
    assert article.title == "Strategic bridge over river to connect Russia and North Korea by 2026"
    assert article.authors == ["Vira Kravchuk"]
    assert article.published_at == dt.datetime(2025, 4, 30, tzinfo=UTC)
    lines = article.body.split("\n")
    assert "byVira Kravchuk" not in lines
    assert "30/04/2025" not in lines
    assert "Credit: Kremlin.ru" not in article.body  # a photo caption, not story text
    assert lines[0].startswith("A two-lane road bridge will span the Tumen River")


# --- encodings --------------------------------------------------------------------------------


def test_windows_1252_with_curly_quotes_and_accents(tmp_path):
    text = "Café reopens\n\n“It’s a fine café,” said the owner — naïve, perhaps, but résolu.\n"
    path = tmp_path / "cafe.txt"
    path.write_bytes(text.encode("cp1252"))
    article = read_one(path)
    assert article.title == "Café reopens"
    assert article.body == "“It’s a fine café,” said the owner — naïve, perhaps, but résolu."
    assert article.raw_text == text


def test_latin_1(tmp_path):
    text = "Grüße aus München\n\nDer Bär läuft über die Straße, sagte José García.\n"
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    assert read_one(path).raw_text == text


def test_utf8_with_byte_order_mark_and_windows_newlines(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfBridge opens\r\n\r\nThe bridge opened today.\r\n")
    article = read_one(path)
    assert article.title == "Bridge opens"
    assert article.raw_text == "Bridge opens\n\nThe bridge opened today.\n"


def test_utf16_with_byte_order_mark(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes("Мост открыт\n\nМост открыли сегодня.\n".encode("utf-16"))
    assert read_one(path).title == "Мост открыт"


# --- refusals ---------------------------------------------------------------------------------


def refusal(path) -> str:
    with pytest.raises(ReaderError) as error:
        read_source(path)
    return str(error.value)


def test_missing_file_directory_and_unsupported_type(tmp_path):
    assert refusal(tmp_path / "nope.txt") == "no such file"
    assert refusal(tmp_path) == "is a directory, not a file"
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    assert refusal(tmp_path / "report.pdf").startswith("unsupported file type '.pdf'")


def test_empty_and_whitespace_only_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n\n")
    assert refusal(tmp_path / "empty.txt") == "file is empty"
    assert refusal(tmp_path / "blank.txt") == "file holds only whitespace"


def test_binary_file_is_refused(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary data" in refusal(tmp_path / "image.txt")


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1024)
    path = tmp_path / "big.txt"
    path.write_text("Big story\n\n" + "word " * 400, encoding="utf-8")
    assert refusal(path) == "file is 2 KiB, over the limit of 1 KiB"
    with pytest.raises(ReaderError, match="larger than the limit"):
        read_source("-", stdin=io.BytesIO(path.read_bytes()))


def test_text_with_only_boilerplate_or_only_a_title(tmp_path):
    (tmp_path / "furniture.txt").write_text("EN|FR|RU\nFollow us on:\n", encoding="utf-8")
    (tmp_path / "title.txt").write_text("Just a headline\n", encoding="utf-8")
    assert refusal(tmp_path / "furniture.txt").startswith("no title")
    assert refusal(tmp_path / "title.txt") == "no article text besides the title and metadata"


# --- JSON and JSON Lines ----------------------------------------------------------------------


def test_malformed_json_names_the_position(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "title": "Bridge",\n  "body": "Text"\n  "url": "x"\n}', encoding="utf-8")
    assert refusal(path) == "malformed JSON at line 4, column 3: Expecting ',' delimiter"


def test_json_without_title_or_body(tmp_path):
    (tmp_path / "notitle.json").write_text('{"body": "Text."}', encoding="utf-8")
    (tmp_path / "nobody.json").write_text('{"title": "Bridge"}', encoding="utf-8")
    assert refusal(tmp_path / "notitle.json").startswith("no title")
    assert refusal(tmp_path / "nobody.json").startswith("no body")


def test_json_array_of_two_articles(tmp_path):
    items = [
        {
            "title": "Bridge construction begins",
            "body": "By Jane Doe\n" + STORY + "\n\nShare this article",
            "url": "https://www.dailyplanet.example/world/bridge",
            "source": {"name": "Daily Planet"},
            "published": "2025-04-30T10:00:00Z",
        },
        {
            "title": "Second story",
            "text": "<p>First paragraph &amp; more.</p><p>Second paragraph.</p>",
            "publisher": "example.org",
            "authors": ["Ann Lee", {"name": "Bo Chen"}],
            "date": "30/04/2025",
            "language": "KO",
        },
    ]
    path = tmp_path / "two.json"
    path.write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
    first, second = read_source(path)
    assert first.title == "Bridge construction begins"
    assert first.body == STORY
    assert first.authors == ["Jane Doe"]
    assert first.outlet == "Daily Planet"
    assert first.outlet_domain == "dailyplanet.example"
    assert first.published_at == dt.datetime(2025, 4, 30, 10, tzinfo=UTC)
    assert first.format == "json"
    assert json.loads(first.raw_text) == items[0]
    assert second.body == "First paragraph & more.\nSecond paragraph."
    assert second.authors == ["Ann Lee", "Bo Chen"]
    assert (second.outlet, second.outlet_domain) == ("", "example.org")
    assert second.published_at == dt.datetime(2025, 4, 30, tzinfo=UTC)
    assert second.language == "ko"


def test_json_articles_wrapper_and_partly_bad_array(tmp_path):
    path = tmp_path / "wrapped.json"
    path.write_text(
        json.dumps({"articles": [{"title": "A", "body": STORY}, {"title": "B"}]}),
        encoding="utf-8",
    )
    with pytest.raises(PartialReadError) as error:
        read_source(path)
    assert str(error.value) == (
        '1 of 2 items could not be read: item 2: no body (expected a "body", "text" or '
        '"content" field with text)'
    )
    assert [article.title for article in error.value.articles] == ["A"]


def test_unusable_dates_keep_the_article_without_its_date_and_say_why(tmp_path):
    """One rule for every format: a date that cannot be used is dropped with a warning."""
    latest = dt.datetime.now(UTC).year + 1
    outside = f"is outside the years 1800–{latest} a news article can have; the date is ignored"
    path = tmp_path / "date.json"
    for date, warning in [
        ("sometime", "date 'sometime' is not a date that can be read; the date is ignored"),
        ("2931-05-05", f"date '2931-05-05' {outside}"),
        ("0001-01-01T00:00:00+05:00", f"date '0001-01-01T00:00:00+05:00' {outside}"),
        (-6000000000, f"date -6000000000 {outside}"),  # 1779
        (1e300, "date 1e+300 is not a Unix time that can be read; the date is ignored"),
        (["2025"], "date ['2025'] is not a date that can be read; the date is ignored"),
    ]:
        path.write_text(json.dumps({"title": "A", "body": STORY, "date": date}))
        article = read_one(path)
        assert (article.title, article.published_at, article.warnings) == ("A", None, [warning])
    text = tmp_path / "date.txt"
    for date in ("0001-01-01", "9999-12-31", "9999-12-31T23:00:00-05:00"):
        text.write_text(f"Title: A\nDate: {date}\n\n{STORY}\n")
        article = read_one(text)
        assert (article.title, article.body, article.published_at) == ("A", STORY, None)
        assert article.warnings == [f"date {date!r} {outside}"]


def test_unix_times_are_read_and_good_dates_give_no_warning(tmp_path):
    path = tmp_path / "date.json"
    for stamp in (1746007200, 1746007200000, "2025-04-30T10:00:00Z"):
        path.write_text(json.dumps({"title": "A", "body": STORY, "published_at": stamp}))
        article = read_one(path)
        assert (article.published_at, article.warnings) == (
            dt.datetime(2025, 4, 30, 10, tzinfo=UTC),
            [],
        )


def test_date_warnings_of_several_articles_name_the_item_or_line(tmp_path):
    items = [{"title": "A", "body": STORY}, {"title": "B", "body": STORY, "date": "9999-01-01"}]
    array = tmp_path / "two.json"
    array.write_text(json.dumps(items))
    lines = tmp_path / "two.jsonl"
    lines.write_text("\n".join(json.dumps(item) for item in items))
    latest = dt.datetime.now(UTC).year + 1
    warning = (
        f"date '9999-01-01' is outside the years 1800–{latest} a news article can have; "
        "the date is ignored"
    )
    assert [a.warnings for a in read_source(array)] == [[], [f"item 2: {warning}"]]
    assert [a.warnings for a in read_source(lines)] == [[], [f"line 2: {warning}"]]


def test_json_lines_keeps_good_lines_and_names_bad_ones(tmp_path):
    lines = [
        json.dumps({"title": "One", "body": STORY, "outlet": "Daily Planet"}),
        "",
        '{"title": "Two", "body": ',
        json.dumps({"title": "Three", "content": STORY, "author": "Jane Doe and John Roe"}),
        json.dumps({"body": STORY}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PartialReadError) as error:
        read_source(path)
    assert str(error.value) == (
        "2 of 4 lines could not be read: "
        "line 3: malformed JSON at column 26: Expecting value; "
        'line 5: no title (expected a "title" field with text)'
    )
    one, three = error.value.articles
    assert (one.title, one.outlet, one.format, one.raw_text) == (
        "One",
        "Daily Planet",
        "jsonl",
        lines[0],
    )
    assert three.authors == ["Jane Doe", "John Roe"]


def test_json_lines_all_good(tmp_path):
    path = tmp_path / "feed.ndjson"
    path.write_text(
        "\n".join(json.dumps({"title": f"Story {n}", "body": STORY}) for n in range(3)),
        encoding="utf-8",
    )
    assert [article.title for article in read_source(path)] == ["Story 0", "Story 1", "Story 2"]


# --- HTML -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Bridge construction begins | Daily Planet</title>
  <meta property="og:site_name" content="Daily Planet">
  <meta property="og:title" content="Bridge construction begins">
  <meta name="author" content="Jane Doe">
  <meta property="article:published_time" content="2025-04-30T10:00:00Z">
  <link rel="canonical" href="https://www.dailyplanet.example/world/bridge">
</head>
<body>
  <header>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
      <li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav>
  </header>
  <main>
    <article>
      <h1>Bridge construction begins</h1>
      <p class="byline">By Jane Doe</p>
      <p>{story}</p>
      <p>The bridge will be about one kilometre long and is expected to take a year and a half
         to build, according to the transport ministry.</p>
      <p>Prime Minister Mikhail Mishustin called it a milestone for relations between the two
         countries, and Pak Thae Song called it a monument to their friendship.</p>
    </article>
    <aside><h2>Most read</h2><ul><li><a href="/a">Markets slide</a></li></ul></aside>
  </main>
  <footer><p>Copyright 2025 Daily Planet. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a></footer>
</body>
</html>
""".replace("{story}", STORY)


def test_html_page_gives_main_text_and_page_metadata(tmp_path):
    path = tmp_path / "bridge.html"
    path.write_text(PAGE, encoding="utf-8")
    article = read_one(path)
    assert article.title == "Bridge construction begins"
    assert article.authors == ["Jane Doe"]
    assert article.published_at == dt.datetime(2025, 4, 30, tzinfo=UTC)
    assert article.outlet == "Daily Planet"
    assert article.outlet_domain == "dailyplanet.example"
    assert article.url == "https://www.dailyplanet.example/world/bridge"
    assert article.format == "html"
    assert article.raw_text == PAGE
    lines = article.body.split("\n")
    assert lines[0] == STORY
    assert len(lines) == 3
    for furniture in ["Home", "Subscribe", "Most read", "Markets slide", "Privacy", "By Jane Doe"]:
        assert furniture not in article.body


def test_stdin_is_sniffed(tmp_path):
    (article,) = read_source("-", stdin=io.BytesIO(PAGE.encode("utf-8")))
    assert article.format == "html"
    assert article.source_name == "<stdin>"
    (article,) = read_source("-", stdin=io.BytesIO(b"Headline\n\nBody text here.\n"))
    assert (article.format, article.title, article.body) == ("txt", "Headline", "Body text here.")


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ('{"title": "A", "body": "B"}', "json"),
        ('[{"title": "A"}]', "json"),
        ('{"title": "A"}\n{"title": "B"}\n', "jsonl"),
        ("<!doctype html><html><body><p>Hi</p></body></html>", "html"),
        ("Headline\n\nText.", "txt"),
    ],
)
def test_sniff_format(text, fmt):
    assert sniff_format(text) == fmt


# --- plain text with a header block -----------------------------------------------------------


def test_header_block_text_file(tmp_path):
    path = tmp_path / "header.txt"
    path.write_text(
        "Outlet: Daily Planet\n"
        "URL: https://www.dailyplanet.example/world/bridge\n"
        "By: Jane Doe\n"
        "Date: 30 April 2025\n"
        "\n"
        "Bridge construction begins\n"
        "\n"
        f"{STORY}\n",
        encoding="utf-8",
    )
    article = read_one(path)
    assert article.title == "Bridge construction begins"
    assert article.outlet == "Daily Planet"
    assert article.outlet_domain == "dailyplanet.example"
    assert article.authors == ["Jane Doe"]
    assert article.published_at == dt.datetime(2025, 4, 30, tzinfo=UTC)
    assert article.body == STORY


def test_parse_text_on_a_string_and_markdown_title():
    article = parse_text("# Bridge opens\n\n## Details\n\nIt opened.", source_name="memo")
    assert (article.title, article.body, article.source_name) == (
        "Bridge opens",
        "Details\n\nIt opened.",
        "memo",
    )


# --- expanding arguments ----------------------------------------------------------------------


def test_expand_paths(tmp_path):
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.json").write_text("x")
    (tmp_path / "notes.docx").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("x")
    (tmp_path / ".e.txt").write_text("x")
    missing = str(tmp_path / "missing.txt")
    nothing = str(tmp_path / "*.md")
    result = expand_paths(
        [
            str(tmp_path),
            "-",
            str(tmp_path / "*.txt"),
            missing,
            "-",
            nothing,
            str(tmp_path / "a.json"),
        ]
    )
    assert result == [
        tmp_path / "a.json",
        tmp_path / "b.txt",
        tmp_path / "sub" / "c.html",
        "-",
        Path(missing),
        Path(nothing),
    ]


def test_cyrillic_legacy_encoding_and_random_bytes(tmp_path):
    text = "Мост через Туманную\n\nСтроительство моста между Россией и КНДР началось в среду.\n"
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    assert read_one(tmp_path / "ru.txt").raw_text == text
    noise = bytes((n * 7919) % 255 + 1 for n in range(4000))
    (tmp_path / "noise.txt").write_bytes(noise)
    assert refusal(tmp_path / "noise.txt") == (
        "file is not text in any encoding that could be recognised"
    )


def test_html_page_without_site_name_has_no_outlet_name(tmp_path):
    page = PAGE.replace('<meta property="og:site_name" content="Daily Planet">', "").replace(
        " | Daily Planet", ""
    )
    path = tmp_path / "plain.htm"
    path.write_text(page, encoding="utf-8")
    article = read_one(path)
    assert (article.outlet, article.outlet_domain) == ("", "dailyplanet.example")


def test_capitalised_headline_is_still_the_title():
    text = "RUSSIA AND NORTH KOREA START BUILDING FIRST ROAD LINK\n\nWork began on Wednesday.\n"
    article = parse_text(text, source_name="wire")
    assert article.title == "RUSSIA AND NORTH KOREA START BUILDING FIRST ROAD LINK"
    assert article.body == "Work began on Wednesday."


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(
        '---\ntitle: "Bridge opens"\nauthor: Jane Doe\ndate: 2025-04-30\ntags: [world]\n---\n\n'
        "# Bridge opens\n\nThe bridge opened.\n",
        encoding="utf-8",
    )
    article = read_one(path)
    assert (article.title, article.authors, article.body) == (
        "Bridge opens",
        ["Jane Doe"],
        "The bridge opened.",
    )
    assert article.published_at == dt.datetime(2025, 4, 30, tzinfo=UTC)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_bytes_give_articles_or_a_reader_error(tmp_path, data):
    """Whatever a file holds, reading it never crashes and never loses the decoded text."""
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    try:
        articles = read_source(path)
    except ReaderError as error:
        assert str(error)
        return
    (article,) = articles
    assert article.title and article.body
    assert article.raw_text == readers.decode(data)
