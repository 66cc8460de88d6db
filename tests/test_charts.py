"""The server-drawn SVG charts: accessible markup, text alternatives, escaping, scale."""

from __future__ import annotations

import datetime as dt
import re

from articles.charts import TimelineItem, bar_chart, timeline
from articles.queries import claim_display, group_claims, number


def test_bar_chart_fills_month_gaps_and_has_a_data_table():
    svg = bar_chart(
        [(dt.date(2025, 1, 5), 3), (dt.date(2025, 4, 20), 1), (dt.date(2025, 1, 9), 2)],
        chart_id="c1",
        title="Articles per month",
        description="How many articles, month by month.",
    )
    assert 'role="img" aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Articles per month</title>' in svg
    assert svg.count('<rect class="bar"') == 4  # Jan, Feb, Mar, Apr
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", svg)
    assert rows == [("Jan 2025", "5"), ("Feb 2025", "0"), ("Mar 2025", "0"), ("Apr 2025", "1")]


def test_bar_chart_groups_by_year_over_long_spans():
    svg = bar_chart(
        [(dt.date(2010, 3, 1), 1), (dt.date(2020, 6, 1), 4)],
        chart_id="c2",
        title="t",
        description="d",
    )
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", svg)
    assert rows[0] == ("2010", "1") and rows[-1] == ("2020", "4") and len(rows) == 11


def test_empty_chart_is_a_sentence():
    assert bar_chart([], chart_id="e", title="Mentions", description="d") == (
        '<p class="empty">Mentions: no dated articles yet.</p>'
    )


def test_timeline_escapes_labels_links_items_and_marks_the_current_one():
    items = [
        TimelineItem("<b>Summit</b>", dt.date(2025, 1, 15), url="/events/summit/"),
        TimelineItem("Ceremony", dt.date(2025, 4, 30), url="/events/c/", current=True),
        TimelineItem("Talks", dt.date(2025, 3, 1), dt.date(2025, 3, 3)),
    ]
    svg = timeline(items, chart_id="t", title="Events & more", description="Three events.")
    assert "<b>Summit</b>" not in svg and "&lt;b&gt;Summit&lt;/b&gt;" in svg
    assert '<title id="t-title">Events &amp; more</title>' in svg
    assert '<g class="tl-item current"><a href="/events/c/">' in svg
    assert '<rect x="' in svg  # the date range is a bar
    listed = re.findall(r'<li><time datetime="([\d-]+)">', svg)
    assert listed == ["2025-01-15", "2025-03-01", "2025-04-30"]
    assert "(this event)" in svg and "1 Mar 2025 – 3 Mar 2025" in svg
    assert "not to scale" not in svg


def test_timeline_switches_to_date_order_when_one_item_is_far_off():
    items = [
        TimelineItem("Old treaty", dt.date(1959, 8, 1)),
        TimelineItem("A", dt.date(2025, 4, 1)),
        TimelineItem("B", dt.date(2025, 4, 30)),
    ]
    svg = timeline(items, chart_id="t2", title="t", description="d")
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert xs == sorted(xs) and abs((xs[1] - xs[0]) - (xs[2] - xs[1])) < 0.2
    assert "(in date order, not to scale)" in svg


class C:
    def __init__(self, subject, low, high, article_id, quantity="length", unit="m", qualifier=""):
        self.subject, self.low, self.high, self.article_id = subject, low, high, article_id
        self.quantity, self.unit, self.qualifier = quantity, unit, qualifier
        self.value = (low + high) / 2


def test_claim_groups_flag_disagreements_first():
    groups = group_claims(
        [
            C("bridge length", 1000, 1000, 1),
            C("Bridge length", 850, 850, 2),
            C("construction time", 540, 555, 3, "duration", "d"),
            C("construction time", 547.5, 547.5, 4, "duration", "d"),
            C("lanes", 2, 2, 5, "count", ""),
        ]
    )
    assert [(g.subject, g.agree, g.article_ids) for g in groups] == [
        ("bridge length", False, [1, 2]),
        ("construction time", True, [3, 4]),
        ("lanes", True, [5]),
    ]


def test_numbers_read_as_written():
    assert number(1000.0) == "1,000" and number(1.2) == "1.2" and number(0.25) == "0.25"
    assert claim_display(C("x", 765, 935, 1, qualifier="approximately")) == "approximately 850 m"
    assert claim_display(C("x", 2.5e6, 3.75e6, 1, unit="")) == "2,500,000–3,750,000"
