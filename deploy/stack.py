"""The whole production layout on one machine, on 127.0.0.1: `make stack` / `make stack-down`.

nginx (STACK_PORT, default 8080) balances two gunicorn app servers (the two ports after it),
serves static files and a 1 s micro-cache; a task worker (`manage.py db_worker`) runs the
queued jobs; a local S3 server (moto_server, the third port after it) keeps the media. The
machine's PostgreSQL and Redis hold the data, the cache, the sessions and the queue.

    python deploy/stack.py up      start whatever is not running (all of it the first time)
    python deploy/stack.py down    stop exactly the processes it started, by PID
    python deploy/stack.py status  which of them run

Everything it writes is under var/stack/: PID files, logs, the shared SECRET_KEY, the stack
editor's password, static files, the rendered error page, nginx's cache. The S3 server keeps
media in memory, so a start without it running also starts from a fresh database.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import nginx_conf  # deploy/nginx_conf.py, next to this file

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "stack"
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("STACK_PORT", "8080"))
APPS = {"app-1": PORT + 1, "app-2": PORT + 2}
S3_PORT = PORT + 3
BUCKET = "newsroom-media"
DATABASE_URL = os.environ.get(
    "STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_stack"
)
REDIS_URL = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/14")
# s3 (default): media in the local S3 server's bucket; local: in var/stack/media, served by nginx.
MEDIA = os.environ.get("STACK_MEDIA", "s3")
EDITOR = "stack-editor"
ORDER = ["s3", "app-1", "app-2", "worker", "nginx"]  # start order; stop in reverse


def say(message: str) -> None:
    print(f"stack: {message}", flush=True)


def run(*command: str, env: dict[str, str] | None = None, quiet: bool = False) -> None:
    """Run a setup command; stop the start with its output when it fails."""
    result = subprocess.run(  # noqa: S603 - fixed commands
        command, cwd=ROOT, env=env, capture_output=quiet, text=True, check=False
    )
    if result.returncode:
        if quiet:
            sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"stack: failed: {' '.join(command)}")


# --- processes and their PID files -----------------------------------------------------------


def pid_file(name: str) -> Path:
    return VAR / f"{name}.pid"


def running_pid(name: str) -> int | None:
    """The PID recorded for `name` if that process still runs (and is not a zombie)."""
    try:
        pid = int(pid_file(name).read_text())
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, ValueError, IndexError):
        return None
    return None if state in {"Z", "X"} else pid


def spawn(name: str, command: list[str], env: dict[str, str]) -> int:
    """Start `command` in its own process group, output to var/stack/<name>.log."""
    log = (VAR / f"{name}.log").open("ab")
    process = subprocess.Popen(  # noqa: S603 - our own fixed commands
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    pid_file(name).write_text(str(process.pid))
    return process.pid


def stop(name: str, sig: int = signal.SIGTERM, wait: float = 15) -> bool:
    """Stop the process group recorded for `name` (the group is the PID: start_new_session)."""
    pid = running_pid(name)
    if pid is None:
        pid_file(name).unlink(missing_ok=True)
        return False
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + wait
    while running_pid(name) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    if running_pid(name) is not None:
        os.killpg(pid, signal.SIGKILL)
    pid_file(name).unlink(missing_ok=True)
    return True


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - 127.0.0.1
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"stack: nothing answers at {url}; see the logs in var/stack/")


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


# --- the machine's services ------------------------------------------------------------------


def apt_install(*packages: str) -> None:
    say(f"installing {' '.join(packages)} (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env, quiet=True)
    run("apt-get", "install", "-y", "-qq", *packages, env=env, quiet=True)


def ensure_packages() -> None:
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        apt_install("nginx")


def ensure_services() -> None:
    """PostgreSQL and Redis on 127.0.0.1: start them when down (the way .ci/run does)."""
    ready = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False)  # noqa: S607
    if ready.returncode:
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        say(f"starting PostgreSQL {version}")
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start")
        (VAR / "postgresql.started").write_text(version)
        for _ in range(30):
            if not subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode:  # noqa: S607
                break
            time.sleep(1)
    if port_free(6379):
        say("starting Redis")
        command = ["redis-server", "--bind", "127.0.0.1", "--port", "6379", "--save", ""]
        spawn("redis", [*command, "--appendonly", "no"], dict(os.environ))
        for _ in range(50):
            if not port_free(6379):
                break
            time.sleep(0.1)


# --- the stack -------------------------------------------------------------------------------


def secret(name: str, length: int = 50) -> str:
    """A value generated once into var/stack/ and shared by every process of the stack."""
    path = VAR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(length))
        path.chmod(0o600)
    return path.read_text().strip()


def app_env(server_id: str = "") -> dict[str, str]:
    """The production settings every process of the stack shares (docs/deploy.md)."""
    base = f"http://127.0.0.1:{PORT}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secret("secret_key"),
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"{base},http://localhost:{PORT}",
        "SITE_URL": base,
        "TRUSTED_PROXY_COUNT": "1",
        "TASKS_BACKEND": "database",
        "LOG_FORMAT": "json",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
        "MEDIA_S3_ACCESS_KEY_ID": "stack",
        "MEDIA_S3_SECRET_ACCESS_KEY": "stack-secret",
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_DEFAULT_ACL": "public-read",
        # Readers get media through nginx (/media/ proxies to the bucket), like a CDN would.
        "MEDIA_S3_PUBLIC_URL": f"{base}/media",
    }
    if MEDIA == "local":
        s3 = [name for name in env if name.startswith("MEDIA_S3_")]
        for name in s3:
            del env[name]
        env.update(MEDIA_STORAGE="local", MEDIA_ROOT=str(VAR / "media"), SERVE_MEDIA="0")
    env.pop("CACHE_URL", None)
    if server_id:
        env["APP_SERVER_ID"] = server_id
    return env


def manage(*args: str, quiet: bool = True) -> None:
    run(str(BIN / "python"), "manage.py", *args, env=app_env("setup"), quiet=quiet)


def start_s3() -> None:
    moto = BIN / "moto_server"
    if not moto.exists():
        moto = Path(shutil.which("moto_server") or moto)
    spawn("s3", [str(moto), "-H", "127.0.0.1", "-p", str(S3_PORT)], dict(os.environ))
    wait_http(f"http://127.0.0.1:{S3_PORT}/")
    s3_client().create_bucket(Bucket=BUCKET)


def s3_client() -> Any:
    """A client of the stack's S3 server, with the keys the app servers use."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{S3_PORT}",
        aws_access_key_id="stack",
        aws_secret_access_key="stack-secret",  # noqa: S106 - a local test server's key
        region_name="us-east-1",
    )


