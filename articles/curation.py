"""What curators do to the archive: merge and unmerge entities, confirm, reject and link mentions.

Each function is one transaction, takes keyword-only arguments and records who did it in the
admin's change history (``LogEntry``), so an edit made from a script is as traceable as one made
in the admin. Refused operations raise ``CurationError`` with a message fit to show a curator.

A merge moves every row that points at the merged entity — found by introspecting the model's
relations, so a relation added later is moved too instead of being cascade-deleted — and writes a
``MergeRecord`` whose snapshot holds the merged entity, the ids of every moved row and every
deleted duplicate in full, which is what ``undo_merge`` needs to put things back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core import serializers
from django.db import models, transaction
from django.utils import timezone

from articles.models import (
    ENTITY_MODELS,
    Entity,
    EntityRedirect,
    MentionMethod,
    MentionStatus,
    MergeRecord,
    RejectedSurface,
)
from articles.models.entities import name_key
from articles.models.mentions import MENTION_MODELS, Mention

__all__ = [
    "CurationError",
    "confirm_mentions",
    "link_mention",
    "merge_entities",
    "reject_everywhere",
    "reject_mentions",
    "undo_merge",
]

# Fields of an entity that a merge never copies from the merged entity into blank kept fields.
_IDENTITY_FIELDS = {
    "id",
    "name",
    "slug",
    "key",
    "aliases",
    "alias_keys",
    "curated",
    "created_at",
    "updated_at",
}


class CurationError(Exception):
    """A curation request that was refused; the message says why, in words a curator understands."""


# --- change history ---------------------------------------------------------------------------


def _log(by, objects: Iterable[models.Model], flag: int, message: str) -> None:
    """Record ``message`` in the admin's change history of each object, when a user is known."""
    objects = list(objects)
    if by is None or getattr(by, "pk", None) is None or not objects:
        return
    LogEntry.objects.log_actions(by.pk, objects, flag, change_message=message)


# --- merge ------------------------------------------------------------------------------------


def _serialize(rows: Iterable[models.Model]) -> list[dict]:
    """Rows as JSON-safe dicts that ``serializers.deserialize`` turns back into the same rows."""
    return json.loads(serializers.serialize("json", list(rows)))


def _label(model) -> str:
    return model._meta.label_lower


def _is_mention_model(model) -> bool:
    return issubclass(model, Mention)


def _entity_relations(model):
    """Every relation that points at ``model``: (kind, rows model, column pointing at the entity).

    kind is "mention" (deduplicated by article and offsets), "through" (an automatic many-to-many
    table such as ``Article.authors``, deduplicated by its other column) or "fk" (moved as is).
    """
    for rel in model._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            if through._meta.auto_created:
                yield (
                    "through",
                    through,
                    rel.field.m2m_reverse_field_name(),
                    rel.field.m2m_field_name(),
                )
            # A many-to-many through an explicit model (mentions) is moved by its foreign key.
            continue
        if rel.one_to_many or rel.one_to_one:
            kind = "mention" if _is_mention_model(rel.related_model) else "fk"
            yield kind, rel.related_model, rel.field.name, None


def _mention_slot(row: Mention) -> tuple:
    """Where a mention sits: two mentions in the same slot of the same entity are one mention."""
    return (row.article_id, row.start, row.end)


def _move_rows(keep: Entity, merge: Entity) -> dict:
    """Point every row that refers to ``merge`` at ``keep``; return what undo needs to know."""
    moved: list[dict] = []
    deleted: list[models.Model] = []
    changed: list[dict] = []
    for kind, rows_model, column, other in _entity_relations(type(merge)):
        column_id = rows_model._meta.get_field(column).attname
        rows = rows_model._default_manager.filter(**{column_id: merge.pk})
        duplicates: list[models.Model] = []
        if kind == "mention":
            kept_slots = {
                _mention_slot(row): row
                for row in rows_model._default_manager.filter(**{column_id: keep.pk})
            }
            for row in rows:
                twin = kept_slots.get(_mention_slot(row))
                if twin is None:
                    continue
                duplicates.append(row)
                # A curator's confirmation of either copy survives in the one row kept.
                if row.status == MentionStatus.CONFIRMED and twin.status != MentionStatus.CONFIRMED:
                    changed.append(
                        {"model": _label(rows_model), "id": twin.pk, "status": twin.status}
                    )
                    twin.status = MentionStatus.CONFIRMED
                    twin.save(update_fields=["status"])
        elif kind == "through":
            other_id = rows_model._meta.get_field(other).attname
            kept_others = set(
                rows_model._default_manager.filter(**{column_id: keep.pk}).values_list(
                    other_id, flat=True
                )
            )
            duplicates = [row for row in rows if getattr(row, other_id) in kept_others]
        duplicate_ids = [row.pk for row in duplicates]
        if duplicates:
            deleted.extend(duplicates)
            rows_model._default_manager.filter(pk__in=duplicate_ids).delete()
        moving = list(
            rows_model._default_manager.filter(**{column_id: merge.pk}).values_list("pk", flat=True)
        )
        if moving:
            rows_model._default_manager.filter(pk__in=moving).update(**{column_id: keep.pk})
            moved.append({"model": _label(rows_model), "field": column_id, "ids": moving})
    return {"moved": moved, "deleted": _serialize(deleted), "changed": changed}


