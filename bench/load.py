"""Load test: a mix of search, article, entity and compare requests against a production-style server.

    python bench/load.py                                   # 100k articles on PostgreSQL
    python bench/load.py --articles 20000 --duration 10    # smaller archive, shorter levels
    python bench/load.py --engine sqlite --reuse           # keep the archive of the last run

Builds a generated archive (bench/ingest.py's articles, with their authors as confirmed person
mentions so entity pages have work to do), collects static files with the whitenoise manifest, and
starts gunicorn on 127.0.0.1 as ``make serve`` does (RATE_LIMIT_SEARCH=0: the limiter would
otherwise count our own load as abuse), with the page cache on as in production (``--page-cache
0`` renders every page; the last column says how many answers came from the cache), and the
per-article memos (articles/memo.py; ``HIT_MEMO=0 COMPARE_MEMO=0`` turns them off). Then, at
each concurrency level in turn, that many clients send requests back to back for a fixed time:
45% search (words, phrases, OR, exclusions, a JSON page now and then), 30% article pages, 15%
person and outlet pages, 10% comparisons of two articles. For each level it prints requests/s,
latency p50 / p95 / p99 and the error count (any answer but 200, or no answer). Everything stops
by itself; the server is shut down at the end.

By default Python threads send the requests, one per client; they also give latency by kind of
page, and the last line of each level says how much of the cores they used themselves (measured:
0.02-0.12 of one core, so they are not what limits the figures). ``--client wrk`` sends the same
mix with wrk instead (Debian package ``wrk``, ``make bench-deps``), a C program on epoll whose Lua
script replays 50,000 request paths drawn from the mix; its figures match the threads' ones.
Targets (2 cores, 100k articles): zero errors, >= 300 requests/s, p95 < 100 ms at 32 clients.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import ROOT, production_env  # noqa: E402

MIX = (("search", 45), ("article", 30), ("entity", 15), ("compare", 10))
SEARCH_WORDS = (
    "bridge road minister talks trade economy energy troops election court police company bank "
    "inflation workers hospital climate flood railway airport summit agreement border parliament"
).split()


# --- Building the archive (runs in a child process: Django settings are fixed per process) ----


def build(engine: str, count: int, plan: Path) -> None:
    """Create a fresh archive of ``count`` generated articles; write the request plan to ``plan``."""
    from _setup import database
    from ingest import generate

    with database(engine, f"load_{count}") as url:
        from articles.ingest.pipeline import Resolver, store_articles
        from articles.models import Article, Outlet, Person, PersonMention

        began, resolver, batch = time.perf_counter(), Resolver(), []
        for raw in generate(count):
            batch.append(raw)
            if len(batch) == 1000:
                store_articles(batch, resolver=resolver)
                batch = []
        store_articles(batch, resolver=resolver)
        links = Article.authors.through.objects.select_related("person")
        PersonMention.objects.bulk_create(
            [
                PersonMention(
                    article_id=link.article_id,
                    entity_id=link.person_id,
                    surface=link.person.name,
                    status="confirmed",
                    method="metadata",
                )
                for link in links.iterator(chunk_size=5000)
            ],
            batch_size=5000,
        )
        stored = Article.objects.count()
        from articles.ingest.bulk import refresh_statistics

        refresh_statistics(stored)  # as load_articles does after a large load
        print(f"built {stored:,} articles in {time.perf_counter() - began:.0f} s ({engine})")
        rng = random.Random(1)
        ids = list(Article.objects.values_list("id", "slug"))
        sample = rng.sample(ids, min(5000, len(ids)))
        plan.write_text(
            json.dumps(
                {
                    "url": url,
                    "articles": sample,
                    "people": list(Person.objects.values_list("slug", flat=True)),
                    "outlets": list(Outlet.objects.values_list("slug", flat=True)),
                }
            )
        )


# --- Serving ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, port: int, workers: int, page_cache: int) -> subprocess.Popen:
    # One page cache for all workers, as make serve has (CACHE_URL overrides); emptied so no run
    # starts warm.
    pages = ROOT / "var" / "bench" / "load-page-cache"
    shutil.rmtree(pages, ignore_errors=True)
    env = {
        **production_env(dict(os.environ)),
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "1",
        "RATE_LIMIT_SEARCH": "0",
        "LOG_LEVEL": "ERROR",
        "PAGE_CACHE_SECONDS": str(page_cache),
        "CACHE_URL": os.environ.get("CACHE_URL") or f"file://{pages}",
    }
    env.pop("SECURE_PROXY", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "newsarchive.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "60"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            status, *_ = fetch(port, "/")
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before serving")
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 90 s")


def fetch(port: int, path: str) -> tuple[int, int, bool]:
    """GET ``path``; (status, body bytes, served from the page cache). A new connection per
    request, as gunicorn's sync workers close each one."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body), response.getheader("X-Page-Cache") == "hit"
    finally:
        conn.close()


# --- The mix ----------------------------------------------------------------------------------