def stored_media(name: str) -> bytes:
    """The bytes the stack keeps under a media name, wherever STACK_MEDIA puts them."""
    if MEDIA == "local":
        return (VAR / "media" / name).read_bytes()
    return s3_client().get_object(Bucket=BUCKET, Key=name)["Body"].read()


def fresh_database() -> None:
    """A new stack database and an empty stack cache: the media of the old one are gone."""
    import psycopg2
    import redis

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    redis.Redis.from_url(REDIS_URL).flushdb()
    shutil.rmtree(VAR / "media", ignore_errors=True)  # STACK_MEDIA=local: the old files
    say("migrating and loading the demo content")
    manage("migrate", "--noinput")
    manage("load_demo", "--count", os.environ.get("STACK_DEMO_COUNT", "30"), "--no-progress")
    manage("rebuild_search_index", "--no-progress")
    password = secret("editor_password", 18)
    code = (
        "from django.contrib.auth.models import Group, User;"
        f"u = User.objects.create_user({EDITOR!r}, password={password!r}, is_staff=True);"
        "u.groups.add(Group.objects.get(name='Editors'))"
    )
    manage("shell", "-c", code)


def prepare_files() -> None:
    """Static files, the error page nginx shows when no app server answers, nginx's config."""
    manage("check", "--deploy", "--fail-level", "WARNING")  # production settings, no warning
    manage("collectstatic", "--noinput")
    errors = VAR / "errors"
    manage("render_error_page", str(errors / "50x.html"))
    media = (
        {"alias": str(VAR / "media")}
        if MEDIA == "local"
        else {"proxy": f"http://127.0.0.1:{S3_PORT}/{BUCKET}/"}
    )
    nginx_conf.write(
        var=VAR,
        port=PORT,
        app_ports=list(APPS.values()),
        static_root=VAR / "static",
        errors=errors,
        media=media,
    )
    run("nginx", "-t", "-q", "-c", str(VAR / "nginx.conf"), quiet=True)