def _merged_aliases(keep: Entity, merge: Entity) -> list[str]:
    """The merged entity's name and aliases that the kept entity does not spell yet."""
    known = {keep.name, *keep.aliases}
    added: list[str] = []
    for alias in [merge.name, *merge.aliases]:
        alias = alias.strip()
        if alias and alias not in known:
            known.add(alias)
            added.append(alias)
    return added


def _fill_blank_fields(keep: Entity, merge: Entity) -> list[str]:
    """Copy the merged entity's details (role, domain, dates…) into the kept one's blank fields."""
    filled = []
    for field in type(keep)._meta.concrete_fields:
        if field.name in _IDENTITY_FIELDS:
            continue
        mine, theirs = getattr(keep, field.attname), getattr(merge, field.attname)
        if mine in (None, "") and theirs not in (None, ""):
            setattr(keep, field.attname, theirs)
            filled.append(field.attname)
    return filled


def _refuse_stale(entity: Entity, role: str) -> None:
    """Refuse an entity that no longer exists, saying where it went if a merge took it."""
    record = (
        MergeRecord.objects.filter(kind=entity.kind, merged_id=entity.pk, undone_at__isnull=True)
        .order_by("-merged_at")
        .first()
    )
    if record is not None:
        then = f"“{entity.name}” was already merged into “{record.kept_name}” on {record.merged_at:%Y-%m-%d %H:%M}"
        if role == "merged":
            raise CurationError(f"{then}; it cannot be merged again.")
        raise CurationError(f"{then}; merge into “{record.kept_name}” instead.")
    raise CurationError(f"The {role} {entity.kind} “{entity.name}” no longer exists.")


@transaction.atomic
def merge_entities(*, keep: Entity, merge: Entity, by=None) -> MergeRecord:
    """Merge ``merge`` into ``keep`` and return the record that can undo it.

    Every mention, quote, authorship, published or cited outlet, event link and story link of
    ``merge`` moves to ``keep`` (a mention both had at the same offsets of an article is kept
    once); ``merge``'s name and aliases become aliases of ``keep``; its blank-in-``keep`` details
    are copied over; its page redirects to ``keep``'s (older redirects to it are re-pointed); then
    ``merge`` is deleted. Raises ``CurationError`` for a merge into itself, across kinds, or of an
    entity that was already merged.
    """
    if type(keep) is not type(merge):
        raise CurationError(
            f"Cannot merge a {merge.kind} (“{merge.name}”) into a {keep.kind} (“{keep.name}”): "
            "only entities of the same kind can be merged."
        )
    if keep.pk == merge.pk:
        raise CurationError(f"Cannot merge “{keep.name}” into itself: choose another entity.")
    model = type(keep)
    # Lock both rows so two curators merging the same pair cannot interleave.
    locked = {
        e.pk: e
        for e in model._default_manager.select_for_update().filter(pk__in=[keep.pk, merge.pk])
    }
    if merge.pk not in locked:
        _refuse_stale(merge, "merged")
    if keep.pk not in locked:
        _refuse_stale(keep, "kept")
    keep, merge = locked[keep.pk], locked[merge.pk]

    entity_snapshot = _serialize([merge])[0]
    moves = _move_rows(keep, merge)

    added_aliases = _merged_aliases(keep, merge)
    filled = _fill_blank_fields(keep, merge)
    keep.aliases = [*keep.aliases, *added_aliases]

    repointed = list(
        EntityRedirect.objects.filter(kind=model.kind, target_id=merge.pk).values_list(
            "pk", flat=True
        )
    )
    stale_redirects = list(EntityRedirect.objects.filter(kind=model.kind, old_slug=merge.slug))

    merged_repr = str(merge)
    merge.delete()
    keep.save()
    EntityRedirect.objects.filter(pk__in=repointed).update(target_id=keep.pk)
    EntityRedirect.objects.filter(pk__in=[r.pk for r in stale_redirects]).delete()

    record = MergeRecord.objects.create(
        kind=model.kind,
        kept_id=keep.pk,
        kept_name=keep.name,
        merged_id=entity_snapshot["pk"],
        merged_name=entity_snapshot["fields"]["name"],
        merged_slug=entity_snapshot["fields"]["slug"],
        merged_by=by if getattr(by, "pk", None) else None,
        snapshot={
            "entity": entity_snapshot,
            "added_aliases": added_aliases,
            "filled_fields": filled,
            "moved": moves["moved"],
            "deleted": moves["deleted"],
            "changed": moves["changed"],
            "repointed_redirects": repointed,
            "deleted_redirects": _serialize(stale_redirects),
        },
    )
    EntityRedirect.objects.create(
        kind=model.kind, old_slug=record.merged_slug, target_id=keep.pk, merge=record
    )
    moved_count = sum(len(m["ids"]) for m in moves["moved"])
    _log(
        by,
        [keep],
        CHANGE,
        f"Merged {model.kind} “{merged_repr}” (#{record.merged_id}) into this one: "
        f"{moved_count} rows moved, {len(moves['deleted'])} duplicates removed, "
        f"aliases added: {', '.join(added_aliases) or 'none'} (merge record #{record.pk}).",
    )
    merge.pk = record.merged_id  # delete() cleared it; the history entry needs the old id
    _log(
        by, [merge], DELETION, f"Merged into “{keep.name}” (#{keep.pk}), merge record #{record.pk}."
    )
    _log(by, [record], ADDITION, "Merge recorded.")
    return record


