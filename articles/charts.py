"""Charts and timelines as inline SVG, drawn on the server: no script, no chart library.

Each builder is a pure function from plain data to safe markup: a ``<figure>`` holding an SVG with
``<title>`` and ``<desc>`` (``role="img"``), a caption, and the same data as a table or list, so
the picture is readable without images, scripts or colour. Every piece of text goes through
``format_html`` or its hot-loop twin ``articles.markup.html_format``, which escape it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.markup import escaped, html_format

# The average width of a character of the 12 px labels, to keep them inside the picture.
CHAR_W = 6.0
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One thing on a timeline: a label, a date or date range, a link, and whether it is current."""

    label: str
    start: dt.date
    end: dt.date | None = None
    url: str = ""
    current: bool = False
    note: str = ""


def _month_label(month: dt.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def _fill_months(points: Sequence[tuple[dt.date, int]]) -> list[tuple[str, int]]:
    """Every month from the first to the last point (gaps as zero); by year past six years."""
    counts: dict[tuple[int, int], int] = {}
    for day, n in points:
        counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + n
    first, last = min(counts), max(counts)
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if span > 72:
        years: dict[int, int] = {}
        for (year, _), n in counts.items():
            years[year] = years.get(year, 0) + n
        return [(str(y), years.get(y, 0)) for y in range(first[0], last[0] + 1)]
    out = []
    year, month = first
    for _ in range(span):
        out.append((_month_label(dt.date(year, month, 1)), counts.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _figure(chart_id: str, caption: str, svg: str, alternative: str) -> SafeString:
    return format_html(
        '<figure class="chart-figure" id="{}">{}<figcaption>{}</figcaption>'
        '<details class="chart-data"><summary>Show the data</summary>{}</details></figure>',
        chart_id,
        mark_safe(svg),  # built with format_html below
        caption,
        mark_safe(alternative),  # built with format_html below
    )


def bar_chart(
    points: Sequence[tuple[dt.date, int]],
    *,
    chart_id: str,
    title: str,
    description: str,
    unit: str = "articles",
    width: int = 640,
    height: int = 180,
) -> SafeString:
    """Counts per month as vertical bars (per year when the span passes six years).

    ``points`` are (any date in the month, count) pairs in any order; empty data gives a sentence.
    """
    if not points:
        return format_html('<p class="empty">{}: no dated {} yet.</p>', title, unit)
    bars = _fill_months(points)
    top = max(n for _, n in bars) or 1
    left, right, above, below = 34, 8, 10, 34
    plot_w, plot_h = width - left - right, height - above - below
    step = plot_w / len(bars)
    bar_w = min(max(1.0, step * 0.8), 48.0)
    # Labels ("Apr 2025") and the unit are escaped once; the numbers are formatted by us.
    labels = [escaped(label) for label, _ in bars]
    unit_text = escaped(unit)
    shapes = []
    for i, (_, n) in enumerate(bars):
        h = plot_h * n / top
        x = left + i * step + (step - bar_w) / 2
        shapes.append(
            f'<rect class="bar" x="{x:.1f}" y="{above + plot_h - h:.1f}" width="{bar_w:.1f}" '
            f'height="{h:.1f}"><title>{labels[i]}: {int(n)} {unit_text}</title></rect>'
        )
    # Label at most ~8 bars along the axis so the text never overlaps.
    every = max(1, round(len(bars) / 8))
    ticks = [
        f'<text x="{left + i * step + step / 2:.1f}" y="{height - below + 16}" '
        f'text-anchor="middle">{labels[i]}</text>'
        for i in range(len(bars))
        if i % every == 0
    ]
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line class="axis" x1="{left}" y1="{base}" x2="{end}" y2="{base}"/>'
        '<text x="{lx}" y="{ty}" text-anchor="end">{top}</text>'
        '<text x="{lx}" y="{base}" text-anchor="end">0</text>{bars}{ticks}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        left=left,
        end=width - right,
        base=above + plot_h,
        lx=left - 6,
        ty=above + 8,
        top=top,
        bars=mark_safe("".join(shapes)),  # escaped labels, our numbers
        ticks=mark_safe("".join(ticks)),  # escaped labels, our numbers
    )
    rows = mark_safe(  # escaped labels, our numbers
        "".join(f"<tr><td>{labels[i]}</td><td>{int(n)}</td></tr>" for i, (_, n) in enumerate(bars))
    )
    table = format_html(
        '<table class="chart-table"><thead><tr><th scope="col">Period</th>'
        '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        unit.capitalize(),
        rows,
    )
    return _figure(chart_id, description, svg, table)


def _date_text(item: TimelineItem) -> str:
    if item.end and item.end != item.start:
        return f"{item.start:%-d %b %Y} – {item.end:%-d %b %Y}"
    return f"{item.start:%-d %b %Y}"


def timeline(
    items: Sequence[TimelineItem],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: int = 640,
    row: int = 26,
) -> SafeString:
    """Dated items on one time axis, one row each (a dot, or a bar for a range), labelled and linked."""
    items = sorted(items, key=lambda it: (it.start, it.label))
    if not items:
        return format_html('<p class="empty">{}: nothing dated yet.</p>', title)
    first = min(it.start for it in items)
    last = max(it.end or it.start for it in items)
    days = max((last - first).days, 1)
    left, right, above, axis_h = 12, 12, 8, 30
    lane_w = width - left - right
    height = above + row * len(items) + axis_h

    # One far-off item (a treaty from 1959 beside last month's events) would squeeze the rest into
    # a corner: when one gap takes most of the span, items are spaced by order instead of date.
    ordered = sorted({d for it in items for d in (it.start, it.end or it.start)})
    widest = (
        max((b - a).days for a, b in zip(ordered, ordered[1:], strict=False))
        if len(ordered) > 1
        else 0
    )
    to_scale = len(ordered) < 3 or widest <= days * 0.75
    if not to_scale:
        # In date order, a range has no length to draw: every item is a dot at its start.
        ordered = sorted({it.start for it in items})

    def x_of(day: dt.date) -> float:
        if to_scale:
            return left + lane_w * (day - first).days / days
        return left + lane_w * ordered.index(day) / max(len(ordered) - 1, 1)

    shapes = []
    for i, it in enumerate(items):
        y = above + i * row + row / 2
        x0 = x_of(it.start)
        x1 = x_of(it.end) if to_scale and it.end and it.end > it.start else x0
        css = "tl-item current" if it.current else "tl-item"
        mark = (
            html_format(
                '<rect x="{}" y="{}" width="{}" height="8" rx="4"/>',
                f"{x0:.1f}",
                f"{y - 4:.1f}",
                f"{max(x1 - x0, 8):.1f}",
            )
            if x1 > x0
            else html_format('<circle cx="{}" cy="{}" r="5"/>', f"{x0:.1f}", f"{y:.1f}")
        )
        # The label goes on the side with room for it (about 6 px a character at 12 px),
        # shortened with an ellipsis when neither side has enough.
        text = f"{it.label} · {_date_text(it)}"
        room_right, room_left = width - (x1 + 9), x0 - 9
        anchor_end = room_right < len(text) * CHAR_W and room_left > room_right
        fits = int((room_left if anchor_end else room_right) / CHAR_W)
        if len(text) > fits:
            text = text[: max(fits - 1, 1)] + "…"
        label = html_format(
            '<text x="{}" y="{}" text-anchor="{}">{}</text>',
            f"{(x0 - 9) if anchor_end else (x1 + 9):.1f}",
            f"{y + 4:.1f}",
            "end" if anchor_end else "start",
            text,
        )
        body = html_format("<title>{} ({})</title>{}{}", it.label, _date_text(it), mark, label)
        if it.url:
            body = html_format('<a href="{}">{}</a>', it.url, body)
        shapes.append(html_format('<g class="{}">{}</g>', css, body))
    base = above + row * len(items) + 4
    ticks = format_html(
        '<line class="axis{}" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text x="{}" y="{}" text-anchor="start">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="end">{}</text>',
        "" if to_scale else " broken",
        left,
        base,
        width - right,
        base,
        left,
        base + 16,
        f"{first:%-d %b %Y}",
        width / 2,
        base + 16,
        "" if to_scale else "(in date order, not to scale)",
        width - right,
        base + 16,
        f"{last:%-d %b %Y}",
    )
    svg = format_html(
        '<svg class="chart timeline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{shapes}{ticks}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        shapes=mark_safe("".join(shapes)),
        ticks=ticks,
    )
    entries = []
    for it in items:
        name = html_format('<a href="{}">{}</a>', it.url, it.label) if it.url else it.label
        note = html_format(" — {}", it.note) if it.note else ""
        entries.append(
            html_format(
                '<li><time datetime="{}">{}</time>: {}{}{}</li>',
                it.start.isoformat(),
                _date_text(it),
                name,
                " (this event)" if it.current else "",
                note,
            )
        )
    alternative = format_html('<ol class="chart-list">{}</ol>', mark_safe("".join(entries)))
    return _figure(chart_id, description, svg, alternative)