class Picker:
    """Chooses from a list: every item alike (``uniform``), or as web traffic does (``zipf``):
    the item of rank r in proportion to 1/r, so a few pages get most of the requests."""

    def __init__(self, popularity: str):
        self.popularity = popularity
        self.weights: dict[int, list[float]] = {}

    def __call__(self, rng: random.Random, items: list):
        if self.popularity == "uniform":
            return rng.choice(items)
        n = len(items)
        if n not in self.weights:
            self.weights[n] = list(itertools.accumulate(1 / rank for rank in range(1, n + 1)))
        return rng.choices(items, cum_weights=self.weights[n])[0]


def make_request(rng: random.Random, plan: dict, pick: Picker) -> tuple[str, str]:
    """One request of the mix: (kind, path)."""
    kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
    if kind == "search":
        a = pick(rng, SEARCH_WORDS)
        b = pick(rng, [w for w in SEARCH_WORDS if w != a])
        q = pick(rng, [a, f"{a} {b}", f'"{a} {b}"', f"{a} OR {b}", f"{a} -{b}", f"{a[:4]}*"])
        extra = pick(rng, ["", "", "", "&page=2", "&format=json", "&sort=newest"])
        return kind, f"/search/?q={quote_plus(q)}{extra}"
    if kind == "article":
        pk, slug = pick(rng, plan["articles"])
        return kind, f"/articles/{pk}/{slug or 'article'}/"
    if kind == "entity":
        if plan["outlets"] and rng.random() < 0.3:
            return kind, f"/outlets/{pick(rng, plan['outlets'])}/"
        return kind, f"/people/{pick(rng, plan['people'])}/"
    (a, _), (b, _) = pick(rng, plan["articles"]), pick(rng, plan["articles"])
    while b == a:
        b, _ = rng.choice(plan["articles"])
    return kind, f"/compare/?ids={a},{b}"


