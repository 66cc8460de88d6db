"""python manage.py export_catalogue [PATH] — write the curated entities as a catalogue file.

The output is what ``import_catalogue`` reads (see its docstring for the format), one entity per
line, sorted by kind and name, so a curated catalogue diffs cleanly in version control and moves
between installations: ``export_catalogue fixtures/catalogue.json`` then ``import_catalogue``.
Empty optional fields are left out. Places that curated events happen in are exported with them,
so the events' ``place`` names resolve on import.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import ENTITY_MODELS, Event, Place

# The order entries are written in; import_catalogue orders them itself (places before events).
KIND_ORDER = ("person", "outlet", "organization", "place", "event")
KIND_FIELDS = {
    "person": ("role",),
    "outlet": ("domain", "homepage"),
    "organization": (),
    "place": ("country",),
    "event": ("date_start", "date_end"),
}


def catalogue_entry(entity) -> dict:
    """One entity as a catalogue entry: kind, name, slug, aliases, then the non-empty details."""
    entry = {
        "kind": entity.kind,
        "name": entity.name,
        "slug": entity.slug,
        "aliases": [a for a in entity.aliases if a != entity.name],
    }
    if entity.description:
        entry["description"] = entity.description
    for field in KIND_FIELDS[entity.kind]:
        value = getattr(entity, field)
        if value not in (None, ""):
            entry[field] = value.isoformat() if hasattr(value, "isoformat") else value
    if isinstance(entity, Event) and entity.place_id:
        entry["place"] = entity.place.name
    return entry


def build_catalogue(*, everything: bool = False) -> dict:
    """The catalogue of curated entities (every entity when ``everything``), ready for JSON."""
    entries = []
    for kind in KIND_ORDER:
        model = ENTITY_MODELS[kind]
        rows = model.objects.all() if everything else model.objects.filter(curated=True)
        if model is Place and not everything:
            rows = Place.objects.filter(pk__in=rows.values("pk")) | Place.objects.filter(
                events__curated=True
            )
        if model is Event:
            rows = rows.select_related("place")
        entries += [catalogue_entry(e) for e in rows.distinct().order_by("name", "pk")]
    return {"version": 1, "entities": entries}


def dump_catalogue(catalogue: dict) -> str:
    """The catalogue as JSON text with one entity per line (readable diffs)."""
    lines = [json.dumps(e, ensure_ascii=False) for e in catalogue["entities"]]
    body = ",\n".join(f"    {line}" for line in lines)
    return (
        "{\n"
        f'  "version": {catalogue["version"]},\n'
        '  "entities": [\n'
        f"{body}{chr(10) if body else ''}"
        "  ]\n"
        "}\n"
    )


class Command(BaseCommand):
    help = (
        "Write the curated entities and their aliases as a catalogue JSON file that "
        "import_catalogue reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default="-",
            help="Where to write the catalogue (default: standard output).",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Export every entity, not only the curated ones.",
        )

    def handle(self, *args, **options):
        catalogue = build_catalogue(everything=options["everything"])
        text = dump_catalogue(catalogue)
        path = options["path"]
        if path == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path}: cannot write ({error})") from error
        if options["verbosity"] >= 1:
            counts = {}
            for entry in catalogue["entities"]:
                counts[entry["kind"]] = counts.get(entry["kind"], 0) + 1
            summary = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"
            self.stdout.write(f"Catalogue written to {path}: {summary}.")
