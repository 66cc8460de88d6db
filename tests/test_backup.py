"""Backups: a round trip restores the archive exactly (counts and checksums), on both engines."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command

from articles.models import Article, Outlet, Person


def fingerprint() -> tuple:
    rows = Article.objects.order_by("id").values_list("id", "title", "content_hash", "body")
    digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return (
        Article.objects.count(),
        Person.objects.count(),
        Outlet.objects.count(),
        digest,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_round_trip(tmp_path, seed_paths):
    call_command("load_articles", *map(str, seed_paths), "--no-extract", verbosity=0)
    before = fingerprint()
    assert before[0] == 5

    path = tmp_path / "archive.bak"
    call_command("backup_archive", "--output", str(path), verbosity=0)
    assert path.stat().st_size > 0

    Article.objects.filter(title__startswith="Russia").delete()
    Person.objects.all().delete()
    assert fingerprint() != before

    call_command("restore_archive", str(path), verbosity=0)
    assert fingerprint() == before


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    from django.core.management import CommandError

    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    with pytest.raises(CommandError):
        call_command("restore_archive", str(bogus), verbosity=0)
    with pytest.raises(CommandError, match="no such backup"):
        call_command("restore_archive", str(tmp_path / "missing.bak"), verbosity=0)
