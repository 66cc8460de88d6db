"""Story grouping: quality against a labelled set, and throughput on a large generated archive.

    python bench/stories.py                          # quality on held-out generated sets + baseline
    python bench/stories.py --data my_labelled.jsonl # quality on your own labelled news
    python bench/stories.py --tune                   # grid-search Params on the tuning split
    python bench/stories.py --throughput 100000      # grouping speed, pure clustering step
    python bench/stories.py --db sqlite --throughput 20000   # ...through assign_stories + the DB

A labelled file is JSON Lines, one article per line: {"id", "story", "title", "body", "outlet",
"published_at"} ("story" is the true label; ids must be unique). The generated sets come from
bench/data/stories/generator.py (seed 1 is for tuning; seeds 2 and 3 are held out).

Prints pairwise precision, recall and F1 and B-cubed precision, recall and F1 for the story
grouping and for a baseline: plain TF-IDF (scikit-learn) with average-linkage clustering at a
cosine threshold tuned on the tuning split — no dates, no entities.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "data" / "stories"))
sys.path.insert(0, str(HERE.parent))

import generator  # noqa: E402

TUNE_SEED, HELD_OUT_SEEDS = 1, (2, 3)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# -- data ----------------------------------------------------------------------------------------
def load_jsonl(path: Path) -> list[dict]:
    """A labelled set from a JSON Lines file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def day_of(published_at: str) -> float:
    """Days since the epoch of an ISO 8601 timestamp."""
    when = dt.datetime.fromisoformat(published_at.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return (when - EPOCH).total_seconds() / 86400


def features_of(items: list[dict]):
    """ArticleFeatures of labelled items (names found by capitalisation: no extraction here)."""
    from articles.stories.features import article_features

    return [
        article_features(
            id=item["id"],
            title=item["title"],
            body=item["body"],
            day=day_of(item["published_at"]),
            outlet=item.get("outlet"),
        )
        for item in items
    ]


# -- scores --------------------------------------------------------------------------------------
def scores(truth: dict, predicted: dict) -> dict[str, float]:
    """Pairwise and B-cubed precision, recall and F1 of ``predicted`` labels against ``truth``."""
    ids = list(truth)
    both = Counter((truth[i], predicted[i]) for i in ids)
    true_sizes, pred_sizes = Counter(truth[i] for i in ids), Counter(predicted[i] for i in ids)

    def pairs(n):
        return n * (n - 1) / 2

    tp = sum(pairs(n) for n in both.values())
    pred_pairs = sum(pairs(n) for n in pred_sizes.values())
    true_pairs = sum(pairs(n) for n in true_sizes.values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    bp = sum(both[(truth[i], predicted[i])] / pred_sizes[predicted[i]] for i in ids) / len(ids)
    br = sum(both[(truth[i], predicted[i])] / true_sizes[truth[i]] for i in ids) / len(ids)
    return {
        "pair_p": p,
        "pair_r": r,
        "pair_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "b3_p": bp,
        "b3_r": br,
        "b3_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
    }


def show(label: str, s: dict[str, float]) -> None:
    print(
        f"  {label:34s} pairwise P {s['pair_p']:.3f} R {s['pair_r']:.3f} F1 {s['pair_f1']:.3f}"
        f" | B-cubed P {s['b3_p']:.3f} R {s['b3_r']:.3f} F1 {s['b3_f1']:.3f}"
    )


# -- methods -------------------------------------------------------------------------------------
def run_stories(items: list[dict], params=None, feats=None) -> dict:
    """Labels from the story clustering (articles.stories.cluster)."""
    from articles.stories.cluster import cluster

    return cluster(feats if feats is not None else features_of(items), params)


def tfidf_matrix(items: list[dict]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{item['title']}\n{item['body']}" for item in items]
    return TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(texts)


def run_baseline(items: list[dict], threshold: float, matrix=None) -> dict:
    """Labels from plain TF-IDF and average-linkage clustering cut at a cosine ``threshold``."""
    from sklearn.cluster import AgglomerativeClustering

    matrix = tfidf_matrix(items) if matrix is None else matrix
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - threshold
    )
    labels = model.fit_predict(matrix.toarray())
    return {item["id"]: int(label) for item, label in zip(items, labels, strict=True)}


def tune_baseline(items: list[dict]) -> float:
    """The baseline's best cosine threshold on ``items`` by B-cubed F1."""
    matrix, truth = tfidf_matrix(items), {i["id"]: i["story"] for i in items}
    best = max(
        (scores(truth, run_baseline(items, t / 100, matrix))["b3_f1"], t / 100)
        for t in range(30, 62, 2)
    )
    return best[1]


def tune_stories(items: list[dict]):
    """Grid-search the joining rule on ``items``; print the best settings."""
    from articles.stories.cluster import Params

    feats, truth = features_of(items), {i["id"]: i["story"] for i in items}
    results = []
    grid = itertools.product(
        (0.6, 0.8), (0.34, 0.38, 0.42, 0.46), (2.0, 4.0, 6.0), (0.015, 0.02, 0.04)
    )
    for text_weight, threshold, soft, slope in grid:
        params = Params(
            text_weight=text_weight,
            entity_weight=1 - text_weight,
            threshold=threshold,
            soft_days=soft,
            slope=slope,
        )
        s = scores(truth, run_stories(items, params, feats))
        results.append((s["b3_f1"], s["pair_f1"], params))
    results.sort(key=lambda r: r[0], reverse=True)
    for b3, pf1, params in results[:8]:
        print(f"  B-cubed F1 {b3:.3f} pairwise F1 {pf1:.3f}  {params}")
    return results[0][2]


# -- throughput ----------------------------------------------------------------------------------
def generated_archive(count: int) -> list[dict]:
    """About ``count`` generated articles (~2.8 per happening), ~60 a day."""
    return generator.generate(int(count / 2.5) + 1, seed=11, days=max(365, count // 60))[:count]


def throughput(count: int) -> None:
    """Features plus clustering of ``count`` generated articles, in articles per second."""
    from articles.stories.cluster import Clusterer

    items = generated_archive(count)
    began = time.perf_counter()
    feats = features_of(items)
    featured = time.perf_counter()
    clusterer = Clusterer()
    for feat in sorted(feats, key=lambda f: f.day):
        clusterer.assign(feat)
    done = time.perf_counter()
    n = len(items)
    print(
        f"Throughput on {n:,} generated articles over {generator_days(items):,} days: "
        f"features {n / (featured - began):,.0f}/s, clustering {n / (done - featured):,.0f}/s, "
        f"together {n / (done - began):,.0f} articles/s ({done - began:.1f} s)"
    )


def generator_days(items: list[dict]) -> int:
    days = [day_of(i["published_at"]) for i in items]
    return int(max(days) - min(days)) + 1


def db_throughput(engine: str, count: int) -> None:
    """assign_stories over ``count`` generated articles already stored in a fresh database."""
    from _setup import database

    items = generated_archive(count)
    with database(engine, "stories"):
        from articles.models import Article, Outlet, Story
        from articles.stories import assign_stories

        outlets = {name: Outlet.objects.create(name=name) for name in generator.OUTLETS}
        rows = [
            Article(
                title=i["title"],
                body=i["body"],
                outlet=outlets[i["outlet"]],
                published_at=dt.datetime.fromisoformat(i["published_at"]),
                content_hash=f"bench-{i['id']}",
                source_name=f"bench/{i['id']}",
                word_count=len(i["body"].split()),
            )
            for i in items
        ]
        Article.objects.bulk_create(rows, batch_size=2000)
        ids = list(Article.objects.order_by("id").values_list("id", flat=True))
        began = time.perf_counter()
        for k in range(0, len(ids), 2000):
            assign_stories(ids[k : k + 2000])
        elapsed = time.perf_counter() - began
        print(
            f"{engine}: assign_stories on {len(ids):,} stored articles in {elapsed:.1f} s = "
            f"{len(ids) / elapsed:,.0f} articles/s; {Story.objects.count():,} stories"
        )


# -- main ----------------------------------------------------------------------------------------
def evaluate(label: str, items: list[dict], baseline_threshold: float) -> None:
    truth = {i["id"]: i["story"] for i in items}
    stories = len(set(truth.values()))
    print(f"{label}: {len(items):,} articles, {stories:,} true stories")
    show("stories (text + entities + dates)", scores(truth, run_stories(items)))
    show(f"baseline TF-IDF @ {baseline_threshold:.2f}", scores(truth, run_baseline(items, baseline_threshold)))  # fmt: skip


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="A labelled JSON Lines file to score.")
    parser.add_argument("--happenings", type=int, default=500, help="Size of generated sets.")
    parser.add_argument("--tune", action="store_true", help="Grid-search Params on seed 1.")
    parser.add_argument("--throughput", type=int, default=0, help="Articles for the speed run.")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), help="Speed run through the DB.")
    parser.add_argument("--write-sample", type=Path, help="Write the seed-1 set as JSON Lines.")
    args = parser.parse_args(argv)

    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    if not args.db:
        django.setup()

    if args.throughput:
        if args.db:
            db_throughput(args.db, args.throughput)
        else:
            throughput(args.throughput)
        return

    tuning = generator.generate(args.happenings, seed=TUNE_SEED)
    if args.write_sample:
        with open(args.write_sample, "w", encoding="utf-8") as handle:
            for item in tuning:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    if args.tune:
        print("Tuning the story rule on the tuning split (seed 1):")
        tune_stories(tuning)
    threshold = tune_baseline(tuning)
    print(f"Baseline threshold tuned on seed {TUNE_SEED}: cosine {threshold:.2f}")
    if args.data:
        evaluate(str(args.data), load_jsonl(args.data), threshold)
        return
    evaluate(f"tuning split (seed {TUNE_SEED})", tuning, threshold)
    dense = generator.generate(args.happenings * 4, seed=5, days=365)
    evaluate("held out, dense (seed 5, 4x happenings in a year)", dense, threshold)
    for seed in HELD_OUT_SEEDS:
        evaluate(f"held out (seed {seed})", generator.generate(args.happenings, seed=seed), threshold)  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
