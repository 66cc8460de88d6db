"""Hostile files at ``load_articles``: every run names each file, nothing stored is lost or half-written.

A property-based test (hypothesis) builds files from random bytes, truncated UTF-8, legacy and
UTF-16 encodings, long lines, nested and malformed JSON / JSON Lines, HTML fragments and NUL bytes,
loads them on top of the seed archive and checks three things after every run:

1. each file is named on a line of the command's output (stdout at verbosity 2 for stored
   articles, stderr for failures), and any failure line on stderr (not a ``warning:`` about what
   a stored article lost) makes the command fail;
2. the seed articles are exactly as they were (ids, titles, bodies, hashes, outlets, authors);
3. every article in the database is whole: a title, a body, the content hash of both, and its
   authors when the file named some.

The extreme inputs too slow to draw on every example (100,000 nesting levels, multi-megabyte lines)
have their own tests below.
"""

from __future__ import annotations

import io
import itertools
import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.ingest.pipeline import content_hash
from articles.models import Article
from articles.models.entities import name_key

# Real transactions, as in a production load: each article commits on its own, and a statement that
# fails on PostgreSQL cannot hide behind the test's own outer transaction.
pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["Anna Ivanova", "Boris Novak", "Chen Okafor", "Dara Mensah", "Élif Kowalski"]
WORDS = (
    "bridge river road minister talks border troops construction year metres agreement city "
    "мост река дорога министр переговоры Größe Straße café naïve"
).split()
_counter = itertools.count()


# --- Strategies -------------------------------------------------------------------------------

sentence = st.lists(st.sampled_from(WORDS), min_size=4, max_size=14).map(
    lambda words: " ".join(words).capitalize() + "."
)
paragraphs = st.lists(sentence, min_size=1, max_size=6).map(" ".join)
article_text = st.tuples(sentence, st.lists(paragraphs, min_size=1, max_size=4)).map(
    lambda parts: parts[0].rstrip(".") + "\n\n" + "\n\n".join(parts[1])
)
hostile_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("<>&\"'\x00\n"),
    max_size=200,
)
json_article = st.fixed_dictionaries(
    {"title": sentence, "body": paragraphs},
    optional={
        "authors": st.lists(st.sampled_from(NAMES), min_size=1, max_size=3),
        "outlet": st.sampled_from(["The Daily Herald", "example.org", "<b>Evil</b> News"]),
        "url": st.sampled_from(["https://example.org/a", "javascript:alert(1)", "ftp://x", ""]),
        "published": st.sampled_from(["2024-05-01", "not a date", "0001-01-01", "1714521600", ""]),
    },
)


def _mutate(text: str, data: st.DataObject) -> str:
    """Break JSON text: cut it, drop a character, or splice in junk."""
    how = data.draw(st.sampled_from(["cut", "drop", "splice"]))
    if not text:
        return text
    at = data.draw(st.integers(0, len(text) - 1))
    if how == "cut":
        return text[:at]
    if how == "drop":
        return text[:at] + text[at + 1 :]
    return (
        text[:at]
        + data.draw(st.sampled_from(["{", "]", '"', ",,", "\\", "\x00", "NaN"]))
        + text[at:]
    )


