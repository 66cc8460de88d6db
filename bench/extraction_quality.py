"""Score entity and quote extraction on the seed articles against the hand-annotated gold file.

    .venv/bin/python bench/extraction_quality.py [--gold fixtures/gold/seeds.json] [--show]

The seeds are loaded into a throwaway SQLite database in a temporary directory, then extracted
twice: first WITHOUT the curated catalogue (so what is measured is NER, noise control and variant
resolution) and then WITH it. Scores are precision, recall and F1 over (article, entity) pairs per
kind — person, organization, place, outlet — and over (article, quotation, speaker) for quotes that
the gold attributes to a person. A predicted entity matches a gold entity when the key (see
``name_key``) of its name, one of its aliases or one of its surfaces in the article equals the key
of the gold name or one of the gold surfaces; a second predicted entity matching the same gold
entity (a person split in two) counts as a false positive.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("person", "organization", "place", "outlet")
GOLD_FIELDS = {
    "person": "people",
    "organization": "organizations",
    "place": "places",
    "outlet": "outlets",
}


def _setup(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _predicted(article, kind: str) -> list[tuple[str, set[str]]]:
    """(name, keys) of each entity of ``kind`` the article mentions (not rejected)."""
    from articles.extraction.resolution import clean_name
    from articles.models.entities import name_key
    from articles.models.mentions import MENTION_MODELS

    entities: dict[int, tuple[str, set[str]]] = {}
    for mention in (
        MENTION_MODELS[kind].objects.visible().filter(article=article).select_related("entity")
    ):
        entity = mention.entity
        name, keys = entities.setdefault(entity.pk, (entity.name, set()))
        keys.update(name_key(n) for n in entity.all_names)
        keys.add(name_key(clean_name(mention.surface) if kind == "person" else mention.surface))
    return [(n, {k for k in keys if k}) for n, keys in entities.values()]


def _gold_keys(entry: dict) -> set[str]:
    from articles.models.entities import name_key

    return {name_key(s) for s in [entry["name"], *entry.get("surfaces", [])] if name_key(s)}


def _score(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _norm_text(text: str) -> str:
    return " ".join("".join(c.lower() if c.isalnum() else " " for c in text).split())


def evaluate(gold: dict, articles: dict, show: bool = False) -> dict:
    """Return {kind: (tp, fp, fn)} and print the errors when ``show``."""
    from articles.models.entities import name_key

    results = {}
    for kind in KINDS:
        tp = fp = fn = 0
        for file_name, annotation in gold["articles"].items():
            article = articles.get(file_name)
            if article is None:
                continue
            gold_entities = annotation.get(GOLD_FIELDS[kind], [])
            gold_keys = [_gold_keys(e) for e in gold_entities]
            matched: set[int] = set()
            for name, keys in _predicted(article, kind):
                hit = next((i for i, g in enumerate(gold_keys) if g & keys), None)
                if hit is None or hit in matched:
                    fp += 1
                    if show:
                        why = "duplicate of gold" if hit is not None else "not in gold"
                        print(f"  FP {kind:12} {file_name[:3]}  {name!r} ({why})")
                else:
                    matched.add(hit)
                    tp += 1
            for i, entry in enumerate(gold_entities):
                if i not in matched:
                    fn += 1
                    if show:
                        print(f"  FN {kind:12} {file_name[:3]}  {entry['name']!r}")
        results[kind] = (tp, fp, fn)

    tp = fp = fn = 0
    for file_name, annotation in gold["articles"].items():
        article = articles.get(file_name)
        if article is None:
            continue
        gold_quotes = [q for q in annotation.get("quotes", [])]
        found = []
        for quote in article.quotes.select_related("speaker"):
            text = _norm_text(quote.text)
            hit = next(
                (i for i, g in enumerate(gold_quotes) if text.startswith(_norm_text(g["text"]))),
                None,
            )
            found.append((hit, quote))
        credited: set[int] = set()
        for hit, quote in found:
            if quote.speaker is None:
                continue
            speaker_keys = {name_key(n) for n in quote.speaker.all_names}
            gold_speaker = gold_quotes[hit]["speaker"] if hit is not None else None
            if gold_speaker and name_key(gold_speaker) in speaker_keys and hit not in credited:
                tp += 1
                credited.add(hit)
            else:
                fp += 1
                if show:
                    print(
                        f"  FP quote        {file_name[:3]}  {quote.text[:40]!r} -> {quote.speaker}"
                    )
        for i, g in enumerate(gold_quotes):
            if g["speaker"] and i not in credited:
                fn += 1
                if show:
                    print(f"  FN quote        {file_name[:3]}  {g['text'][:40]!r} ({g['speaker']})")
    results["quote-with-speaker"] = (tp, fp, fn)
    return results


def _report(title: str, results: dict, seconds: float, count: int) -> None:
    print(f"\n{title}  ({count} articles, extraction {seconds:.2f} s)")
    print(f"  {'kind':20} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for kind, (tp, fp, fn) in results.items():
        p, r, f = _score(tp, fp, fn)
        print(f"  {kind:20} {p:6.3f} {r:6.3f} {f:6.3f}  {tp:3} {fp:3} {fn:3}")


def _reset_extraction() -> None:
    """Forget everything extraction made, keeping the articles and their authors."""
    from articles.extraction import gazetteer
    from articles.models import ENTITY_MODELS, Article, Claim, Quote
    from articles.models.mentions import MENTION_MODELS

    for model in MENTION_MODELS.values():
        model.objects.all().delete()
    Quote.objects.all().delete()
    Claim.objects.all().delete()
    authors = set(Article.authors.through.objects.values_list("person_id", flat=True))
    for kind, model in ENTITY_MODELS.items():
        rows = model.objects.all()
        if kind == "person":
            rows = rows.exclude(pk__in=authors)
        if kind == "outlet":
            rows = rows.exclude(pk__in=Article.objects.values("outlet_id"))
        rows.delete()
    gazetteer._current = None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT / "fixtures" / "gold" / "seeds.json"))
    parser.add_argument("--seeds", default=str(ROOT / "fixtures" / "seeds"))
    parser.add_argument("--show", action="store_true", help="List every error.")
    args = parser.parse_args()
    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))

    with tempfile.TemporaryDirectory(prefix="na-bench-") as tmp:
        _setup(tmp)
        from django.core.management import call_command

        from articles.extraction.pipeline import extract_articles
        from articles.models import Article

        paths = sorted(str(p) for p in Path(args.seeds).glob("*.txt"))
        call_command("load_articles", *paths, "--no-extract", verbosity=0)
        articles = {Path(a.source_name).name: a for a in Article.objects.order_by("source_name")}
        ids = [a.pk for a in articles.values()]

        from articles.extraction import nlp

        nlp.get_nlp()
        for title, catalogue in (("WITHOUT catalogue", False), ("WITH catalogue", True)):
            _reset_extraction()
            if catalogue:
                call_command("import_catalogue", verbosity=0)
            nlp._cache.clear()  # time the parses again rather than reuse the first pass's
            started = time.perf_counter()
            extract_articles(ids, workers=1)
            seconds = time.perf_counter() - started
            if args.show:
                print(f"\n{title}: errors")
            _report(title, evaluate(gold, articles, show=args.show), seconds, len(ids))


if __name__ == "__main__":
    main()
