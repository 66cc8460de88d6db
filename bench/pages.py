"""Page benchmark: render times of the browsing pages on a large synthetic archive.

    .venv/bin/python bench/pages.py                          # 100k articles on SQLite
    .venv/bin/python bench/pages.py --articles 20000
    .venv/bin/python bench/pages.py --engine postgres        # PostgreSQL (see bench/_setup.py)

The archive is written straight into a fresh database (bench/_setup.py) with multi-row INSERTs:
articles of ~300 words over five years from 40 outlets, each naming ~4 people, 2 places,
2 organizations, an event and a cited outlet (popularity follows Zipf's law, so a few names are
in a large share of the archive, as in real news), with mentions at true offsets, a quote and two
claims. Then the Django test client renders each page type ``--samples`` times over different
objects and the script prints the median and p95 in milliseconds, with the queries per page.

Entity pages are sampled two ways: ``uniform`` (any entity with an article: most are rare) and
``by-traffic`` (an entity picked with the probability a reader lands on it, i.e. in proportion to
its mentions: popular names dominate); the single most-mentioned entity is timed too.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import statistics
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
os.environ.setdefault("NEWSARCHIVE_PLAIN_STATIC", "1")

from bench._setup import database  # noqa: E402

WORDS = (
    "the of and to in a is that for on with as was by at from said it an be has have this are "
    "were will its their which but not they after had been more government minister officials "
    "new two first year years people country talks agreement president security border trade "
    "bridge road project construction economic military support cooperation relations visit "
    "week month report reported according statement leaders meeting capital region river city "
    "state national international deal plan sanctions forces troops energy market prices bank"
).split()
COUNTS = {"person": 5000, "organization": 1000, "place": 1000, "event": 600, "outlet": 40}
PER_ARTICLE = {"person": 4, "organization": 2, "place": 2, "event": 1, "outlet": 1}
SYLLABLES = "ka ri to ne mu sa lo vi da pe ro shi ta ko ma nu le ba zu go ki ra te so mi an".split()


def made_up_name(rng: random.Random, parts: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(parts)
    )


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


def insert(model, rows: list[dict], batch: int = 2000) -> None:
    """Multi-row INSERT of ``rows`` (dicts of field name → Python value) through Django's cursor."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if f.attname in rows[0]]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            chunk = rows[i : i + batch]
            values = [
                f.get_db_prep_save(row[f.attname], connection) for row in chunk for f in fields
            ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_marks] * len(chunk))}",
                values,
            )


def reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def build(n_articles: int, seed: int = 7) -> dict:
    """Write the synthetic archive; return the ids and popularity weights needed for sampling."""
    from django.db import transaction
    from django.utils.text import slugify

    from articles.models import (
        ENTITY_MODELS,
        Article,
        Claim,
        Person,
        Quote,
    )
    from articles.models.entities import name_key
    from articles.models.mentions import MENTION_MODELS

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    names: dict[str, list[str]] = {}
    with transaction.atomic():
        for kind, count in COUNTS.items():
            model = ENTITY_MODELS[kind]
            seen, rows = set(), []
            while len(rows) < count:
                name = made_up_name(rng, 2 if kind == "person" else rng.randint(1, 3))
                if kind == "outlet":
                    name += " News"
                slug = slugify(name)
                if slug in seen:
                    continue
                seen.add(slug)
                row = {
                    "id": len(rows) + 1,
                    "name": name,
                    "slug": slug,
                    "key": name_key(name),
                    "aliases": [name.split()[-1]] if kind == "person" else [],
                    "alias_keys": f"|{name_key(name.split()[-1])}|" if kind == "person" else "",
                    "description": "",
                    "curated": False,
                    "created_at": now,
                    "updated_at": now,
                }
                if kind == "person":
                    row["role"] = ""
                if kind == "outlet":
                    row |= {"domain": f"{slug}.example", "homepage": ""}
                if kind == "place":
                    row["country"] = ""
                if kind == "event":
                    day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
                    row |= {"date_start": day, "date_end": None, "place_id": None}
                rows.append(row)
            insert(model, rows)
            names[kind] = [r["name"] for r in rows]
        reporters = [
            {
                "id": COUNTS["person"] + i + 1,
                "name": f"Reporter {i}",
                "slug": f"reporter-{i}",
                "key": f"reporter{i}",
                "aliases": [],
                "alias_keys": "",
                "description": "",
                "curated": False,
                "created_at": now,
                "updated_at": now,
                "role": "",
            }
            for i in range(400)
        ]
        insert(Person, reporters)

    weights = {kind: zipf_weights(count) for kind, count in COUNTS.items()}
    start_day = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    span = 5 * 365 * 86400
    # Articles are stored in publication order, as a feed would deliver them.
    times = sorted(rng.randrange(span) for _ in range(n_articles))
    batch = 2000
    for first in range(0, n_articles, batch):
        articles, mentions, authors, quotes, claims = [], {k: [] for k in COUNTS}, [], [], []
        for i in range(first, min(first + batch, n_articles)):
            pk = i + 1
            picked = {
                kind: rng.choices(range(1, COUNTS[kind] + 1), weights[kind], k=PER_ARTICLE[kind])
                for kind in COUNTS
            }
            outlet_id = rng.randint(1, COUNTS["outlet"])
            parts, offset = [], 0
            places = []
            for kind, ids in picked.items():
                for eid in ids:
                    lead = " ".join(rng.choices(WORDS, k=rng.randint(8, 20))).capitalize() + " "
                    name = names[kind][eid - 1]
                    tail = " " + " ".join(rng.choices(WORDS, k=rng.randint(6, 16))) + ". "
                    places.append((kind, eid, offset + len(lead), name))
                    parts.append(lead + name + tail)
                    offset += len(lead) + len(name) + len(tail)
            filler = [
                " ".join(rng.choices(WORDS, k=rng.randint(10, 22))).capitalize() + "."
                for _ in range(8)
            ]
            body = "".join(parts) + "\n" + " ".join(filler)
            title = " ".join(rng.choices(WORDS, k=rng.randint(6, 12))).capitalize()
            articles.append(
                {
                    "id": pk,
                    "title": title,
                    "slug": slugify(title)[:120],
                    "body": body,
                    "raw_text": "",
                    "outlet_id": outlet_id,
                    "published_at": start_day + dt.timedelta(seconds=times[i]),
                    "url": "",
                    "language": "en",
                    "content_hash": f"bench-{pk}",
                    "source_name": "",
                    "source_format": "",
                    "word_count": len(body.split()),
                    "ingested_at": now,
                    "updated_at": now,
                    "extracted_at": now,
                }
            )
            for kind, eid, start, name in places:
                mentions[kind].append(
                    {
                        "article_id": pk,
                        "entity_id": eid,
                        "surface": name,
                        "start": start,
                        "end": start + len(name),
                        "count": 1,
                        "status": "suggested",
                        "method": "gazetteer",
                        "created_at": now,
                    }
                )
            authors.append({"article_id": pk, "person_id": COUNTS["person"] + 1 + i % 400})
            speaker = picked["person"][0]
            quotes.append(
                {
                    "article_id": pk,
                    "speaker_id": speaker,
                    "speaker_surface": names["person"][speaker - 1],
                    "source": "",
                    "text": " ".join(rng.choices(WORDS, k=12)),
                    "start": None,
                    "end": None,
                    "sentence_index": 0,
                }
            )
            for subject in ("bridge length", "troops deployed"):
                value = float(rng.choice((850, 1000, 1200)))
                claims.append(
                    {
                        "article_id": pk,
                        "quantity": "length" if subject.startswith("bridge") else "count",
                        "value": value,
                        "low": value,
                        "high": value,
                        "unit": "m",
                        "qualifier": "",
                        "subject": subject,
                        "text": f"{value:g} meters",
                        "sentence": "",
                        "sentence_index": 1,
                        "start": None,
                        "end": None,
                    }
                )
        with transaction.atomic():
            insert(Article, articles, batch=500)
            for kind, rows in mentions.items():
                insert(MENTION_MODELS[kind], rows)
            insert(Article.authors.through, authors)
            insert(Quote, quotes)
            insert(Claim, claims)
        done = min(first + batch, n_articles)
        if done % 20000 == 0 or done == n_articles:
            print(f"  {done:,} articles ({time.perf_counter() - started:.0f} s)", flush=True)
    reset_sequences([*ENTITY_MODELS.values(), Article, Quote, Claim, *MENTION_MODELS.values()])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"weights": weights, "build_seconds": time.perf_counter() - started}


