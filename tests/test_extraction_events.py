"""Events: dated happenings, with the date resolved and a short normalised name."""

from datetime import date, datetime
from pathlib import Path

from articles.extraction.events import EventCandidate, extract_event_phrases

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
PUBLISHED = datetime(2025, 4, 30, 12, 0)


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def summary(events: list[EventCandidate]) -> list[tuple[str, date | None, date | None]]:
    return [(e.name, e.date_start, e.date_end) for e in events]


def test_seed_002_visits_with_month_ranges():
    events = extract_event_phrases(seed("002"), published_at=PUBLISHED)
    assert ("Lavrov visit to Pyongyang", date(2023, 7, 1), date(2023, 7, 31)) in summary(events)
    assert ("Lavrov visit to Pyongyang", date(2023, 10, 1), date(2023, 10, 31)) in summary(events)
    assert ("Putin visit to Pyongyang", date(2024, 6, 1), date(2024, 6, 30)) in summary(events)


def test_seed_003_groundbreaking_takes_the_stated_date():
    body = seed("003")
    events = extract_event_phrases(body, published_at=PUBLISHED)
    ground = [e for e in events if e.name == "ceremonial groundbreaking"]
    assert len(ground) == 1
    assert (ground[0].date_start, ground[0].date_text) == (date(2025, 4, 30), "April 30, 2025")
    assert "held a ceremonial groundbreaking" in body[ground[0].start : ground[0].end]
    assert ("Putin visit to Pyongyang", date(2024, 6, 1), date(2024, 6, 30)) in summary(events)


def test_seed_000_visit_by_the_president():
    events = extract_event_phrases(seed("000"), published_at=PUBLISHED)
    assert summary(events) == [("Putin visit to North Korea", date(2024, 6, 1), date(2024, 6, 30))]


def test_seed_004_meeting_with_a_full_date():
    events = extract_event_phrases(seed("004"), published_at=PUBLISHED)
    assert ("Putin meeting with Kim Jong-un", date(2024, 6, 19), date(2024, 6, 19)) in summary(
        events
    )


def test_a_date_without_a_year_takes_the_publication_year():
    body = "Both leaders attended the ground-breaking ceremony on April 30."
    events = extract_event_phrases(body, published_at=PUBLISHED)
    assert summary(events) == [("ground-breaking ceremony", date(2025, 4, 30), date(2025, 4, 30))]
    assert events[0].date_text == "April 30"
    # without a publication date the year is unknown, so nothing is claimed
    assert extract_event_phrases(body) == []


def test_periods_weekdays_and_undated_happenings_are_not_events():
    body = (
        "Prices have risen since January 2022. Talks resumed on Monday. "
        "The summit was a success. He was born on May 5, 1960."
    )
    assert extract_event_phrases(body, published_at=PUBLISHED) == []
