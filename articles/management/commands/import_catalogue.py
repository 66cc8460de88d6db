"""python manage.py import_catalogue [PATH] — load the curated catalogue of entities.

The catalogue is one JSON file (default ``fixtures/catalogue.json``)::

    {
      "version": 1,
      "entities": [
        {"kind": "person", "name": "Mikhail Mishustin", "slug": "mikhail-mishustin",
         "aliases": ["Mishustin"], "description": "…", "role": "Prime Minister of Russia"},
        {"kind": "outlet", "name": "TASS", "aliases": ["Tass"], "domain": "tass.com",
         "homepage": "https://tass.com/"},
        {"kind": "place", "name": "Vladivostok", "country": "Russia"},
        {"kind": "organization", "name": "Central Military Commission"},
        {"kind": "event", "name": "…", "aliases": [], "date_start": "2025-04-30",
         "date_end": null, "place": "Tumen River"}
      ]
    }

``kind`` is one of person, outlet, organization, place, event; ``name`` is required; every other
field is optional. ``slug`` is kept when free. Person: ``role``. Outlet: ``domain``, ``homepage``.
Place: ``country``. Event: ``date_start``, ``date_end`` (ISO dates) and ``place`` (the name of a
place in the catalogue or the database).

Entities are matched by kind and by the key of their name or any alias (see ``name_key``), so
importing twice changes nothing; a matched entity takes the catalogue's name, description and
fields, gains its aliases, and is marked curated. Places are imported before events.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from articles.models import ENTITY_MODELS, Place
from articles.models.entities import name_key, unique_slug

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures" / "catalogue.json"
KIND_FIELDS = {
    "person": ("role",),
    "outlet": ("domain", "homepage"),
    "organization": (),
    "place": ("country",),
    "event": (),
}
ORDER = ("place", "organization", "outlet", "person", "event")


def _find(model, names: list[str]):
    """The entity of ``model`` named by the first of ``names`` that names one (name first)."""
    keys = list(dict.fromkeys(name_key(n) for n in names if name_key(n)))
    for key in keys:
        found = model.objects.filter(key=key).order_by("-curated", "id").first()
        if found:
            return found
    for key in keys:
        found = model.objects.named_by([key]).order_by("-curated", "id").first()
        if found:
            return found
    return None


def _date(value) -> dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(str(value)[:10])


def _state(entity) -> dict:
    """The entity's stored field values, to tell whether an import changed anything."""
    return {
        f.attname: getattr(entity, f.attname)
        for f in entity._meta.concrete_fields
        if f.attname not in ("created_at", "updated_at")
    }


def import_entity(item: dict) -> tuple[object, str]:
    """Upsert one catalogue entry; return (entity, "created" | "updated" | "unchanged")."""
    kind = item.get("kind")
    if kind not in ENTITY_MODELS:
        raise ValueError(f"unknown kind {kind!r}")
    if not isinstance(item.get("name"), str) or not name_key(item["name"]):
        raise ValueError("an entity needs a name (text)")
    name = " ".join(item["name"].split())
    model = ENTITY_MODELS[kind]
    raw_aliases = item.get("aliases") or []
    if not isinstance(raw_aliases, list) or not all(isinstance(a, str) for a in raw_aliases):
        raise ValueError("aliases must be a list of names")
    aliases = [" ".join(a.split()) for a in raw_aliases if a.strip()]
    for alias in aliases:
        if len(name_key(alias)) < 2:
            # A one-letter alias would match "A" and "I" in every article.
            raise ValueError(f"alias {alias!r} is too short to match safely")
    slug = item.get("slug")
    if slug is not None and (not isinstance(slug, str) or slugify(slug) != slug or not slug):
        raise ValueError(f"slug {slug!r} is not a valid slug (lowercase letters, digits, hyphens)")
    if kind == "event" and item.get("place") is not None and not isinstance(item["place"], str):
        raise ValueError("an event's place must be the place's name")
    entity = _find(model, [name, *aliases])
    created = entity is None
    if created:
        entity = model(name=name)
    before = None if created else _state(entity)
    old_names = entity.all_names if not created else []
    entity.name = name[:255]
    merged = [a for a in [*old_names, *aliases] if a != name]
    entity.aliases = list(dict.fromkeys(merged))
    if "description" in item:
        entity.description = item.get("description") or ""
    for field in KIND_FIELDS[kind]:
        if field in item:
            setattr(entity, field, item.get(field) or "")
    if kind == "event":
        if "date_start" in item:
            entity.date_start = _date(item.get("date_start"))
        if "date_end" in item:
            entity.date_end = _date(item.get("date_end"))
        if item.get("place"):
            entity.place = _find(Place, [item["place"]])
    if slug and slug != entity.slug and not model.objects.filter(slug=slug).exists():
        entity.slug = slug
    elif not entity.slug:
        entity.slug = unique_slug(model, name)
    entity.curated = True
    entity.refresh_keys()
    if before is not None and _state(entity) == before:
        return entity, "unchanged"
    entity.save()
    return entity, "created" if created else "updated"


def read_catalogue(path: Path) -> list[dict]:
    """The entity entries of a catalogue file, checked for shape."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CommandError(f"{path}: no such file") from error
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}: not valid JSON ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise CommandError(f'{path}: expected {{"version": 1, "entities": [...]}}')
    if data.get("version", 1) != 1:
        raise CommandError(f"{path}: unsupported catalogue version {data.get('version')!r}")
    return data["entities"]


class Command(BaseCommand):
    help = (
        "Import the curated catalogue of people, organizations, places, outlets and events "
        "(JSON). Matches existing entities by kind and name or alias; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(DEFAULT_PATH),
            help=f"Catalogue file (default: {DEFAULT_PATH}).",
        )

    def handle(self, *args, **options):
        entries = read_catalogue(Path(options["path"]))
        rank = {kind: i for i, kind in enumerate(ORDER)}
        ordered = sorted(
            enumerate(entries),
            key=lambda pair: (
                rank.get(pair[1].get("kind"), 99) if isinstance(pair[1], dict) else 99,
                pair[0],
            ),
        )
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        failed = 0
        for index, item in ordered:
            label = item.get("name", "?") if isinstance(item, dict) else "?"
            try:
                if not isinstance(item, dict):
                    raise ValueError("an entry must be an object")
                with transaction.atomic():
                    _entity, outcome = import_entity(item)
            except (ValueError, TypeError) as error:
                failed += 1
                self.stderr.write(f"entry {index} ({label}): {error}")
                continue
            counts[outcome] += 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"{outcome} {item['kind']}: {label}")
        if options["verbosity"] >= 1:
            summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
            self.stdout.write(f"Catalogue: {summary}, {failed} failed.")
        if failed:
            raise CommandError(f"{failed} catalogue entr(ies) failed; see messages above.")
