"""Search benchmark: a realistic synthetic archive, a fixed query mix, p50/p95, tantivy as yardstick.

    .venv/bin/python bench/search.py                       # 100k articles, SQLite and PostgreSQL
    .venv/bin/python bench/search.py --articles 1000000    # a million
    .venv/bin/python bench/search.py --engine sqlite --articles 20000

The corpus: word frequencies follow Zipf's law over a vocabulary of real English (the seed
articles' words, by frequency, after the stop words) and made-up rarer words; article lengths are
log-normal around 450 words; titles 6-14 words; dates spread over ten years; 40 outlets; people,
organizations and places mentioned (Zipf-distributed) so facets have realistic work. Recurring
phrases ("prime minister", "road bridge"…) are planted at news-like rates.

It loads fast by bypassing the loader (bulk INSERT on SQLite with the FTS triggers doing the
indexing; COPY on PostgreSQL, GIN index built after the load), into its own database:
``var/bench/search-<N>.sqlite3`` and ``na_bench_search`` (or DATABASE_URL). For each query it
prints p50/p95 of the search itself (count + first page of ids, ``db``) and of the whole page
(Django test client GET of /search/?q=…, ``page``), and of tantivy on the same corpus, with the
ratio ours / tantivy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/na_bench_search"
REPEAT = 30
WARMUP = 3

PHRASES = {  # planted phrase: share of articles that carry it
    "prime minister": 0.08,
    "north korea": 0.05,
    "central bank": 0.03,
    "road bridge": 0.004,
    "climate summit": 0.01,
}
SYLLABLES = "ka ri to ne mu sa lo vi da pe ro shi ta ko ma nu le ba zu go ki ra te so mi an el or in us".split()


# --- corpus -----------------------------------------------------------------------------------


def vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    """Words by rank: stop words, then the seeds' words by frequency, then made-up words."""
    sys.path.insert(0, str(ROOT))
    from articles.search.query import STOP_WORDS

    seeds = " ".join(p.read_text() for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")))
    counts = Counter(w for w in re.findall(r"[a-z]{3,}", seeds.lower()) if w not in STOP_WORDS)
    common = ["the", "of", "and", "to", "a", "in", "that", "is", "for", "on", "said", "with"]
    words = (
        common + [w for w in STOP_WORDS if w not in common] + [w for w, _ in counts.most_common()]
    )
    seen = set(words)
    while len(words) < size:
        n = int(rng.integers(2, 5))
        word = "".join(rng.choice(SYLLABLES, n))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words[:size]


def zipf_sampler(rng: np.random.Generator, n: int, exponent: float = 1.07):
    cdf = np.cumsum(1.0 / np.arange(1, n + 1) ** exponent)
    cdf /= cdf[-1]
    return lambda k: np.searchsorted(cdf, rng.random(k))


def generate(n: int, seed: int = 7):
    """Yield (title, body, outlet index, published_at, people, orgs, places) tuples."""
    rng = np.random.default_rng(seed)
    words = np.array(vocabulary(rng, 60_000), dtype=object)
    draw = zipf_sampler(rng, len(words))
    entity_draw = zipf_sampler(rng, 3000, 1.2)
    lengths = np.clip(rng.lognormal(np.log(450), 0.55, n), 60, 4000).astype(int)
    start = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    span = 10 * 365 * 86400
    # Ids grow with time, as in a live archive (the candidate bound favours the newest ids).
    offsets = np.sort(rng.integers(0, span, n))
    for i in range(n):
        body_words = words[draw(int(lengths[i]))]
        for phrase, share in PHRASES.items():
            if rng.random() < share:
                pos = int(rng.integers(0, len(body_words)))
                body_words = np.concatenate([body_words[:pos], phrase.split(), body_words[pos:]])
        sentences = []
        for chunk in np.array_split(body_words, max(1, len(body_words) // 22)):
            text = " ".join(chunk)
            sentences.append(text[:1].upper() + text[1:] + ".")
        body = " ".join(sentences)
        title_words = words[draw(int(rng.integers(6, 15)))]
        title = " ".join(title_words).capitalize()
        people = set(entity_draw(int(rng.integers(0, 5))).tolist())
        orgs = set((entity_draw(int(rng.integers(0, 3))) % 800).tolist())
        places = set((entity_draw(int(rng.integers(0, 3))) % 500).tolist())
        outlet = int(entity_draw(1)[0] % 40)
        published = start + dt.timedelta(seconds=int(offsets[i]))
        yield title, body, outlet, published, people, orgs, places


# --- loading ----------------------------------------------------------------------------------


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    os.environ["RATE_LIMIT_SEARCH"] = "0"
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # time the search, not the page cache
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["NEWSARCHIVE_PLAIN_STATIC"] = "1"
    os.environ.setdefault("CONN_MAX_AGE", "600")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_entities() -> tuple[list[int], list[int], list[int], list[int]]:
    from articles.models import Organization, Outlet, Person, Place
    from articles.models.entities import name_key

    rng = np.random.default_rng(11)
    words = vocabulary(rng, 8000)[400:]

    def build(model, count, prefix):
        rows = []
        for i in range(count):
            name = f"{words[(i * 7) % len(words)].capitalize()} {words[(i * 13 + 1) % len(words)].capitalize()}"
            rows.append(model(name=name, slug=f"{prefix}-{i}", key=name_key(name)))
        model.objects.bulk_create(rows, batch_size=1000)
        return list(model.objects.order_by("pk").values_list("pk", flat=True))

    return (
        build(Outlet, 40, "outlet"),
        build(Person, 3000, "person"),
        build(Organization, 800, "org"),
        build(Place, 500, "place"),
    )


def load(n: int, vendor: str) -> float:
    """Fill the bench database with ``n`` articles; returns seconds taken."""
    from django.db import connection

    from articles.models import Article

    if Article.objects.count() >= n:
        return 0.0
    started = time.perf_counter()
    outlets, people, orgs, places = make_entities()
    now = dt.datetime.now(dt.UTC)
    columns = (
        "title, slug, body, raw_text, outlet_id, published_at, url, language, content_hash,"
        " source_name, source_format, word_count, ingested_at, updated_at"
    )
    mention_cols = "article_id, entity_id, surface, count, status, method, created_at"
    batch, mentions = [], {"person": [], "organization": [], "place": []}
    next_id = 1
    if vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS articles_article_search_vector")
            for trigger in ("articles_search_word_sync", "articles_search_word_sync_update"):
                cur.execute(f"ALTER TABLE articles_article DISABLE TRIGGER {trigger}")

    def flush():
        if not batch:
            return
        with connection.cursor() as cur:
            if vendor == "postgresql":
                with cur.cursor.copy(f"COPY articles_article (id, {columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
                for kind, rows in mentions.items():
                    table = f"articles_{kind}mention"
                    with cur.cursor.copy(f"COPY {table} ({mention_cols}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * 15)
                cur.executemany(
                    f"INSERT INTO articles_article (id, {columns}) VALUES ({marks})", batch
                )
                for kind, rows in mentions.items():
                    cur.executemany(
                        f"INSERT INTO articles_{kind}mention ({mention_cols})"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        rows,
                    )
        batch.clear()
        for rows in mentions.values():
            rows.clear()

    from django.db import transaction

    with transaction.atomic():
        for title, body, outlet, published, ps, os_, pls in generate(n):
            pk = next_id
            next_id += 1
            digest = hashlib.sha256(f"{pk}{title}".encode()).hexdigest()
            batch.append(
                (
                    pk,
                    title,
                    f"a-{pk}",
                    body,
                    "",
                    outlets[outlet],
                    published,
                    "",
                    "en",
                    digest,
                    f"bench-{pk}",
                    "txt",
                    body.count(" ") + 1,
                    now,
                    now,
                )
            )
            for kind, ids, chosen in (
                ("person", people, ps),
                ("organization", orgs, os_),
                ("place", places, pls),
            ):
                for i in chosen:
                    mentions[kind].append((pk, ids[i % len(ids)], "x", 1, "suggested", "ner", now))
            if len(batch) >= 2000:
                flush()
                print(f"  {pk:,} articles", end="\r", file=sys.stderr, flush=True)
        flush()
    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute(
                "SELECT setval('articles_article_id_seq', (SELECT max(id) FROM articles_article))"
            )
            cur.execute("SET maintenance_work_mem = '512MB'")
            cur.execute(
                "CREATE INDEX articles_article_search_vector ON articles_article"
                " USING gin (search_vector)"
            )
            for trigger in ("articles_search_word_sync", "articles_search_word_sync_update"):
                cur.execute(f"ALTER TABLE articles_article ENABLE TRIGGER {trigger}")
            from articles.search.postgres import refresh_vocabulary

            refresh_vocabulary(connection)
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
            cur.execute("ANALYZE")
    return time.perf_counter() - started


# --- measuring --------------------------------------------------------------------------------


def query_mix() -> list[tuple[str, dict]]:
    """The fixed mix: (label, GET parameters)."""
    rng = np.random.default_rng(7)
    words = vocabulary(rng, 60_000)
    common = words[10]  # "said": in nearly every article
    mid = words[400]
    rare = words[25_000]
    return [
        ("rare word", {"q": rare}),
        ("very common word", {"q": common}),
        ("phrase", {"q": '"prime minister"'}),
        ("OR", {"q": f"{words[900]} OR {words[1200]}"}),
        ("exclusion", {"q": f"{mid} -{words[300]}"}),
        ("prefix", {"q": f"{words[600][:4]}*"}),
        ("filter + query", {"q": mid, "outlet": "outlet-3"}),
        ("newest first", {"q": common, "sort": "newest"}),
    ]


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95


def time_it(fn, repeat: int = REPEAT) -> tuple[float, float]:
    for _ in range(WARMUP):
        fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return percentiles(samples)


def measure_ours() -> dict[str, dict]:
    from django.test import Client

    from articles.filters import ArticleFilter
    from articles.models import Article
    from articles.search import search_articles

    client = Client()
    out = {}
    for label, params in query_mix():

        def db(params=params):
            qs = ArticleFilter(params, queryset=Article.objects.all()).qs
            results = search_articles(
                params["q"], queryset=qs, sort=params.get("sort", "relevance")
            )
            paginator = results.paginator(20)
            list(paginator.page(1).object_list)
            return f"{results.total:,}" + ("+" if results.capped else "")

        def page(params=params):
            response = client.get("/search/", params)
            assert response.status_code == 200, response.status_code

        hits = db()
        out[label] = {"hits": hits, "db": time_it(db), "page": time_it(page), "params": params}
    return out


def measure_tantivy(n: int) -> dict[str, tuple[float, float]]:
    import shutil

    import tantivy

    path = VAR / f"tantivy-{n}"
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
    builder.add_integer_field("outlet", indexed=True, fast=True)
    builder.add_date_field("published", fast=True, indexed=True)
    schema = builder.build()
    if not (path / "meta.json").exists():
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        index = tantivy.Index(schema, path=str(path))
        writer = index.writer(heap_size=500_000_000, num_threads=2)
        for title, body, outlet, published, *_ in generate(n):
            writer.add_document(
                tantivy.Document(title=title, body=body, outlet=outlet, published=published)
            )
        writer.commit()
        writer.wait_merging_threads()
    index = tantivy.Index(schema, path=str(path))
    index.reload()
    searcher = index.searcher()
    out = {}
    for label, params in query_mix():
        text = params["q"]
        if "outlet" in params:
            text = f"+({text}) +outlet:{params['outlet'].split('-')[1]}"
        query = index.parse_query(text, ["title", "body"], field_boosts={"title": 10.0})

        newest = params.get("sort") == "newest"

        def run(query=query, newest=newest):
            if newest:
                result = searcher.search(query, 20, order_by_field="published")
            else:
                result = searcher.search(query, 20, count=True)
            return result.count, [searcher.doc(addr)["title"] for _s, addr in result.hits]

        out[label] = time_it(run)
    return out


def cpu_check() -> float:
    """Milliseconds for a fixed pure-Python loop: shows how contended the machine is."""
    return time_it(lambda: sum(range(10**6)), repeat=9)[0]


def run_engine(engine: str, n: int) -> None:
    if engine == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR / f'search-{n}.sqlite3'}"
    else:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            url = DEFAULT_PG
        name = url.rsplit("/", 1)[1]
        subprocess.run(
            ["psql", url.rsplit("/", 1)[0] + "/postgres", "-qc", f"CREATE DATABASE {name}"],
            capture_output=True,
        )
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    seconds = load(n, connection.vendor)
    from articles.models import Article

    total = Article.objects.count()
    print(f"\n== {connection.vendor}: {total:,} articles (load {seconds:.0f} s) ==")
    print(
        f"CPU check: sum(range(10**6)) takes {cpu_check():.0f} ms here (about 15 ms on an idle"
        f" core); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    ours = measure_ours()
    theirs = measure_tantivy(total)
    print(
        f"{'query':18} {'hits':>7} {'db p50':>8} {'db p95':>8} {'page p50':>9} {'page p95':>9}"
        f" {'tantivy p50':>12} {'p95':>7} {'page/tantivy':>13}"
    )
    for label, r in ours.items():
        t50, t95 = theirs[label]
        print(
            f"{label:18} {r['hits']:>7} {r['db'][0]:8.1f} {r['db'][1]:8.1f} {r['page'][0]:9.1f}"
            f" {r['page'][1]:9.1f} {t50:12.2f} {t95:7.2f} {r['page'][1] / max(t95, 0.01):12.0f}x"
        )
    print("(milliseconds; hits are counted up to the candidate cap, shown with a +)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="corpus size")
    parser.add_argument(
        "--engine", choices=["sqlite", "postgres", "both"], default="both", help="engines to run"
    )
    args = parser.parse_args()
    if args.engine == "both":
        for engine in ("sqlite", "postgres"):
            cmd = [sys.executable, __file__, "--engine", engine, "--articles", str(args.articles)]
            subprocess.run(cmd, check=False)
        return
    run_engine(args.engine, args.articles)


if __name__ == "__main__":
    main()
