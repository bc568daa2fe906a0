"""`make bench`: serve the forum and a hello app under the same gunicorn settings, drive both
with wrk over loopback, and print req/s, p50, p99 and the ratio to hello for each page, on SQLite
and PostgreSQL, plus SQL statements per page, comment posting throughput and worker memory.

Traffic goes to 127.0.0.1 only; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
import dataset  # noqa: E402

GUNICORN = [
    str(BIN / "gunicorn"),
    "-w",
    "4",
    "-k",
    "sync",
    "--log-level",
    "warning",
    "--backlog",
    "2048",
    "--timeout",
    "60",
]
PG_SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://127.0.0.1:5432/test")
#: the database the run creates (and drops first): another name lets two runs share the server
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "forum_bench")
PASSWORD = "bench password 123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk")


class Server:
    """A gunicorn process serving ``target`` on a free loopback port."""

    def __init__(self, target: str, env: dict):
        self.port = free_port()
        # the app's access log (one line a request) goes to a file, not between the figures
        self.log = tempfile.NamedTemporaryFile(prefix="forum-bench-server-", suffix=".log")
        self.proc = subprocess.Popen(
            GUNICORN + ["--bind", f"127.0.0.1:{self.port}", target],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.log.seek(0)
            raise RuntimeError(f"{target} did not start: {self.log.read()[-2000:].decode()}")
        time.sleep(1.0)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_rss_mb(self) -> list[float]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        sizes = []
        for pid in out.split():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def wrk(
    binary: str, url: str, seconds: int, cookie: str | None = None, script: str | None = None
) -> dict:
    cmd = [binary, "-t2", "-c16", f"-d{seconds}s", "--latency", "--timeout", "10s", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    if script:
        cmd[1:1] = ["-s", str(ROOT / "bench" / script)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50": pct(50),
        "p99": pct(99),
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def flask_cmd(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare_database(kind: str, workdir: Path) -> dict:
    """A fresh database with migrations and the imported data set; returns the environment."""
    env = dict(
        os.environ,
        FLASK_APP="forum",
        FORUM_INSTANCE_PATH=str(workdir / "instance"),
        FORUM_RATELIMIT="0",
        PYTHONUNBUFFERED="1",
        # one secret and one key folder for every process (PostgreSQL requires them)
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        FORUM_KEYS_DIR=str(workdir / "instance"),
    )
    env.pop("FLASK_DEBUG", None)
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    if kind == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url

        admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname=:name"
                ),
                {"name": PG_DATABASE},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{PG_DATABASE}"'))
        admin.dispose()
        env["DATABASE_URL"] = (
            make_url(PG_SERVER).set(database=PG_DATABASE).render_as_string(hide_password=False)
        )
    flask_cmd(env, "db", "upgrade", "heads")
    data = workdir / "dataset.json"
    if not data.exists():
        data.write_text(json.dumps(dataset.build()))
    started = time.time()
    flask_cmd(env, "forum", "import", str(data))
    print(f"  [{kind}] imported data set in {time.time() - started:.1f} s", flush=True)
    help_text = flask_cmd(env, "forum", "--help")
    if "reindex" in help_text:
        started = time.time()
        flask_cmd(env, "forum", "reindex")
        print(f"  [{kind}] reindexed in {time.time() - started:.1f} s", flush=True)
    for i in range(17):  # bench_user_0 is the admin (2FA due); 1..16 are the posting members
        subprocess.run(
            [
                str(BIN / "flask"),
                "forum",
                "create-admin" if i == 0 else "create-member",
                "--username",
                f"bench_user_{i}",
                "--email",
                f"bench{i}@example.org",
                "--password",
                PASSWORD,
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
        )
    return env


def login(server: Server, username: str) -> tuple[str, str]:
    """Log in through the real form; returns (cookie header, csrf token)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    body = urlencode(
        {"csrf_token": token.group(1) if token else "", "username": username, "password": PASSWORD}
    )
    conn.request(
        "POST",
        "/login",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    cookies = dict(
        c.split(";", 1)[0].split("=", 1) for c in response.headers.get_all("Set-Cookie") or []
    )
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items()) or cookie
    conn.request("GET", "/c/bench-small", headers={"Cookie": cookie})
    response = conn.getresponse()
    page = response.read().decode()
    # the form's CSRF token is stored in the session the first time it is made: keep that cookie
    cookies.update(
        dict(c.split(";", 1)[0].split("=", 1) for c in response.headers.get_all("Set-Cookie") or [])
    )
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items()) or cookie
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    conn.close()
    return cookie, token.group(1) if token else ""


