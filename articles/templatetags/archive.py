"""Template filters for the pages' most repeated markup: dates and the long lists.

An entity page lists twenty articles, twenty quotes and a hundred counted links. Django's
template engine costs a few microseconds per variable on every row (lookup, localisation,
escaping) and its ``date`` filter parses its format and translates the month each time; on the
slow machine the pages are measured on, those rows were most of the page's rendering.

These filters write the same markup as the partials they replace. Every value goes through
``articles.markup.html_format`` (``format_html``'s escaping at a fraction of its cost): text from
articles is escaped first and only then wrapped in our tags, never marked safe. The URLs are the
ones the rows already carry (``articles.queries.items``). Each list is one filter call.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.markup import html_format, html_join

register = template.Library()


@lru_cache(maxsize=16)
def _month_names(language: str | None) -> dict[str, list[str]]:
    """The escaped month names ("long": April, "short": Apr) in the active language."""
    return {
        "long": [""] + [escape(MONTHS[m]) for m in range(1, 13)],
        "short": [""] + [escape(MONTHS_3[m].title()) for m in range(1, 13)],
    }


def _time(value, style: str, zone=None, months=None) -> str:
    """The ``<time>`` markup of a date, or of a datetime (shown in ``zone`` when given).

    ``months``: ``_month_names`` of the active language, looked up once per list by callers.
    """
    if zone is not None and isinstance(value, dt.datetime) and not timezone.is_naive(value):
        value = value.astimezone(zone)
    months = months or _month_names(translation.get_language())
    month = months[style][value.month]
    # isoformat() and the numbers hold no markup characters; the names are escaped above.
    return f'<time datetime="{value.isoformat()}">{value.day} {month} {value.year:04d}</time>'


def _zone():
    """The zone datetimes are shown in (as the template engine converts them), or None."""
    return timezone.get_current_timezone() if settings.USE_TZ else None


@register.filter(expects_localtime=True)
def time_element(value, style: str = "long"):
    """``<time datetime="…">30 April 2025</time>`` ("long") or ``30 Apr 2025`` ("short").

    The same as ``<time datetime="{{ d|date:'c' }}">{{ d|date:"j F Y" }}</time>`` (or
    ``"j M Y"``): a datetime in the current time zone (the template converts it first, as for
    ``date``), a date as it is. Empty for no value.
    """
    if not isinstance(value, dt.date):
        return ""
    return mark_safe(_time(value, style))


@register.filter(expects_localtime=True)
def short_date(value):
    """``30 Apr 2025``: the same as ``{{ d|date:"j M Y" }}``, without parsing the format and
    translating the month for every row. Empty for no value."""
    if not isinstance(value, dt.date):
        return ""
    month = _month_names(translation.get_language())["short"][value.month]
    return mark_safe(f"{value.day} {month} {value.year:04d}")


@register.filter
def article_list(articles) -> SafeString:
    """Articles as list items: title linked, outlet, date, authors (``ArticleItem`` rows).

    ``<article class="article-item"><h3 class="article-item-title"><a href=…>title</a></h3>
    <p class="meta"><a href=…>outlet</a> · <time …>date</time> · by <a href=…>author</a>…</p>``
    """
    zone, months = _zone(), _month_names(translation.get_language())
    rows = []
    for a in articles:
        outlet = (
            html_format('<a href="{}">{}</a>', a.outlet.url, a.outlet.name)
            if a.outlet
            else mark_safe("<span>Outlet unknown</span>")
        )
        date = f" · {_time(a.published_at, 'long', zone, months)}" if a.published_at else ""
        authors = ""
        if a.author_list:
            links = html_join(", ", '<a href="{}">{}</a>', ((p.url, p.name) for p in a.author_list))
            authors = html_format(" · by {}", links)
        rows.append(
            html_format(
                '<article class="article-item">\n'
                '  <h3 class="article-item-title"><a href="{}">{}</a></h3>\n'
                '  <p class="meta">\n    {}{}{}\n  </p>\n</article>\n',
                a.page_url,
                a.title,
                outlet,
                mark_safe(date),  # built from escaped pieces by _time
                authors,
            )
        )
    return mark_safe("".join(rows))


@register.filter
def counted_list(items, unit: str = "") -> SafeString:
    """Entities with counts: ``<ul class="counted"><li><a href=…>name</a> <span class="count"
    title="N unit">N</span></li>…</ul>`` (``EntityCount`` rows; ``unit`` defaults to articles)."""
    unit = unit or "articles"
    rows = html_join(
        "\n",
        '  <li><a href="{}">{}</a> <span class="count" title="{} {}">{}</span></li>',
        ((item.url, item.name, item.count, unit, item.count) for item in items),
    )
    return html_format('<ul class="counted">\n{}\n</ul>', rows)


@register.filter
def quote_list(quotes) -> SafeString:
    """Quotes with the article that reports each: ``<ul class="quote-list"><li><blockquote>“…”
    </blockquote><p class="meta">in <a href=…#s3>title</a> · outlet · <time …></p></li>…</ul>``
    (``QuoteItem`` rows whose article is an ``ArticleItem``)."""
    zone, months = _zone(), _month_names(translation.get_language())
    rows = []
    for q in quotes:
        article = q.article
        anchor = f"#s{q.sentence_index}" if q.sentence_index is not None else ""
        outlet = html_format(" · {}", article.outlet.name) if article.outlet else ""
        published = article.published_at
        date = f" · {_time(published, 'short', zone, months)}" if published else ""
        rows.append(
            html_format(
                "  <li>\n    <blockquote>“{}”</blockquote>\n"
                '    <p class="meta">in <a href="{}{}">{}</a>{}{}</p>\n  </li>\n',
                q.text,
                article.page_url,
                anchor,
                article.title,
                outlet,
                mark_safe(date),  # built from escaped pieces by _time
            )
        )
    return html_format('<ul class="quote-list">\n{}</ul>', mark_safe("".join(rows)))


@register.filter
def outlet_groups(groups) -> SafeString:
    """Articles grouped by outlet (``queries.by_outlet``): a section per outlet, then its articles.

    ``<section class="outlet-group" aria-label="outlet"><h3><a href=…>outlet</a> <span
    class="count">N</span></h3><ul class="plain-list"><li><a href=…>title</a> <span
    class="meta">· <time …></span></li>…</ul></section>``; no outlet is "Outlet unknown".
    """
    zone, months = _zone(), _month_names(translation.get_language())
    sections = []
    for outlet, articles in groups:
        name = outlet.name if outlet else "Outlet unknown"
        heading = html_format('<a href="{}">{}</a>', outlet.url, name) if outlet else name
        rows = "".join(
            html_format(
                '\n          <li><a href="{}">{}</a>{}</li>',
                a.page_url,
                a.title,
                mark_safe(  # built from escaped pieces by _time
                    f' <span class="meta">· {_time(a.published_at, "short", zone, months)}</span>'
                    if a.published_at
                    else ""
                ),
            )
            for a in articles
        )
        sections.append(
            html_format(
                '\n      <section class="outlet-group" aria-label="{}">\n        <h3>{} '
                '<span class="count">{}</span></h3>\n        <ul class="plain-list">{}\n'
                "        </ul>\n      </section>",
                name,
                heading,
                len(articles),
                mark_safe(rows),  # built by html_format
            )
        )
    return mark_safe("".join(sections))


@register.filter
def search_result(hit) -> SafeString:
    """One search result (a dict from ``articles.views.search``): a compare box, the title linked,
    outlet and date, the highlighted snippet (already escaped, then marked), the alias it was
    found through, and the entities it mentions."""
    outlet = hit["outlet"]
    meta = (
        html_format('<a href="{}">{}</a>', outlet["url"], outlet["name"])
        if outlet
        else mark_safe('<span class="muted">Outlet unknown</span>')
    )
    if hit["published"] is not None:
        # _time() writes the markup of the date itself (no user text); measured 21 µs a result
        # against 35 µs for localtime() and Django's dateformat, which parses its format each time.
        meta = mark_safe(f"{meta} · {_time(hit['published'], 'long', _zone())}")
    alias = (
        html_format('\n  <p class="muted via-alias">Matched via alias “{}”</p>', hit["via_alias"])
        if hit["via_alias"]
        else ""
    )
    chips = ""
    if hit["entities"]:
        items = html_join(
            "", '<li><a href="{}">{}</a></li>', ((e["url"], e["name"]) for e in hit["entities"])
        )
        chips = html_format('\n  <ul class="chips" aria-label="Mentions">{}</ul>', items)
    return html_format(
        '<article class="article-item search-result">\n'
        '  <h3 class="article-item-title">\n'
        '    <input type="checkbox" name="ids" value="{}" id="pick-{}" class="pick">\n'
        '    <label for="pick-{}" class="visually-hidden">Compare “{}”</label>\n'
        '    <a href="{}">{}</a></h3>\n'
        '  <p class="meta">{}</p>\n'
        '  <p class="snippet">{}</p>{}{}\n'
        "</article>",
        hit["pk"], hit["pk"], hit["pk"], hit["title"], hit["url"], hit["title"],
        meta, hit["snippet"], alias, chips,
    )  # fmt: skip


@register.filter
def facet_options(group) -> SafeString:
    """A facet's options: the selected one in bold, the others linked, each with its count."""
    rows = []
    for option in group["options"]:
        label = (
            html_format("<strong>{}</strong>", option["label"])
            if option["selected"]
            else html_format('<a href="{}">{}</a>', option["href"], option["label"])
        )
        rows.append(
            html_format('    <li>{} <span class="muted">{}</span></li>', label, option["count"])
        )
    return html_format('<ul class="facet-options">\n{}\n  </ul>', mark_safe("\n".join(rows)))


