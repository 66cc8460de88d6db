"""Ingest throughput: store-and-index articles per second, and with extraction on.

    python bench/ingest.py                       # 10k generated articles on SQLite and PostgreSQL
    python bench/ingest.py --articles 50000 --engine sqlite
    python bench/ingest.py --extract 200         # also: 200 articles through entity extraction

The store-and-index step is what ``load_articles --no-extract`` does after reading: the content hash
check, outlet and author resolution, the INSERT, and the full-text index the database keeps in step
(FTS5 triggers on SQLite, the generated tsvector and its GIN index on PostgreSQL).
Targets (2 cores): >= 2,000 articles/s stored; >= 20 articles/s with extraction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import ROOT, database  # noqa: E402

WORDS = (
    "the of and to in a for on that with as by at from is was said has have will be it are were "
    "government minister president officials city country border bridge road construction project "
    "agreement talks trade economy market prices energy oil gas troops military defence security "
    "election vote parliament party leader opposition court law police report investigation "
    "company shares investors bank interest rates inflation growth workers union strike health "
    "hospital vaccine school students climate weather flood storm fire river port railway airport "
    "visit ceremony summit meeting statement spokesman agency week month year day million billion"
).split()
NAMES = [f"{a} {b}" for a in ("Anna", "Boris", "Chen", "Dara", "Elif", "Farid", "Grace", "Hiro")
         for b in ("Ivanova", "Jensen", "Kowalski", "Lopez", "Mensah", "Novak", "Okafor", "Park")]  # fmt: skip
OUTLETS = [f"The Daily {w.title()}" for w in ("herald", "courier", "ledger", "gazette", "post")]


def generate(count: int, seed: int = 7):
    """``count`` news-like RawArticles with Zipf-ish word frequencies and 200–900 words each."""
    from articles.ingest.types import RawArticle

    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for i in range(count):
        words = rng.choices(WORDS, weights, k=rng.randint(200, 900))
        sentences = [
            " ".join(words[j : j + 18]).capitalize() + "." for j in range(0, len(words), 18)
        ]
        body = "\n".join(" ".join(sentences[k : k + 4]) for k in range(0, len(sentences), 4))
        title = " ".join(rng.choices(WORDS[20:], k=7)).capitalize() + f" {i}"
        yield RawArticle(
            title=title,
            body=body,
            raw_text=title + "\n\n" + body,
            source_name=f"bench/{i}.txt",
            outlet=rng.choice(OUTLETS),
            authors=[rng.choice(NAMES)],
            published_at=start + dt.timedelta(hours=i),
        )


def bench_store(engine: str, count: int, batch: int) -> float:
    from articles.ingest.pipeline import store_batches
    from articles.models import Article

    raws = list(generate(count))
    began = time.perf_counter()
    for _ in store_batches(raws[k : k + batch] for k in range(0, len(raws), batch)):
        pass
    elapsed = time.perf_counter() - began
    stored = Article.objects.count()
    assert stored == count, f"stored {stored} of {count}"
    rate = count / elapsed
    print(
        f"{engine:10s} store+index  {count:>7,} articles in {elapsed:6.2f} s = {rate:8,.0f} articles/s"
    )
    return rate


def _busy() -> float:
    """Seconds of CPU the whole machine has spent busy (all processes, the database's too)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def bench_extract(engine: str, count: int, workers: int) -> float:
    from django.core.management import call_command

    from articles.extraction.nlp import get_nlp
    from articles.extraction.pipeline import extract_articles
    from articles.ingest.pipeline import store_articles
    from articles.ingest.readers import read_source
    from articles.models import Article

    call_command("import_catalogue", str(ROOT / "fixtures" / "catalogue.json"), verbosity=0)
    seeds = [a for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")) for a in read_source(p)]
    raws = []
    for i in range(count):  # seed-sized real news text, made unique per copy
        raw = seeds[i % len(seeds)]
        raws.append(type(raw)(**{**{f: getattr(raw, f) for f in raw.__slots__},
                                 "title": f"{raw.title} #{i}", "source_name": f"x/{i}"}))  # fmt: skip
    store_articles(raws)
    ids = list(Article.objects.filter(source_name__startswith="x/").values_list("id", flat=True))
    # Loading the spaCy pipeline is paid once per process, whatever the number of articles:
    # printed on its own so the rate is the one a long load runs at.
    began = time.perf_counter()
    get_nlp()
    print(f"{engine:10s} spaCy pipeline loaded in {time.perf_counter() - began:.2f} s")
    busy_before = _busy()
    began = time.perf_counter()
    extract_articles(ids, workers=workers)
    elapsed = time.perf_counter() - began
    busy = _busy() - busy_before
    rate = len(ids) / elapsed
    print(f"{engine:10s} extraction   {len(ids):>7,} articles in {elapsed:6.2f} s = {rate:8,.1f} articles/s "
          f"(workers={workers or 'auto'}; machine CPU busy {busy / elapsed:.2f} cores of "
          f"{os.cpu_count()}, {1000 * busy / len(ids):.0f} ms per article, database included)")  # fmt: skip
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000, help="articles to store")
    parser.add_argument(
        "--batch", type=int, default=200, help="articles per batch (as load_articles)"
    )
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--extract", type=int, default=0, help="also extract N seed-sized articles")
    parser.add_argument("--workers", type=int, default=0, help="extraction workers (0: auto)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    if args.child:
        with database(args.child, "bench_ingest"):
            bench_store(args.child, args.articles, args.batch)
            if args.extract:
                Article = __import__("articles.models", fromlist=["Article"]).Article
                Article.objects.all().delete()
                bench_extract(args.child, args.extract, args.workers)
        return
    # One process per engine: Django settings are fixed once per process.
    for engine in engines:
        cmd = [sys.executable, __file__, "--child", engine, "--articles", str(args.articles),
               "--batch", str(args.batch), "--extract", str(args.extract), "--workers", str(args.workers)]  # fmt: skip
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
