"""Instructions per request, counted by callgrind: an A/B that the host's noise cannot move.

    python bench/instructions.py                        # 60 requests of the load mix, by kind
    python bench/instructions.py --requests 200 --engine sqlite --articles 100000

Wall-clock figures on the shared 2-core host move by a third between runs of the same code (its
neighbours, and memory the host pages out while idle), so a change worth 3 % cannot be seen in
them. Valgrind's callgrind counts the instructions the CPU runs instead: the same code, data and
requests give the same count to within 0.1 % whatever else the machine does.

It replays ``bench/load.py``'s request mix (same seed, Zipf popularity, page cache off so every
page is rendered, per-article memos off unless ``HIT_MEMO``/``COMPARE_MEMO`` are set) in-process
through Django's test client, against the archive ``load.py`` built (``load.py --engine sqlite
--articles N`` first; ``--reuse`` there keeps it). Twenty requests (``--warm``) warm the process
up uncounted; then each kind of request runs in turn while callgrind counts, and the figure
printed is instructions per request for each kind and for the mix. With the memos on, ``--warm
3000`` fills them as a worker's are filled in a load run (about four minutes under valgrind).
Run it on two checkouts of the code (``git worktree add``) to compare them. Needs valgrind
(``make bench-deps``). A run of 60 requests takes about two minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import ROOT  # noqa: E402

KINDS = ("search", "article", "entity", "compare")


def child(database_url: str, plan_file: Path, count: int, warm: int) -> None:
    """Runs under valgrind: warm up, then each kind's requests, pausing for the parent between."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    os.environ.update(PAGE_CACHE_SECONDS="0", RATE_LIMIT_SEARCH="0", LOG_LEVEL="ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import load
    from django.test import Client

    plan = json.loads(plan_file.read_text())
    rng, pick = random.Random(11), load.Picker("zipf")
    requests = [load.make_request(rng, plan, pick) for _ in range(count + warm)]
    client = Client()
    for _, path in requests[:warm]:
        client.get(path, HTTP_HOST="127.0.0.1")
    by_kind = defaultdict(list)
    for kind, path in requests[warm:]:
        by_kind[kind].append(path)
    for kind in KINDS:
        print(f"BEGIN {kind} {len(by_kind[kind])}", flush=True)
        sys.stdin.readline()
        for path in by_kind[kind]:
            status = client.get(path, HTTP_HOST="127.0.0.1").status_code
            if status != 200:
                sys.exit(f"HTTP {status} for {path}")
        print("END", flush=True)
        sys.stdin.readline()


def counted(dump: Path) -> int:
    """The instruction total of one callgrind dump file."""
    match = re.search(r"^(?:summary|totals): (\d+)", dump.read_text(errors="replace"), re.M)
    return int(match.group(1)) if match else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60, help="requests counted (the mix)")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--articles", type=int, default=100_000, help="the load.py archive")
    parser.add_argument(
        "--warm", type=int, default=20,
        help="uncounted requests first (with memos on, a few thousand fill them as a worker's are)",
    )  # fmt: skip
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    plan_file = ROOT / "var" / "bench" / f"load-{args.engine}-{args.articles}.json"
    if args.child:
        child(args.database_url, plan_file, args.requests, args.warm)
        return
    for tool in ("valgrind", "callgrind_control"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: `make bench-deps` installs valgrind (Debian's package)")
    if not plan_file.exists():
        sys.exit(f"no load archive ({plan_file.name}): run bench/load.py --engine {args.engine}"
                 f" --articles {args.articles} first")  # fmt: skip
    if args.engine == "sqlite":
        database_url = f"sqlite:///{ROOT / 'var' / 'bench' / f'load_{args.articles}.sqlite3'}"
    else:
        database_url = os.environ.get(
            "DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/na_load_{args.articles}"
        )
    folder = Path(tempfile.mkdtemp(prefix="callgrind-"))
    process = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no",
         f"--callgrind-out-file={folder / 'cg.out'}",
         sys.executable, __file__, "--child", "--requests", str(args.requests),
         "--warm", str(args.warm),
         "--engine", args.engine, "--articles", str(args.articles),
         "--database-url", database_url],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    control = ["callgrind_control", str(process.pid)]
    results: dict[str, tuple[int, int]] = {}
    kind, n = "", 0
    for line in process.stdout:
        if line.startswith("BEGIN "):
            _, kind, n = line.split()
            if not results:  # counting starts with the first kind; each dump resets it
                subprocess.run(
                    [control[0], "-i", "on", control[1]], check=True, capture_output=True
                )
        elif line.startswith("END"):
            subprocess.run([control[0], f"--dump={kind}", control[1]], check=True,
                           capture_output=True)  # fmt: skip
            newest = max(folder.glob("cg.out*"), key=lambda p: p.stat().st_mtime_ns)
            results[kind] = (int(n), counted(newest))
        else:
            continue
        process.stdin.write("go\n")
        process.stdin.flush()
    if process.wait() != 0 or len(results) != len(KINDS):
        sys.exit("the replay failed (run the child without valgrind to see why)")
    shutil.rmtree(folder, ignore_errors=True)
    total_n = sum(n for n, _ in results.values())
    total = sum(i for _, i in results.values())
    print(f"\n{args.requests} requests of the load mix on {args.engine}, {args.articles:,} articles;"
          f" page cache off, memos {'on' if os.environ.get('HIT_MEMO', '0') != '0' else 'off'};"
          " instructions (callgrind)")  # fmt: skip
    print(f"{'kind':>8} {'requests':>9} {'per request':>14}")
    for kind in KINDS:
        n, instructions = results[kind]
        print(f"{kind:>8} {n:>9} {instructions / max(n, 1):>14,.0f}")
    print(f"{'mix':>8} {total_n:>9} {total / max(total_n, 1):>14,.0f}")


if __name__ == "__main__":
    main()