def _fk_targets_exist(obj: models.Model) -> bool:
    """Whether every row a restored row points at still exists (an article may have gone since)."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            value = getattr(obj, field.attname)
            if (
                value is not None
                and not field.related_model._default_manager.filter(pk=value).exists()
            ):
                return False
    return True


@transaction.atomic
def undo_merge(*, record: MergeRecord, by=None) -> None:
    """Undo a merge: recreate the merged entity with its id and slug and give it its rows back.

    Moved rows that still point at the kept entity move back, deleted duplicates are recreated,
    the aliases the merge added are removed from the kept entity, the merge's redirect is removed
    and re-pointed redirects point at the merged entity again. Raises ``CurationError`` if the
    merge was already undone, or if the kept entity or the merged slug are gone or taken since.
    """
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    if record.undone_at is not None:
        raise CurationError(
            f"The merge of “{record.merged_name}” into “{record.kept_name}” was already undone "
            f"on {record.undone_at:%Y-%m-%d %H:%M}."
        )
    model = ENTITY_MODELS[record.kind]
    keep = model._default_manager.select_for_update().filter(pk=record.kept_id).first()
    if keep is None:
        later = MergeRecord.objects.filter(
            kind=record.kind, merged_id=record.kept_id, undone_at__isnull=True
        ).first()
        hint = (
            f" Undo the merge of “{later.merged_name}” into “{later.kept_name}” first."
            if later
            else ""
        )
        raise CurationError(
            f"“{record.kept_name}” no longer exists, so this merge cannot be undone.{hint}"
        )
    if model._default_manager.filter(pk=record.merged_id).exists():
        raise CurationError(
            f"A {record.kind} with id {record.merged_id} exists again; nothing to undo."
        )
    if model._default_manager.filter(slug=record.merged_slug).exists():
        raise CurationError(
            f"The address “{record.merged_slug}” is used by another {record.kind} now; "
            "rename that one before undoing this merge."
        )
    snapshot = record.snapshot

    record.redirects.all().delete()
    for restored in serializers.deserialize("json", json.dumps([snapshot["entity"]])):
        restored.save()
    merged = model._default_manager.get(pk=record.merged_id)

    for move in snapshot["moved"]:
        rows_model = _model_for(move["model"])
        rows_model._default_manager.filter(pk__in=move["ids"], **{move["field"]: keep.pk}).update(
            **{move["field"]: merged.pk}
        )
    for restored in serializers.deserialize("json", json.dumps(snapshot["deleted"])):
        if (
            _fk_targets_exist(restored.object)
            and not type(restored.object)._default_manager.filter(pk=restored.object.pk).exists()
        ):
            restored.save()
    for change in snapshot["changed"]:
        _model_for(change["model"])._default_manager.filter(pk=change["id"]).update(
            status=change["status"]
        )

    added = set(snapshot["added_aliases"])
    keep.aliases = [a for a in keep.aliases if a not in added]
    fields = {f.attname: f for f in type(keep)._meta.concrete_fields}
    for attname in snapshot["filled_fields"]:
        if getattr(keep, attname) == getattr(merged, attname):
            setattr(keep, attname, None if fields[attname].null else "")
    keep.save()

    EntityRedirect.objects.filter(pk__in=snapshot["repointed_redirects"], target_id=keep.pk).update(
        target_id=merged.pk
    )
    for restored in serializers.deserialize("json", json.dumps(snapshot["deleted_redirects"])):
        if not EntityRedirect.objects.filter(
            kind=record.kind, old_slug=restored.object.old_slug
        ).exists():
            restored.save()

    record.undone_at = timezone.now()
    record.save(update_fields=["undone_at"])
    _log(by, [merged], ADDITION, f"Restored by undoing merge record #{record.pk}.")
    _log(
        by,
        [keep],
        CHANGE,
        f"Undid the merge of “{merged.name}” (#{merged.pk}) into this one "
        f"(merge record #{record.pk}).",
    )
    _log(by, [record], CHANGE, "Merge undone.")


def _model_for(label: str):
    from django.apps import apps

    return apps.get_model(label)


# --- mentions ---------------------------------------------------------------------------------


def _set_status(qs, status: str, by, message: str) -> int:
    rows = list(qs.exclude(status=status))
    if not rows:
        return 0
    qs.model._default_manager.filter(pk__in=[r.pk for r in rows]).update(status=status)
    _log(by, rows, CHANGE, message)
    return len(rows)


@transaction.atomic
def confirm_mentions(qs, *, by=None) -> int:
    """Mark the mentions in ``qs`` (one mention model) confirmed; return how many changed."""
    return _set_status(qs, MentionStatus.CONFIRMED, by, "Confirmed the mention.")


@transaction.atomic
def reject_mentions(qs, *, by=None) -> int:
    """Mark the mentions in ``qs`` (one mention model) rejected; return how many changed."""
    return _set_status(qs, MentionStatus.REJECTED, by, "Rejected the mention.")


@transaction.atomic
def reject_everywhere(*, kind: str, surface: str, by=None) -> tuple[RejectedSurface, int]:
    """Never suggest ``surface`` as a ``kind`` again, and reject its current suggestions.

    Creates (or reuses) the ``RejectedSurface`` for the surface's normalised key, which extraction
    consults, and rejects every suggested mention of that kind whose surface has the same key.
    Confirmed mentions are a curator's decision and stay. Returns the rejection and how many
    mentions it rejected.
    """
    if kind not in MENTION_MODELS:
        raise CurationError(f"Unknown kind of entity: “{kind}”.")
    key = name_key(surface)
    if not key:
        raise CurationError(f"“{surface}” has no letters or digits to match on.")
    rejection, created = RejectedSurface.objects.get_or_create(
        kind=kind,
        key=key,
        defaults={
            "surface": surface.strip(),
            "created_by": by if getattr(by, "pk", None) else None,
        },
    )
    if created:
        _log(by, [rejection], ADDITION, f"Rejected “{surface}” everywhere as a {kind}.")
    mention_model = MENTION_MODELS[kind]
    suggested = mention_model._default_manager.filter(status=MentionStatus.SUGGESTED)
    ids = [
        pk
        for pk, text in suggested.values_list("pk", "surface").iterator()
        if name_key(text) == key
    ]
    count = _set_status(
        mention_model._default_manager.filter(pk__in=ids),
        MentionStatus.REJECTED,
        by,
        f"Rejected everywhere: “{surface}” is not a {kind}.",
    )
    return rejection, count


@transaction.atomic
def link_mention(*, mention: Mention, entity: Entity, by=None) -> Mention:
    """Attach ``mention`` to ``entity`` (same kind) as a confirmed, manual mention; return it.

    If ``entity`` already has a mention in the same place of the same article, that one is
    confirmed and ``mention`` is deleted, so the article never lists the entity twice there.
    """
    mention_model = type(mention)
    entity_model = mention_model._meta.get_field("entity").related_model
    if not isinstance(entity, entity_model):
        raise CurationError(
            f"A {entity_model.kind} mention (“{mention.surface}”) cannot be linked to "
            f"the {entity.kind} “{entity}”."
        )
    previous = mention.entity
    twin = (
        mention_model._default_manager.filter(
            entity=entity, article_id=mention.article_id, start=mention.start, end=mention.end
        )
        .exclude(pk=mention.pk)
        .first()
    )
    if twin is not None:
        twin.status = MentionStatus.CONFIRMED
        twin.save(update_fields=["status"])
        _log(by, [twin], CHANGE, f"Confirmed by linking “{mention.surface}” (was “{previous}”).")
        _log(by, [mention], DELETION, f"Linked to “{entity}”, which already had this mention.")
        mention.delete()
        return twin
    mention.entity = entity
    mention.status = MentionStatus.CONFIRMED
    mention.method = MentionMethod.MANUAL
    mention.save(update_fields=["entity", "status", "method"])
    _log(by, [mention], CHANGE, f"Linked to “{entity}” (#{entity.pk}); was “{previous}”.")
    return mention