@st.composite
def hostile_file(draw) -> tuple[str, bytes]:
    """One file: (extension, content bytes)."""
    kind = draw(
        st.sampled_from(
            [
                "random", "truncated_utf8", "encoded", "long_line", "nested_json", "malformed_json",
                "jsonl", "html", "nul", "good_json", "hostile_text",
            ]
        )
    )  # fmt: skip
    ext = draw(st.sampled_from([".txt", ".json", ".jsonl", ".html", ""]))
    if kind == "random":
        return ext, draw(st.binary(max_size=2048))
    if kind == "truncated_utf8":
        data = draw(article_text).encode("utf-8")
        return ext, data[: draw(st.integers(0, len(data)))]
    if kind == "encoded":
        encoding = draw(st.sampled_from(["cp1251", "utf-16", "latin-1", "utf-16-le", "utf-32"]))
        return ext, draw(article_text).encode(encoding, errors="replace")
    if kind == "long_line":
        # Hundreds of kilobytes on one line; the multi-megabyte case is its own test below.
        size = draw(st.integers(10_000, 300_000))
        line = ("word " * (size // 5 + 1))[:size]
        if ext in (".json", ".jsonl"):
            return ext, json.dumps({"title": "Long line", "body": line}).encode()
        return ext, f"Long line\n\n{line}\n".encode()
    if kind == "nested_json":
        # Depths Python's JSON parser can take; 100,000 levels are tested separately.
        depth = draw(st.integers(1, 500))
        opener = draw(st.sampled_from(["[", '{"a":', '{"title": "t", "body": ']))
        closed = draw(st.booleans())
        closer = {"[": "]"}.get(opener, "}")
        return ".json", (opener * depth + ("1" + closer * depth if closed else "")).encode()
    if kind == "malformed_json":
        data = draw(st.data())
        articles = draw(st.lists(json_article, min_size=1, max_size=3))
        return ".json", _mutate(json.dumps(articles, ensure_ascii=False), data).encode()
    if kind == "jsonl":
        data = draw(st.data())
        lines = [
            json.dumps(a, ensure_ascii=False) for a in draw(st.lists(json_article, max_size=4))
        ]
        if lines and draw(st.booleans()):
            index = draw(st.integers(0, len(lines) - 1))
            lines[index] = _mutate(lines[index], data)
        return ".jsonl", "\n".join(lines).encode()
    if kind == "html":
        title, body = draw(sentence), draw(paragraphs)
        fragment = draw(
            st.sampled_from(
                [
                    f"<p>{body}</p>",
                    f"<h1>{title}</h1><p>{body}",
                    f"<html><head><title>{title}</title></head><body><article><p>{body}</p>",
                    f"<div><script>alert(1)</script><p>{body}</p></div>",
                    "<html><body></body></html>",
                    f"<!doctype html><title>{title}</title><p>{body}<p><b><i>unclosed",
                ]
            )
        )
        return ext or ".html", fragment.encode()
    if kind == "nul":
        data = bytearray(draw(article_text).encode())
        for _ in range(draw(st.integers(1, 5))):
            data.insert(draw(st.integers(0, len(data))), 0)
        return ext, bytes(data)
    if kind == "good_json":
        return ".json", json.dumps(draw(json_article)).encode()
    return ext, draw(hostile_text).encode("utf-8", errors="surrogatepass")


# --- Helpers ----------------------------------------------------------------------------------


def snapshot() -> dict:
    """Everything a reader would notice about each stored article."""
    return {
        a.pk: (
            a.title,
            a.body,
            a.content_hash,
            a.outlet_id,
            a.url,
            sorted(a.authors.values_list("pk", flat=True)),
        )
        for a in Article.objects.prefetch_related("authors")
    }


def load(paths) -> tuple[str, str, bool]:
    """Run load_articles on ``paths``; (stdout, stderr, whether it reported a failure)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "load_articles", *map(str, paths), "--no-extract", verbosity=2, stdout=out, stderr=err
        )
        failed = False
    except CommandError:
        failed = True
    return out.getvalue(), err.getvalue(), failed


def write_files(root, files) -> list:
    folder = root / f"run{next(_counter)}"
    folder.mkdir()
    paths = []
    for number, (ext, content) in enumerate(files):
        path = folder / f"file{number}{ext}"
        path.write_bytes(content)
        paths.append(path)
    return paths


def assert_every_file_named(paths, out: str, err: str) -> None:
    lines = (out + err).splitlines()
    for path in paths:
        assert any(line.startswith(f"{path}: ") for line in lines), (
            f"no message names {path.name}:\n{out}\n{err}"
        )


def failure_lines(paths, err: str) -> list[str]:
    """The stderr lines that report a failure: all but the warnings about a stored article."""
    warnings = tuple(f"{path}: warning: " for path in paths)
    return [line for line in err.splitlines() if line.strip() and not line.startswith(warnings)]


def assert_no_half_written_article() -> None:
    for article in Article.objects.prefetch_related("authors"):
        assert article.title.strip() and article.body.strip(), article.pk
        assert article.content_hash == content_hash(article.title, article.body), article.pk
        if article.source_format in ("json", "jsonl"):
            named = _authors_named(article.raw_text)
            if named:
                assert article.authors.exists(), f"article {article.pk} lost its authors {named}"


def _authors_named(raw_text: str) -> list[str]:
    try:
        data = json.loads(raw_text)
    except ValueError:
        return []
    authors = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(authors, list):
        return []
    return [name for name in authors if isinstance(name, str) and name_key(name)]


@pytest.fixture
def seeds(seed_paths) -> dict:
    """The seed articles loaded with --no-extract, and their snapshot."""
    call_command("load_articles", *map(str, seed_paths), "--no-extract", verbosity=0)
    before = snapshot()
    assert len(before) == 5
    return before


# --- The property -----------------------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=st.lists(hostile_file(), min_size=1, max_size=3))
@example(files=[(".txt", b"\x00\x01\x02\xff" * 64)])
@example(files=[(".json", b'[{"title": "T", "body": "B"}, {"title": 1}, ')])
@example(
    files=[(".jsonl", b'{"title": "One", "body": "Text one.", "authors": ["Anna Ivanova"]}\n{bad')]
)
@example(files=[(".json", b'{"title": "Nul \\u0000", "body": "x \\u0000 y"}')])
@example(files=[(".json", b'{"title": "Lone \\ud800 surrogate", "body": "Body text."}')])
@example(files=[("", "Заголовок\n\nТекст статьи.".encode("cp1251"))])
def test_hostile_files_are_reported_and_lose_nothing(tmp_path, seeds, files):
    paths = write_files(tmp_path, files)

    out, err, failed = load(paths)

    assert_every_file_named(paths, out, err)
    if failure_lines(paths, err):
        assert failed, "a failure was reported but the command exited successfully"
    after = snapshot()
    assert {pk: after[pk] for pk in seeds} == seeds
    assert_no_half_written_article()


# --- The extremes, one by one ------------------------------------------------------------------

DEEP = 100_000


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("open.json", "[" * DEEP),
        ("closed.json", "[" * DEEP + "]" * DEEP),
        ("objects.json", '{"a":' * DEEP),
        ("lines.jsonl", '{"title": "Fine", "body": "Fine text."}\n' + "[" * DEEP + "\n"),
        ("sniffed", "[" * DEEP),
    ],
)
def test_deeply_nested_json_is_a_per_file_failure(tmp_path, seeds, name, content):
    bad = tmp_path / name
    bad.write_text(content)
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"title": "After the deep one", "body": "Still loads."}))

    out, err, failed = load([bad, good])

    assert failed
    assert any(line.startswith(f"{bad}: ") for line in err.splitlines()), err
    assert Article.objects.filter(title="After the deep one").count() == 1
    assert {pk: v for pk, v in snapshot().items() if pk in seeds} == seeds


def test_multi_megabyte_lines_load_whole(tmp_path, seeds):
    line = "word " * 400_000  # 2 MB on one line
    text_file = tmp_path / "long.txt"
    text_file.write_text(f"A very long line\n\n{line}\n")
    json_file = tmp_path / "long.json"
    json_file.write_text(
        json.dumps({"title": "A very long JSON body", "body": line, "authors": ["Anna Ivanova"]})
    )

    out, err, failed = load([text_file, json_file])

    assert not failed, err
    assert_every_file_named([text_file, json_file], out, err)
    for title in ("A very long line", "A very long JSON body"):
        article = Article.objects.get(title=title)
        assert article.word_count == 400_000
    assert [p.name for p in Article.objects.get(title="A very long JSON body").authors.all()] == [
        "Anna Ivanova"
    ]
    assert_no_half_written_article()
    assert {pk: v for pk, v in snapshot().items() if pk in seeds} == seeds


@pytest.mark.parametrize(
    ("encoding", "title", "body"),
    [
        ("cp1251", "Мост через Туманную", "Россия и КНДР строят мост длиной один километр."),
        ("utf-16", "Puente sobre el río", "Rusia y Corea del Norte construyen un puente."),
        ("latin-1", "Brücke über den Fluss", "Russland und Nordkorea bauen eine Straßenbrücke."),
    ],
)
def test_other_encodings_are_read_as_the_text_they_hold(tmp_path, seeds, encoding, title, body):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(f"{title}\n\n{body}\n".encode(encoding))

    out, err, failed = load([path])

    assert not failed, err
    article = Article.objects.get(source_name=str(path))
    assert (article.title, article.body) == (title, body)


def test_utf8_cut_mid_character_keeps_the_text_it_holds(tmp_path, seeds):
    path = tmp_path / "cut.txt"
    text = "Café opens by the bridge\n\nThe café near the bridge is open, Señor Núñez said é"
    path.write_bytes(text.encode()[:-1])  # the file ends inside the last "é"

    out, err, failed = load([path])

    article = Article.objects.get(source_name=str(path))
    assert article.title == "Café opens by the bridge"
    assert article.body.startswith("The café near the bridge is open, Señor Núñez said")
