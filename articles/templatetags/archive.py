"""Template filters for the pages' most repeated markup, written to be cheap per row.

A list of twenty articles or quotes shows a date on every row; Django's ``date`` filter parses
its format string and translates the month name each time, which made the dates a visible share
of a page's rendering. ``time_element`` writes the ``<time>`` element those rows use — the
machine-readable ISO 8601 value and the date for people — exactly as ``|date:'c'`` and
``|date:"j F Y"`` (or ``"j M Y"``) did.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django import template
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@lru_cache(maxsize=16)
def _month_names(language: str | None) -> dict[str, list[str]]:
    """The escaped month names ("long": April, "short": Apr) in the active language."""
    return {
        "long": [""] + [escape(MONTHS[m]) for m in range(1, 13)],
        "short": [""] + [escape(MONTHS_3[m].title()) for m in range(1, 13)],
    }


@register.filter(expects_localtime=True)
def time_element(value, style: str = "long"):
    """``<time datetime="…">30 April 2025</time>`` ("long") or ``30 Apr 2025`` ("short").

    A datetime is shown in the current time zone (the template converts it first, as for
    ``date``); a date as it is. Empty for no value.
    """
    if not isinstance(value, dt.date):
        return ""
    month = _month_names(translation.get_language())[style][value.month]
    # isoformat() and the numbers hold no markup characters; the names are escaped above.
    return mark_safe(
        f'<time datetime="{value.isoformat()}">{value.day} {month} {value.year:04d}</time>'
    )
