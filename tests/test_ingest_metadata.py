"""Metadata read from article text: title, byline, date, outlet — and nothing guessed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from articles.ingest.metadata import (
    date_line,
    extract_metadata,
    parse_byline,
    parse_date,
    split_authors,
)

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
UTC = dt.UTC


def seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_seed_000_has_title_and_nothing_else():
    meta = extract_metadata(seed_text("000"))
    assert meta.title == "Russia, North Korea start building first road link amid growing alliance"
    assert meta.authors == []
    assert meta.published_at is None
    assert (meta.outlet, meta.outlet_domain, meta.url) == ("", "", "")
    assert meta.consumed_lines == {0}


def test_seed_001_original_source_gives_domain_but_no_outlet_name():
    text = seed_text("001")
    meta = extract_metadata(text)
    assert meta.outlet_domain == "the-express.com"
    assert meta.outlet == ""
    source_line = text.split("\n").index("Original Source: www.the-express.com")
    assert source_line in meta.consumed_lines


def test_seed_003_title_after_boilerplate_and_name_date_byline():
    meta = extract_metadata(seed_text("003"))
    assert meta.title == (
        "Development of Russia–North Korea Cooperation: Bridge Construction Begins"
    )
    assert meta.authors == ["Konstantin Asmolov"]
    assert meta.published_at == dt.datetime(2025, 5, 10, tzinfo=UTC)
    assert meta.consumed_lines == {3, 5}


def test_seed_004_glued_byline_and_day_first_date():
    meta = extract_metadata(seed_text("004"))
    assert meta.title == "Strategic bridge over river to connect Russia and North Korea by 2026"
    assert meta.authors == ["Vira Kravchuk"]
    assert meta.published_at == dt.datetime(2025, 4, 30, tzinfo=UTC)
    assert meta.consumed_lines == {0, 3, 4}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("May 10, 2025", dt.datetime(2025, 5, 10, tzinfo=UTC)),
        ("30/04/2025", dt.datetime(2025, 4, 30, tzinfo=UTC)),
        ("04/30/2025", dt.datetime(2025, 4, 30, tzinfo=UTC)),
        ("2025-04-30", dt.datetime(2025, 4, 30, tzinfo=UTC)),
        ("30 April 2025", dt.datetime(2025, 4, 30, tzinfo=UTC)),
        ("April 30, 2025", dt.datetime(2025, 4, 30, tzinfo=UTC)),
        ("Published: Wednesday, April 30, 2025", dt.datetime(2025, 4, 30, tzinfo=UTC)),
        ("Updated Apr. 30, 2025 10:15 EST", dt.datetime(2025, 4, 30, 15, 15, tzinfo=UTC)),
        ("2025-04-30T10:00:00+03:00", dt.datetime(2025, 4, 30, 7, 0, tzinfo=UTC)),
        ("2025-05-01", dt.datetime(2025, 5, 1, tzinfo=UTC)),
        ("05/04/2025", dt.datetime(2025, 4, 5, tzinfo=UTC)),
        ("01.05.2025, 14:22 (MSK)", dt.datetime(2025, 5, 1, 11, 22, tzinfo=UTC)),
        ("Thursday 1 May 2025 10.30 BST", dt.datetime(2025, 5, 1, 9, 30, tzinfo=UTC)),
        ("May 1, 2025 | 3:45 PM", dt.datetime(2025, 5, 1, 15, 45, tzinfo=UTC)),
    ],
)
def test_date_lines_in_usual_forms(line, expected):
    assert date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "On April 30, 2025, North Korea and Russia held a ceremony.",
        "The bridge opened in June 2024.",
        "April 30",
        "32/13/2025",
        "Trade rose in 2023.",
    ],
)
def test_sentences_and_partial_dates_are_not_date_lines(line):
    assert date_line(line) is None


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("BY JANE DOE", ["Jane Doe"]),
        ("byVira Kravchuk", ["Vira Kravchuk"]),
        ("By Jane Doe and John Q. Roe", ["Jane Doe", "John Q. Roe"]),
        ("By Jane Doe, Reuters", ["Jane Doe"]),
        ("Written by Ludwig van Beethoven", ["Ludwig van Beethoven"]),
        ("Author: Jane Doe", ["Jane Doe"]),
        ("Konstantin Asmolov, May 10, 2025", ["Konstantin Asmolov"]),
        ("By February 2024, North Korea reportedly shipped over 2.5 million shells.", None),
        ("Byron Smith", None),
        ("bypass the bridge", None),
        ("Jane Doe", None),
        ("The Associated Press, May 10, 2025", None),
    ],
)
def test_bylines(line, authors):
    result = parse_byline(line)
    assert (result[0] if result else None) == authors


def test_byline_with_date_gives_both():
    assert parse_byline("By Jane Doe | May 1, 2025") == (
        ["Jane Doe"],
        dt.datetime(2025, 5, 1, tzinfo=UTC),
    )


def test_date_in_body_far_from_top_is_not_publication_date():
    text = "\n".join(
        [
            "Bridge opens",
            "",
            "First paragraph without a date.",
            "Second paragraph.",
            "Third paragraph.",
            "Fourth paragraph.",
            "Fifth paragraph.",
            "Sixth paragraph.",
            "Seventh paragraph.",
            "April 30, 2025",
            "Ninth paragraph.",
            "Tenth paragraph.",
            "Eleventh paragraph.",
            "Twelfth paragraph.",
            "Thirteenth paragraph.",
        ]
    )
    meta = extract_metadata(text)
    assert meta.published_at is None
    assert meta.consumed_lines == {0}


def test_header_block():
    text = (
        "Title: Bridge construction begins\n"
        "Outlet: Daily Planet\n"
        "URL: https://www.dailyplanet.example/world/bridge\n"
        "Authors: Jane Doe; John Roe\n"
        "Published: 2025-04-30\n"
        "Language: EN\n"
        "\n"
        "Bridge construction begins\n"
        "\n"
        "Work began on Wednesday.\n"
    )
    meta = extract_metadata(text)
    assert meta.title == "Bridge construction begins"
    assert meta.outlet == "Daily Planet"
    assert meta.outlet_domain == "dailyplanet.example"
    assert meta.url == "https://www.dailyplanet.example/world/bridge"
    assert meta.authors == ["Jane Doe", "John Roe"]
    assert meta.published_at == dt.datetime(2025, 4, 30, tzinfo=UTC)
    assert meta.language == "en"
    assert meta.consumed_lines == {0, 1, 2, 3, 4, 5, 7}


def test_copyright_and_source_name_at_bottom_give_outlet():
    text = "Headline\n\nStory text.\n\nSource: Reuters\n"
    assert extract_metadata(text).outlet == "Reuters"
    text = "Headline\n\nStory text.\n\n© 2025 Daily Planet. All rights reserved.\n"
    meta = extract_metadata(text)
    assert meta.outlet == "Daily Planet"
    assert 4 in meta.consumed_lines


def test_author_note_at_bottom_is_not_a_byline():
    text = "Headline\n\nStory text.\n\nJane Doe, May 10, 2025\n"
    meta = extract_metadata(text)
    # Within the top lines of so short a text it is a byline; the rule is about position.
    assert meta.authors == ["Jane Doe"]
    long_text = "Headline\n\n" + "Story text.\n" * 10 + "\nJane Doe, May 10, 2025\n"
    assert extract_metadata(long_text).authors == []


def test_split_authors_keeps_organisations_whole():
    assert split_authors("Jane Doe and John Roe") == ["Jane Doe", "John Roe"]
    assert split_authors("Reuters") == ["Reuters"]
    assert split_authors("Jane Doe; Reuters Staff") == ["Jane Doe", "Reuters Staff"]


def test_byline_above_the_headline_is_read_and_consumed():
    meta = extract_metadata("By Jane Doe\nHeadline here\n\nBody text.")
    assert (meta.title, meta.authors, meta.consumed_lines) == (
        "Headline here",
        ["Jane Doe"],
        {0, 1},
    )


def test_parse_date_needs_a_year():
    assert parse_date("5") is None
    assert parse_date("Thursday") is None
    assert parse_date("Thu, 01 May 2025 10:00:00 +0000") == dt.datetime(2025, 5, 1, 10, tzinfo=UTC)


def test_wire_style_byline_affiliation_time_first_date_and_copyright():
    text = (
        "Russia and North Korea begin work on road bridge\n"
        "\n"
        "By KIM TONG-HYUNG\n"
        "Associated Press\n"
        "Updated 6:04 AM GMT+3, May 1, 2025\n"
        "\n"
        "SEOUL, South Korea (AP) — The two countries began building a road bridge on Wednesday.\n"
        "\n"
        "The bridge will be 1 kilometer long.\n"
        "\n"
        "Copyright 2025 The Associated Press. All Rights Reserved.\n"
    )
    meta = extract_metadata(text)
    assert meta.authors == ["Kim Tong-Hyung"]
    # GMT+3 is three hours ahead of UTC (dateutil alone would read it the other way round).
    assert meta.published_at == dt.datetime(2025, 5, 1, 3, 4, tzinfo=UTC)
    assert meta.outlet == "The Associated Press"
    assert meta.consumed_lines == {0, 2, 3, 4, 10}


def test_name_in_place_byline_next_to_a_date_line():
    text = (
        "Russia and North Korea start bridge\n"
        "Jane Doe in Seoul\n"
        "Thu 1 May 2025 06.00 BST\n"
        "The two countries began building the bridge, officials said.\n"
        "Officials in Moscow said little.\n"
    )
    meta = extract_metadata(text)
    assert meta.authors == ["Jane Doe"]
    assert meta.published_at == dt.datetime(2025, 5, 1, 5, 0, tzinfo=UTC)
    assert meta.consumed_lines == {0, 1, 2}
    # Without a date line beside it, "Name in Place" is just a line of the story.
    assert extract_metadata(text.replace("Thu 1 May 2025 06.00 BST\n", "")).authors == []