def start_app(name: str, port: int) -> None:
    access = '%(h)s %(t)s "%(r)s" %(s)s %(b)s rid=%({x-request-id}i)s'
    command = [
        str(BIN / "gunicorn"), "newsroom.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", os.environ.get("STACK_WORKERS", "2"), "--threads", "2",
        "--access-logfile", str(VAR / f"{name}.access.log"), "--access-logformat", access,
    ]  # fmt: skip
    spawn(name, command, app_env(name))


def up() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    missing = [name for name in ORDER if running_pid(name) is None]
    if not missing:
        say(f"already running on http://127.0.0.1:{PORT}/ (make stack-down stops it)")
        return
    ensure_packages()
    ensure_services()
    for name in missing:
        port = {"s3": S3_PORT, "nginx": PORT, **APPS}.get(name)
        if port and not port_free(port):
            raise SystemExit(f"stack: port {port} is taken by another program (STACK_PORT=...)")
    if "s3" in missing:
        say(f"starting the S3 server on 127.0.0.1:{S3_PORT}")
        start_s3()
        fresh_database()
        prepare_files()
    elif "nginx" in missing:
        prepare_files()
    for name, port in APPS.items():
        if name in missing:
            say(f"starting {name} on 127.0.0.1:{port}")
            start_app(name, port)
    if "worker" in missing:
        say("starting the task worker")
        spawn("worker", [str(BIN / "python"), "manage.py", "db_worker"], app_env("worker"))
    for name, port in APPS.items():
        if name in missing:
            wait_http(f"http://127.0.0.1:{port}/healthz")
    if "nginx" in missing:
        say(f"starting nginx on 127.0.0.1:{PORT}")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        spawn("nginx", [nginx, "-c", str(VAR / "nginx.conf"), "-g", "daemon off;"], {})
        wait_http(f"http://127.0.0.1:{PORT}/healthz")
    say(f"up: http://127.0.0.1:{PORT}/  editor: {EDITOR} / password in var/stack/editor_password")


def down() -> None:
    stopped = [name for name in reversed(ORDER) if stop(name)]
    if stop("redis"):
        stopped.append("redis")
    started_pg = VAR / "postgresql.started"
    if started_pg.exists():
        version = started_pg.read_text().strip()
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop")
        started_pg.unlink()
        stopped.append("postgresql")
    say(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


def anything_running() -> bool:
    """Whether some process of the stack runs (then a test leaves the stack up after it)."""
    return any(running_pid(name) for name in ORDER)


def status() -> int:
    states = {name: running_pid(name) for name in ORDER}
    for name, pid in states.items():
        print(f"{name:8} {'pid ' + str(pid) if pid else 'stopped'}")
    return 0 if all(states.values()) else 1


def main(argv: list[str]) -> int:
    action = argv[1] if len(argv) > 1 else "up"
    if action == "up":
        up()
    elif action == "down":
        down()
    elif action == "status":
        return status()
    elif action == "kill" and len(argv) > 2:  # a crash, for the stack test
        for name in argv[2:]:
            stop(name, signal.SIGKILL, wait=5)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
