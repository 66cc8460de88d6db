"""Cleaning article bodies: site furniture out, content and structure kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.ingest.cleaning import boilerplate_line, clean_body

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "line",
    [
        "EN|FR|RU",
        "EN | DE",
        "Follow us on:",
        "Share this article",
        "Subscribe to our newsletter",
        "Sign up for our daily email alerts",
        "Related Content",
        "More on this topic",
        "You may also like",
        "Advertisement",
        ".",
        "* * *",
        "Original Source: www.the-express.com",
        "Source: Reuters",
        "This article originally appeared on Daily Planet",
        "Copyright 2025 The Associated Press. All rights reserved.",
        "© 2025 Daily Planet. All rights reserved.",
        "Putin meets Kim in Pyongyang. Credit: Kremlin.ru",
        "RUSSIA CONFIRMS NORTH KOREAN TROOPS FIGHTING UKRAINE AS TRUMP’S PATIENCE WITH PUTIN WEARS THIN",
    ],
)
def test_boilerplate_lines_are_recognised(line):
    assert boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "NATO",
        "UN SECURITY COUNCIL",
        "Technical Details",
        "Share prices fell by 3% on Monday after the announcement.",
        "Follow the money, the investigators said.",
        "Subscribers to the service complained that the price rose.",
        "Russia and North Korea share a small 11-mile border.",
        "The bridge will be 1 kilometer long.",
        "Sources close to the Kremlin said the bridge will open in 2026.",
        "Source code for the border app was published on Monday",
        "Copyright law in both countries differs.",
        "A video showed the ceremony.",
        "",
    ],
)
def test_content_lines_are_not_boilerplate(line):
    assert not boilerplate_line(line)


def test_seed_002_loses_shouting_headline_related_content_and_lone_dot():
    body = clean_body(seed_text("002"))
    assert "RUSSIA CONFIRMS" not in body
    assert "Related Content" not in body
    assert "." not in body.split("\n")
    assert body.endswith("has also opened up to Russian tourists, starting in February.")
    assert "Putin, in turn, thanked North Korea" in body


def test_seed_003_loses_switcher_follow_prompt_and_related_list():
    body = clean_body(seed_text("003"))
    lines = body.split("\n")
    for gone in [
        "EN|FR|RU",
        "Follow us on:",
        "More on this topic",
        "Western Attempts to Divide Backfire",
        "Trade relations between South Korea and Turkmenistan deepen",
        "US Vice President visits India",
        "Myanmar – the unbound jewel of SEA",
    ]:
        assert gone not in body
    assert "Technical Details" in lines
    assert "Western and Southern Reactions" in lines
    # The author's note closes the article once the related list is gone.
    assert lines[-1].startswith("Konstantin Asmolov, PhD in History")


def test_seed_003_pull_quote_repeated_from_text_is_dropped_once():
    body = clean_body(seed_text("003"))
    sentence = "the bridge will become a lasting symbol of peace and good neighborliness"
    assert body.count(sentence) == 1
    assert "In addition to boosting economic ties, the bridge will become" not in body.split("\n")


def test_bullets_are_kept_as_list_items_with_one_marker():
    body = clean_body("Heading\n\n  \u2022 First point.\n  - Second point.\n* Third point.")
    assert body.split("\n") == [
        "Heading",
        "",
        "• First point.",
        "• Second point.",
        "• Third point.",
    ]


def test_whitespace_is_tidied():
    text = "First  paragraph.\u00a0 \t\n\n\n\n\u00a0\nSecond\u200b paragraph.   \n\n"
    assert clean_body(text) == "First paragraph.\n\nSecond paragraph."


def test_related_heading_does_not_swallow_prose_after_its_list():
    text = (
        "Opening paragraph of the story.\n"
        "Read more\n"
        "Related stories\n"
        "Another headline about bridges\n"
        "A second headline\n"
        "The story goes on here with a full sentence that ends properly.\n"
    )
    assert clean_body(text) == (
        "Opening paragraph of the story.\n"
        "The story goes on here with a full sentence that ends properly."
    )


def test_drop_lines_removes_consumed_metadata_lines():
    text = "Title\nBy Jane Doe\nFirst paragraph."
    assert clean_body(text, drop_lines={0, 1}) == "First paragraph."


def test_repeated_identical_paragraphs_are_not_taken_for_pull_quotes():
    line = "This line is long enough to look like a pull quote without a stop"
    assert clean_body(f"{line}\n{line}") == f"{line}\n{line}"