def post_comments(server: Server, env: dict, clients: int = 16, seconds: int = 8) -> dict:
    """16 concurrent logged-in clients post comments as fast as they can for ``seconds``."""
    sessions = [login(server, f"bench_user_{i + 1}") for i in range(clients)]
    ok, failed, statuses = [0] * clients, [0] * clients, {}
    lock = threading.Lock()
    stop_at = 0.0  # (set once the count before is taken: it starts a process, seconds long)

    def worker(i: int) -> None:
        cookie, token = sessions[i]
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        n = 0
        while time.time() < stop_at:
            n += 1
            body = urlencode(
                {
                    "csrf_token": token,
                    "body": f"Bench comment {i}-{n} about trust.",
                    "body_format": "markdown",
                }
            )
            try:
                conn.request(
                    "POST",
                    "/c/bench-small/comments",
                    body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                )
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            if status in (200, 201, 302, 303):
                ok[i] += 1
            else:
                failed[i] += 1
        conn.close()

    before = count_comments(env)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.time()
    stop_at = started + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - started
    stored = count_comments(env) - before
    return {
        "per_second": sum(ok) / elapsed,
        "ok": sum(ok),
        "failed": sum(failed),
        "stored": stored,
        "statuses": statuses,
    }


def sql_in_app(env: dict, statement: str, params: dict | None = None) -> str:
    """Run one SQL statement through the app's own database set-up in a fresh process (the bench
    never opens the database itself); commits, and returns what it printed (a scalar, if any)."""
    code = (
        "import json, sys\nimport sqlalchemy as sa\nfrom forum import create_app\nfrom forum.extensions import db\n"
        "with create_app().app_context():\n"
        "    result = db.session.execute(sa.text(sys.argv[1]), json.loads(sys.argv[2]))\n"
        "    print(result.scalar() if result.returns_rows else '')\n"
        "    db.session.commit()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, statement, json.dumps(params or {})],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def trust_posting_members(env: dict) -> None:
    """What a moderator's "trust" does (without the audit entry): their comments skip review."""
    sql_in_app(
        env,
        "UPDATE users SET trusted_override = :t WHERE username LIKE 'bench_user_%'",
        {"t": True},
    )


def count_comments(env: dict) -> int:
    return int(sql_in_app(env, "SELECT count(*) FROM comments"))


def statements_per_page(env: dict, paths: dict[str, str]) -> dict:
    """SQL statements each page runs, anonymous and logged in (in-process, same database)."""
    code = f"""
import json, sqlalchemy as sa
from forum import create_app
from forum.extensions import db
app = create_app({{"RATELIMIT_ENABLED": False}})
paths = json.loads({json.dumps(json.dumps(paths))})
out = {{}}
with app.app_context():
    engine = db.engine
    counter = []
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")  # transaction control, not queries
    sa.event.listen(engine, "before_cursor_execute",
                    lambda conn, cur, statement, *a: None if statement.lstrip().upper().startswith(control)
                    else counter.append(1))
    from forum.accounts.services import find_user
    user = find_user("bench_user_1")
    user_id = user.get_id() if user else None
for name, path in paths.items():
    for who in ("anonymous", "member"):
        client = app.test_client()
        if who == "member" and user_id:
            with client.session_transaction() as s:
                s["_user_id"] = user_id
                s["_fresh"] = True
        client.get(path)  # warm caches the way a running worker has them
        counter.clear()
        r = client.get(path)
        out[f"{{name}} ({{who}})"] = [len(counter), r.status_code]
print(json.dumps(out))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        return {"error": result.stderr[-500:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def redis_for_bench() -> str | None:
    """An emptied Redis database of its own (pages of an earlier run must never answer), or None."""
    url = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
    except Exception as error:  # no Redis here: the file store figures stand alone
        print(f"  (no Redis at {url}: {error}; skipping the Redis page-cache run)", flush=True)
        return None
    return url


def last_page(server: Server, slug: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", f"/c/{slug}")
    page = conn.getresponse().read().decode()
    conn.close()
    pages = [int(p) for p in re.findall(rf"/c/{slug}\?page=(\d+)", page)]
    return max(pages) if pages else 1


def selected(name: str, only: list[str] | None) -> bool:
    """Whether a row runs: every row without ``--only``, else those naming one of its words."""
    return not only or any(word in name for word in only)


def run_targets(
    kind: str,
    env: dict,
    wrk_bin: str,
    seconds: int,
    hello_rps: float,
    anonymous_only: bool = False,
    only: list[str] | None = None,
) -> list[dict]:
    server = Server("forum.wsgi:app", env)
    rows = []
    try:
        last = last_page(server, "bench-large")
        cookie, _token = login(server, "bench_user_1")
        targets = [
            ("home", "/", None),
            ("thread 20 p1 (anon)", "/c/bench-small", None),
            ("thread 100k p1 (anon)", "/c/bench-large", None),
            (f"thread 100k last p{last} (anon)", f"/c/bench-large?page={last}", None),
            ("thread 100k p1 (member)", "/c/bench-large", cookie),
            (f"thread 100k last p{last} (member)", f"/c/bench-large?page={last}", cookie),
            ("thread 1k p1 (member)", "/c/bench-medium", cookie),
            ("part permalink", "/c/bench-medium/part/2", None),
            ("part permalink (member)", "/c/bench-medium/part/2", cookie),
            ("search", "/search?q=trust+courage", None),
            ("search (member: never page-cached)", "/search?q=trust+courage", cookie),
            ("search (member, varied queries)", "/search", cookie, "varied_search.lua"),
            ("feed", "/feeds/c/bench-medium.atom", None),
            ("API listing", "/api/v1/characteristics/bench-medium/comments", None),
        ]
        if anonymous_only:
            targets = [t for t in targets if t[2] is None and "API" not in t[0]]
        targets = [t for t in targets if selected(t[0], only)]
        for name, path, cookie_value, *script in targets:
            script = script[0] if script else None
            wrk(
                wrk_bin, server.url(path), 1, cookie_value, script
            )  # warm-up: templates compiled, caches filled
            result = wrk(wrk_bin, server.url(path), seconds, cookie_value, script)
            result.update(name=name, path=path, ratio=result["rps"] / hello_rps if hello_rps else 0)
            rows.append(result)
            print(
                f"  [{kind}] {name:34s} {result['rps']:8.1f} req/s  p50 {result['p50']:7.2f} ms  "
                f"p99 {result['p99']:7.2f} ms  {100 * result['ratio']:5.1f}% of hello"
                + (f"  non-2xx {result['non2xx']}" if result["non2xx"] else ""),
                flush=True,
            )
        if anonymous_only:
            return rows
        if selected("posting", only):
            rows.extend(run_posting(kind, server, env))
        rss = server.worker_rss_mb()
        print(f"  [{kind}] worker memory: " + ", ".join(f"{m:.0f} MB" for m in rss), flush=True)
        rows.append({"name": "worker_rss_mb", "values": rss})
    finally:
        server.stop()
    if selected("statements", only):
        rows.append(print_statements(kind, env, last))
    return rows


def run_posting(kind: str, server: Server, env: dict) -> list[dict]:
    """Posting from 16 clients, as members waiting for review, then as trusted members."""
    rows = []
    for name, label in (
        ("posting", "posting comments"),
        ("posting (trusted)", "posting comments, trusted"),
    ):
        if rows:  # now each comment is published at once: indexed, notified, cache bumped
            trust_posting_members(env)
        posting = post_comments(server, env)
        print(
            f"  [{kind}] {label} (16 clients): {posting['per_second']:.1f}/s, ok {posting['ok']}, "
            f"failed {posting['failed']}, stored {posting['stored']}, statuses {posting['statuses']}",
            flush=True,
        )
        rows.append({"name": name, **posting})
    return rows


def print_statements(kind: str, env: dict, last: int) -> dict:
    counts = statements_per_page(
        env,
        {
            "home": "/",
            "thread p1": "/c/bench-large",
            "thread last": f"/c/bench-large?page={last}",
            "part": "/c/bench-medium/part/2",
            "search": "/search?q=trust",
            "feed": "/feeds/c/bench-medium.atom",
        },
    )
    for name, (n, status) in sorted(counts.items()) if "error" not in counts else []:
        print(f"  [{kind}] SQL statements {name:24s} {n:3d}  (HTTP {status})", flush=True)
    if "error" in counts:
        print(f"  [{kind}] SQL statement count failed: {counts['error']}")
    return {"name": "sql_statements", "values": counts}


def measure_hello(wrk_bin: str, seconds: int) -> dict:
    """The one-route hello app under the same gunicorn settings and the same warm-up."""
    hello = Server("bench.hello:app", dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        wrk(wrk_bin, hello.url("/"), 1)
        result = wrk(wrk_bin, hello.url("/"), seconds)
    finally:
        hello.stop()
    print(
        f"hello app: {result['rps']:.1f} req/s  p50 {result['p50']:.2f} ms  p99 {result['p99']:.2f} ms",
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per target")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--only",
        help="run only the rows whose name contains one of these comma-separated words "
        "(e.g. 'member,posting,statements'; hello always runs)",
    )
    parser.add_argument("--no-redis", action="store_true", help="skip the PostgreSQL + Redis pass")
    args = parser.parse_args()
    only = [word for word in (args.only or "").split(",") if word] or None
    wrk_bin = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="forum-bench-"))
    results = {}
    try:
        results["hello"] = {}
        for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
            print(f"== {kind} ==", flush=True)
            kind_dir = workdir / kind
            kind_dir.mkdir()
            shutil.copy(workdir / "dataset.json", kind_dir) if (
                workdir / "dataset.json"
            ).exists() else None
            env = prepare_database(kind, kind_dir)
            # the ceiling, measured again just before each database's targets: on a shared machine
            # the speed drifts, and a ratio should compare figures taken minutes apart, not an hour
            hello_result = results["hello"][kind] = measure_hello(wrk_bin, args.seconds)
            results[kind] = run_targets(
                kind, env, wrk_bin, args.seconds, hello_result["rps"], only=only
            )
            redis_url = None if args.no_redis else redis_for_bench()
            if kind == "postgres" and redis_url:
                # the bigger deployment: PostgreSQL with Redis holding the page cache and its version
                print("== postgres + redis (page cache in Redis; anonymous pages) ==", flush=True)
                hello_result = results["hello"]["postgres+redis"] = measure_hello(
                    wrk_bin, args.seconds
                )
                results["postgres+redis"] = run_targets(
                    "postgres+redis",
                    dict(env, REDIS_URL=redis_url),
                    wrk_bin,
                    args.seconds,
                    hello_result["rps"],
                    anonymous_only=True,
                    only=only,
                )
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "latest.json").write_text(json.dumps(results, indent=2, default=str))
        print(f"figures saved in {out / 'latest.json'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
