"""Finding an entity by name among many: the key table (migration 0013) against a scan.

    python bench/entity_lookup.py                        # 300k people, SQLite and PostgreSQL
    python bench/entity_lookup.py --people 50000 --engine sqlite

The loader resolves every author, extraction every name it finds, and search every run of words
in a query through ``Person.objects.by_name`` and its kin. This generates an archive of made-up
people (each with a hyphenated and a short alias), then times a look-up by alias through the key
table and, as the yardstick of what it replaced, through the substring test on ``alias_keys``
that reads the whole table. Prints the median of 30 look-ups of random people for each.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time

from _setup import ROOT, database

SYLLABLES = "ka ri to ne mu sa lo vi da pe ro shi ta ko ma nu le ba zu go".split()


def people(n: int):
    from articles.models import Person

    rng = random.Random(1)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()

    batch = []
    for i in range(n):
        name = f"{word()} {word()} {i}"
        person = Person(name=name, aliases=[name.replace(" ", "-"), f"{word()} {i}"], slug=f"p-{i}")
        person.refresh_keys()
        batch.append(person)
        if len(batch) == 5000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)


def median_ms(fn, names: list[str]) -> float:
    samples = []
    for name in names:
        started = time.perf_counter()
        fn(name)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run(engine: str, n: int) -> None:
    with database(engine, "entity_lookup"):
        from django.db import connection
        from django.db.models import Q

        from articles.models import Person
        from articles.models.entities import name_key

        started = time.perf_counter()
        people(n)
        seconds = time.perf_counter() - started
        rng = random.Random(2)
        chosen = [Person.objects.get(slug=f"p-{rng.randrange(n)}") for _ in range(30)]
        names = [p.aliases[1] for p in chosen]

        def by_keys(name: str) -> list[int]:
            return list(Person.objects.by_name(name).values_list("pk", flat=True))

        def by_scan(name: str) -> list[int]:
            key = name_key(name)
            matches = Person.objects.filter(Q(key=key) | Q(alias_keys__contains=f"|{key}|"))
            return list(matches.values_list("pk", flat=True))

        for person, name in zip(chosen, names, strict=True):
            assert by_keys(name) == by_scan(name) == [person.pk], name
        keys, scan = median_ms(by_keys, names), median_ms(by_scan, names)
        print(
            f"{connection.vendor:10} {n:>9,} people (created in {seconds:.0f} s)"
            f"   key table {keys:7.2f} ms   scan {scan:8.2f} ms   ({scan / keys:.0f}x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if args.engine == "both":
        for engine in ("sqlite", "postgres"):
            cmd = [sys.executable, __file__, "--engine", engine, "--people", str(args.people)]
            subprocess.run(cmd, check=False, cwd=ROOT)
        return
    run(args.engine, args.people)


if __name__ == "__main__":
    main()
