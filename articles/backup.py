"""Backups of the whole archive: SQLite's online backup API, or pg_dump / pg_restore."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, [*args, "--dbname", db["NAME"]]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")
    return path


def default_backup_path() -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    return Path(settings.BASE_DIR) / "var" / "backups" / f"newsarchive-{stamp}.{suffix}"


def backup(path: Path | None = None) -> Path:
    """Write a consistent copy of the database to ``path`` (default under var/backups/)."""
    path = Path(path or default_backup_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"Backups are not supported on {connection.vendor}.")
    return path


def restore(path: Path) -> None:
    """Replace the database's contents with the backup at ``path``."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file.")
    if connection.vendor == "sqlite":
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            source.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path}: not a SQLite backup ({exc}).") from exc
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        connection.close()  # pg_restore --clean needs our connection out of the way
        command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                   "--single-transaction", *args, str(path)]  # fmt: skip
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"Restores are not supported on {connection.vendor}.")