@register.filter
def passage_rows(rows) -> SafeString:
    """The rows of the comparison's passage grid (``articles.compare.page``): a cell per article,
    each passage linked to its sentence, marked near-copy, and pointing at its match elsewhere."""
    out = []
    for row in rows:
        cells = []
        for cell in row["cells"]:
            items = []
            for item in cell:
                p = item["passage"]
                badge = NEAR_COPY_BADGE if p.status == "near-copy" else ""
                match = ""
                if item["match_url"] and row["kind"] == "single":
                    match = html_format(
                        '<a class="match-link" href="{}" title="{}">also in: {}</a>',
                        item["match_url"], item["match_title"],
                        Truncator(item["match_title"]).chars(40),
                    )  # fmt: skip
                items.append(
                    html_format(
                        '\n          <p class="passage {}">\n'
                        '            <a class="sentence-link" href="{}">{}</a>{}\n'
                        "            {}\n"
                        "          </p>",
                        p.status,
                        item["url"],
                        p.text,
                        badge,
                        match,
                    )  # fmt: skip
                )
            cells.append(("<td>" if cell else '<td class="gap">') + "".join(items) + "</td>")
        out.append(
            html_format(
                '\n        <tr class="row-{}">{}\n        </tr>',
                row["kind"],
                mark_safe("".join(cells)),
            )
        )
    return mark_safe("".join(out))


@register.filter
def entity_rows(rows) -> SafeString:
    """The rows of one kind in the comparison's entity matrix: the entity linked, then a cell per
    article saying whether (and how often) it mentions the entity."""
    out = []
    for row in rows:
        cells = "".join(
            (
                PRESENT.format(
                    count,
                    "" if count == 1 else "s",
                    f" <small>{count}</small>" if count > 1 else "",
                )
            )
            if count
            else ABSENT
            for count in row.counts
        )
        out.append(
            html_format(
                '\n        <tr><th scope="row"><a href="{}">{}</a></th>\n          {}\n        </tr>',
                row.entity.get_absolute_url(),
                row.entity.name,
                mark_safe(cells),
            )  # fmt: skip
        )
    return mark_safe("".join(out))


NEAR_COPY_BADGE = mark_safe(' <span class="badge badge-near-copy">near-copy</span>')
# Counts are integers: no markup can come in through them.
PRESENT = '<td class="present" title="{} mention{}">●<span class="visually-hidden"> mentioned</span>{}</td>'
ABSENT = (
    '<td class="absent"><span aria-hidden="true">·</span>'
    '<span class="visually-hidden">not mentioned</span></td>'
)