def run_level(port: int, plan: dict, clients: int, duration: float, pick: Picker) -> dict:
    """``clients`` threads sending the mix back to back for ``duration`` seconds."""
    results: list[tuple[str, float, bool, bool]] = []
    failures: Counter[str] = Counter()
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def client(seed: int) -> None:
        rng, mine = random.Random(seed), []
        while time.perf_counter() < stop_at:
            kind, path = make_request(rng, plan, pick)
            began = time.perf_counter()
            hit = False
            try:
                status, _, hit = fetch(port, path)
                ok = status == 200
                reason = f"HTTP {status} {path}"
            except OSError as error:
                ok, reason = False, f"{type(error).__name__} {path}"
            mine.append((kind, time.perf_counter() - began, ok, hit))
            if not ok:
                with lock:
                    failures[reason] += 1
        with lock:
            results.extend(mine)

    began, cpu = time.perf_counter(), time.process_time()
    threads = [threading.Thread(target=client, args=(clients * 1000 + i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {
        "clients": clients,
        "elapsed": elapsed,
        "results": results,
        "failures": failures,
        "client_cpu": (time.process_time() - cpu) / elapsed,  # cores the load generator used
    }


# wrk's Lua script: each thread replays the drawn paths from its own offset, counts non-200
# answers and page-cache hits, and done() prints the totals and percentiles as one JSON line.
WRK_SCRIPT = r"""
local paths, n, i = {}, 0, 0
local threads = {}
bad, hits = 0, 0

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do n = n + 1; paths[n] = line end
  i = (offset * 9973) % n
end

function request()
  i = i % n + 1
  return wrk.format("GET", paths[i], {["Accept-Encoding"] = "gzip"})
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
end

function done(summary, latency, requests)
  local b, h = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("bad"); h = h + t:get("hits") end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "non200": %d, ' ..
    '"hits": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, b, h,
    e.connect, e.read, e.write, e.timeout))
end
"""


def run_level_wrk(port: int, plan: dict, clients: int, duration: float, pick: Picker) -> dict:
    """``clients`` wrk connections sending the mix back to back for ``duration`` seconds."""
    folder = ROOT / "var" / "bench"
    script, paths = folder / "load-wrk.lua", folder / "load-wrk-paths.txt"
    script.write_text(WRK_SCRIPT)
    rng = random.Random(clients)
    paths.write_text("\n".join(make_request(rng, plan, pick)[1] for _ in range(50_000)) + "\n")
    before = os.times()
    finished = subprocess.run(
        ["wrk", "--threads", str(min(2, clients)), "--connections", str(clients),
         "--duration", f"{duration:g}s", "--timeout", "30s", "--script", str(script),
         f"http://127.0.0.1:{port}/", "--", str(paths)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    after = os.times()
    line = next(x for x in finished.stdout.splitlines() if x.startswith("WRK "))
    data = json.loads(line[4:])
    failures: Counter[str] = Counter()
    if data["non200"]:
        failures["answers other than 200"] = data["non200"]
    for kind in ("connect", "read", "write", "timeout"):
        if data[kind]:
            failures[f"socket {kind} errors"] = data[kind]
    seconds = data["seconds"]
    return {
        "clients": clients,
        "requests": data["requests"],
        "rps": data["requests"] / seconds,
        "p50": data["p50"],
        "p95": data["p95"],
        "p99": data["p99"],
        "errors": sum(failures.values()),
        "hits": data["hits"] / max(data["requests"], 1),
        "failures": failures,
        "client_cpu": (
            after.children_user + after.children_system
            - before.children_user - before.children_system
        ) / seconds,
    }  # fmt: skip


def worker_memory(master: int) -> str:
    """The private resident memory (RssAnon: not the SQLite file they all map) of gunicorn's
    worker processes, the children of ``master``: each keeps its own per-article memos."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:  # the parent's pid is the stat line's fourth field
                status = (stat.parent / "status").read_text()
                sizes.append(int(status.split("RssAnon:")[1].split()[0]) / 1024)
        except (OSError, IndexError, ValueError):
            continue
    return ", ".join(f"{mb:.0f} MB" for mb in sorted(sizes)) or "unknown"


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def summarise(level: dict) -> dict:
    """The figures of a level the Python threads ran, as run_level_wrk gives them."""
    results = level["results"]
    latencies = [seconds * 1000 for _, seconds, *_ in results]
    return {
        **level,
        "requests": len(results),
        "rps": len(results) / level["elapsed"],
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "errors": sum(1 for _, _, ok, _ in results if not ok),
        "hits": sum(1 for *_, hit in results if hit) / max(len(results), 1),
    }


def report(row: dict) -> dict:
    print(
        f"{row['clients']:>7} {row['requests']:>9,} {row['rps']:>8.1f} {row['p50']:>8.1f} "
        f"{row['p95']:>8.1f} {row['p99']:>8.1f} {row['errors']:>7} {row['hits']:>9.0%}"
    )
    if "results" in row:
        by_kind = defaultdict(list)
        for kind, seconds, *_ in row["results"]:
            by_kind[kind].append(seconds * 1000)
        print(
            "          by kind, p50/p95 ms: "
            + ", ".join(
                f"{kind} {percentile(v, 50):.0f}/{percentile(v, 95):.0f} (n={len(v)})"
                for kind, v in sorted(by_kind.items())
            )
        )
    print(f"          the load generator itself used {row['client_cpu']:.2f} of the cores")
    for reason, count in row["failures"].most_common(5):
        print(f"          error x{count}: {reason}")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="archive size to generate")
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--levels", default="1,8,32", help="concurrent clients, comma-separated")
    parser.add_argument("--duration", type=float, default=15, help="seconds per level")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the archive a previous run built, if any"
    )
    parser.add_argument(
        "--popularity",
        choices=["uniform", "zipf"],
        default="uniform",
        help="how requests choose among pages: uniform (the worst case for any cache) or zipf",
    )
    parser.add_argument(
        "--page-cache",
        type=int,
        default=300,
        help="PAGE_CACHE_SECONDS for the server (300, as in production; 0: every page rendered)",
    )
    parser.add_argument(
        "--client",
        choices=["wrk", "threads"],
        default="threads",
        help="who sends the requests: Python threads (default) or wrk (make bench-deps)",
    )
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client == "wrk" and not shutil.which("wrk"):
        sys.exit("--client wrk needs wrk on the PATH: `make bench-deps` installs it (Debian's wrk)")

    plan_path = ROOT / "var" / "bench" / f"load-{args.engine}-{args.articles}.json"
    if args.build:
        build(args.engine, args.articles, plan_path)
        return
    if not (args.reuse and plan_path.exists()):
        plan_path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, __file__, "--build", "--engine", args.engine,
             "--articles", str(args.articles)],
            check=True,
        )  # fmt: skip
    plan = json.loads(plan_path.read_text())
    port = free_port()
    server = start_server(plan["url"], port, args.workers, args.page_cache)
    try:
        warm, pick = random.Random(0), Picker(args.popularity)
        for _ in range(30):  # first requests open connections and fill caches
            fetch(port, make_request(warm, plan, pick)[1])
        print(
            f"\n{args.articles:,} articles on {args.engine}; gunicorn --workers {args.workers} "
            f"on 127.0.0.1:{port}; page cache {args.page_cache} s; {args.popularity} popularity;"
            f" {args.duration:g} s per level; clients: {args.client};"
            " mix: " + ", ".join(f"{k} {w}%" for k, w in MIX)
        )
        print(f"{'clients':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'p99 ms':>8} {'errors':>7} {'cache hits':>10}")  # fmt: skip
        rows = []
        for level in map(int, args.levels.split(",")):
            if args.client == "wrk":
                row = run_level_wrk(port, plan, level, args.duration, pick)
            else:
                row = summarise(run_level(port, plan, level, args.duration, pick))
            rows.append(report(row))
        print(f"the workers' own memory at the end (RssAnon): {worker_memory(server.pid)}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    top = rows[-1]
    verdict = (
        f"errors {sum(r['errors'] for r in rows)} (target 0); "
        f"{top['rps']:.0f} req/s at {top['clients']} clients (target >= 300); "
        f"p95 {top['p95']:.0f} ms (target < 100)"
    )
    print("\nTargets: " + verdict)


if __name__ == "__main__":
    main()
