"""Shared fixtures: isolated media, fast hashing, a clean cache, one user per role."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from newsroom import pagecache_local, roles

from .factories import make_user


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    pagecache_local.reset()
    # A test-client request leaves its language active in this thread: start every test
    # from the site's default (Arabic) and put it back afterwards.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture(autouse=True)
def _purges_at_once(request: Any, monkeypatch: Any) -> None:
    """Purge at once in tests run inside one never-committed transaction.

    Page cache purges wait for the commit, which such a test never reaches; tests marked
    `django_db(transaction=True)` commit for real and keep the after-commit purge.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return
    from newsroom import pagecache

    monkeypatch.setattr(pagecache, "_after_commit", lambda callback: callback())


@pytest.fixture
def journalist(db: Any) -> Any:
    return make_user(username="journalist", role=roles.JOURNALISTS)


@pytest.fixture
def other_journalist(db: Any) -> Any:
    return make_user(username="journalist2", role=roles.JOURNALISTS)


@pytest.fixture
def editor(db: Any) -> Any:
    return make_user(username="editor", role=roles.EDITORS)


@pytest.fixture
def moderator(db: Any) -> Any:
    return make_user(username="moderator", role=roles.MODERATORS)


@pytest.fixture
def site_owner(db: Any) -> Any:
    return make_user(username="owner", role=roles.SITE_OWNERS)


@pytest.fixture
def superuser(db: Any) -> Any:
    return make_user(username="root", is_superuser=True, is_staff=True)


# --- real local SMTP server (aiosmtpd) ---------------------------------------------------------


class _Inbox:
    """Collects what the local SMTP server received, as parsed email messages."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_from = envelope.mail_from  # type: ignore[attr-defined]
        message.envelope_to = list(envelope.rcpt_tos)  # type: ignore[attr-defined]
        self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings: Any) -> Any:
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it.

    Yields the controller; `smtp_server.inbox.messages` holds what arrived. Call
    `smtp_server.stop()` to simulate an outage and `smtp_server.start()` to bring it back.
    """
    import asyncio

    from aiosmtpd.controller import Controller

    class RestartableController(Controller):
        """aiosmtpd closes its event loop on stop(); a restart needs a fresh one."""

        def start(self) -> None:
            if self.loop.is_closed():
                self.loop = asyncio.new_event_loop()
            super().start()

    inbox = _Inbox()
    port = free_port()
    controller = RestartableController(inbox, hostname="127.0.0.1", port=port)
    controller.inbox = inbox  # type: ignore[attr-defined]
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield controller
    try:
        controller.stop()
    except AssertionError:
        pass  # already stopped by the test


@pytest.fixture
def smtp_down(settings: Any) -> int:
    """Django's SMTP backend pointed at a port where nothing listens (a mail outage)."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2
    return port


# --- data made by migrations survives transactional tests ---------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> None:
    """Make the serialized migration data reachable from every connection object.

    Django keeps it on the connection that created the test database. Starting Playwright
    switches the context that Django's per-context connection handler keys on, so browser
    tests (and the tests after them) get a new connection object without it, and their
    serialized rollback silently restores nothing. Keeping it on the connection's class
    (one class per database engine here) makes the restore work wherever it runs.
    """
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


def _keep_migration_data_in_transactional_tests(items: list[Any]) -> None:
    """Roles (groups) and contact subjects are made by data migrations.

    A transactional test (live server, real commits) ends with a flush that deletes them for
    every later test; serialized rollback restores them at the start of each such test.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        uses_live_db = {"live_server", "transactional_db"} & set(item.fixturenames)
        if not (kwargs.get("transaction") or uses_live_db):
            continue
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


# --- browser tests: Debian's chromium through Playwright ---------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's sync API runs an event loop in the test thread; Django's ORM must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    _keep_migration_data_in_transactional_tests(items)
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    skip = pytest.mark.skip(reason=f"browser tests need Debian's chromium at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Chromium sends Accept-Language: en-US by default; readers and editors here read Arabic.
    return {**browser_context_args, "locale": "ar"}


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where browser tests save screenshots; printed at the end of the run."""
    folder = Path(
        os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parent.parent / "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def offsite_requests(page: Any, live_server: Any) -> list[str]:
    """URLs the page requested from anywhere but the site itself (fonts, scripts, trackers).

    The site must work offline and under its CSP, so tests assert this stays empty.
    """
    offsite: list[str] = []
    own = (live_server.url, "data:", "blob:")
    page.on(
        "request",
        lambda request: None if request.url.startswith(own) else offsite.append(request.url),
    )
    return offsite


def pytest_terminal_summary(terminalreporter: Any) -> None:
    folder = Path(
        os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parent.parent / "screenshots")
    )
    if folder.exists() and any(folder.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {folder}")
