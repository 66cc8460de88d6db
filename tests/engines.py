"""Run the test suite on SQLite, then on PostgreSQL (``make test`` calls this).

PostgreSQL comes from DATABASE_URL when it names a PostgreSQL database, otherwise from a throwaway
cluster started from the installed server binaries. Without either, the PostgreSQL run is skipped
loudly — and under CI=true a skipped PostgreSQL run is a failure.

Extra arguments are passed to pytest (e.g. ``python tests/engines.py -k search``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pgcluster import find_binaries, throwaway_cluster  # noqa: E402


def banner(text: str) -> None:
    line = "=" * 78
    print(f"\n{line}\n{text}\n{line}", flush=True)


def run_pytest(label: str, database_url: str | None, args: list[str]) -> int:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env["NEWSARCHIVE_TEST_ENGINE"] = label
    banner(f"Test suite on {label}")
    code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
    if code == 5:  # pytest: no tests collected
        print(f"No tests ran on {label}.", flush=True)
        return 1
    return code


def main(args: list[str]) -> int:
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    results = {"SQLite": run_pytest("SQLite", None, args)}

    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        results["PostgreSQL"] = run_pytest("PostgreSQL", given, args)
    elif find_binaries() is not None:
        with throwaway_cluster() as cluster:
            results["PostgreSQL"] = run_pytest("PostgreSQL", cluster.url, args)
    else:
        banner(
            "!!! PostgreSQL run SKIPPED: no DATABASE_URL and no PostgreSQL server binaries.\n"
            "!!! Install PostgreSQL or set DATABASE_URL=postgres://… to test the second engine."
        )
        results["PostgreSQL"] = 1 if ci else 0
        if ci:
            print("CI=true: a skipped PostgreSQL run is a failure.", flush=True)

    banner(
        "Engines: "
        + ", ".join(f"{k} {'passed' if v == 0 else 'FAILED'}" for k, v in results.items())
    )
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