def sqlite_page_cache(mib: int) -> None:
    """Set SQLite's page cache of this and every later connection to ``mib`` MiB."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def pragma(sender, connection, **kwargs):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{mib * 1024}")

    connection_created.connect(pragma, weak=False)
    if connection.connection is not None:
        pragma(None, connection)


def migrate_reused() -> None:
    """Bring a reused archive's schema up to date with the code being timed (then ANALYZE)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    started = time.perf_counter()
    print("  migrating it to the current schema …", flush=True)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  migrated in {time.perf_counter() - started:.0f} s", flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(client, urls: list[str]) -> tuple[float, float, float, int]:
    """Median and p95 wall time (ms), p95 CPU time of this process (ms), most queries per page.

    The CPU figure leaves out the time spent waiting for a core: on a shared machine it is the
    better guide to what the page costs; the database's own work counts in both (SQLite runs
    in-process; PostgreSQL's server time shows in the wall figure only).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:3]:  # warm up caches and template loading
        client.get(url)
    timings, cpu, most = [], [], 0
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            t, c = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        most = max(most, len(ctx.captured_queries))
    return statistics.median(timings), percentile(timings, 0.95), percentile(cpu, 0.95), most


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="articles to generate")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--samples", type=int, default=200, help="requests per page type")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="SQLite: time the archive a previous run built (same --articles) instead of rebuilding",
    )
    parser.add_argument(
        "--sqlite-cache-mib",
        type=int,
        default=0,
        help="SQLite: give each connection a page cache of this many MiB (PRAGMA cache_size), "
        "to see what the setting would change; default: as the settings configure it",
    )
    args = parser.parse_args(argv)

    path = ROOT / "var" / "bench" / f"pages-{args.articles}.sqlite3"
    if args.reuse and args.engine == "sqlite" and path.exists():
        import django

        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        django.setup()
        context = contextlib.nullcontext(os.environ["DATABASE_URL"])
        reuse = True
    else:
        context, reuse = database(args.engine, f"pages-{args.articles}"), False

    with context as url:
        if reuse:
            print(f"Reusing {url}", flush=True)
            migrate_reused()
            info = {
                "weights": {kind: zipf_weights(count) for kind, count in COUNTS.items()},
                "build_seconds": 0.0,
            }
        else:
            print(f"Building {args.articles:,} articles on {args.engine} ({url}) …", flush=True)
            info = build(args.articles, args.seed)
        from django.conf import settings
        from django.test import Client

        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        if args.sqlite_cache_mib:
            sqlite_page_cache(args.sqlite_cache_mib)
        from articles.models import ENTITY_MODELS, Article
        from articles.views.entities import URL_PREFIXES

        rng = random.Random(args.seed + 1)
        client = Client()
        n = args.samples
        article_ids = rng.sample(range(1, args.articles + 1), min(n, args.articles))
        slugs = dict(Article.objects.filter(pk__in=article_ids).values_list("pk", "slug"))
        entity_slugs = {
            kind: list(model.objects.order_by("pk").values_list("slug", flat=True)[: COUNTS[kind]])
            for kind, model in ENTITY_MODELS.items()
        }

        def entity_urls(kind: str, how: str) -> list[str]:
            pool = entity_slugs[kind]
            if how == "uniform":
                picks = [rng.choice(pool) for _ in range(n)]
            elif how == "by-traffic":
                picks = rng.choices(pool, info["weights"][kind], k=n)
            else:  # the most mentioned, repeatedly
                picks = [pool[0]] * min(n, 30)
            return [f"/{URL_PREFIXES[kind]}/{slug}/" for slug in picks]

        plan = [
            ("home", ["/"] * min(n, 50)),
            ("article", [f"/articles/{pk}/{slugs[pk]}/" for pk in article_ids]),
        ]
        for kind in ("person", "outlet", "event", "place", "organization"):
            for how in ("uniform", "by-traffic", "top"):
                plan.append((f"{kind} ({how})", entity_urls(kind, how)))
        plan += [
            ("person index (by name)", [f"/people/?page={rng.randint(1, 100)}" for _ in range(n)]),
            ("person index (by articles)", ["/people/?sort=articles"] * min(n, 30)),
            (
                "person index (filter)",
                [f"/people/?q={rng.choice(['ka', 'ri', 'to'])}"] * min(n, 30),
            ),
            ("event index", [f"/events/?page={rng.randint(1, 12)}" for _ in range(min(n, 50))]),
        ]
        compare_ids = ",".join(str(i) for i in article_ids[:5])
        compare = client.get(f"/compare/?ids={compare_ids}")
        if compare.status_code == 200:
            plan.append(("compare (5 articles)", [f"/compare/?ids={compare_ids}"] * min(n, 30)))

        print(
            f"\n{args.articles:,} articles on {args.engine}; built in {info['build_seconds']:.0f} s; "
            f"{n} samples per page type (fewer for fixed pages).\n"
        )
        # A yardstick for the machine: sum(range(10**6)) takes 10-15 ms on an idle current core.
        yard = min(timeit.repeat("sum(range(10**6))", number=1, repeat=5)) * 1000
        print(f"CPU yardstick: sum(range(10**6)) = {yard:.0f} ms on this machine now.")
        if args.sqlite_cache_mib:
            print(
                f"SQLite page cache: {args.sqlite_cache_mib} MiB per connection (--sqlite-cache-mib)."
            )
        print()
        print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'p95 cpu':>8} {'queries':>8}")
        for name, urls in plan:
            median, p95, p95_cpu, queries = measure(client, urls)
            print(f"{name:34} {median:10.1f} {p95:8.1f} {p95_cpu:8.1f} {queries:8d}", flush=True)
        if compare.status_code != 200:
            print(f"compare: /compare/ answered {compare.status_code}; not timed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
