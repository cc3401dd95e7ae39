"""`make stack-test`: start the stack, prove through nginx alone what several app servers must
keep true, then stop what it started. Exits non-zero on the first failed check.

Every request goes to nginx (STACK_PORT); only the bucket check reads the S3 server itself,
and the app servers are killed and restarted through deploy/stack.py, by PID.
"""

from __future__ import annotations

import http.client
import io
import json
import re
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import unquote, urlencode

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stack  # noqa: E402 - deploy/stack.py, next to this file

ORIGIN = f"http://127.0.0.1:{stack.PORT}"
APPS = set(stack.APPS)
results: list[str] = []


class Check(Exception):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise Check(message)


class Response:
    def __init__(self, raw: http.client.HTTPResponse) -> None:
        self.status = raw.status
        self.headers = raw.headers
        self.body = raw.read()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def served_by(self) -> str:
        return self.headers.get("X-Served-By", "")


class Browser:
    """A client that talks only to nginx and keeps its cookies (Secure ones too: the site
    is https behind the terminator nginx plays)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", stack.PORT, timeout=30)
        sent = {"Host": f"127.0.0.1:{stack.PORT}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = Response(connection.getresponse())
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str], referer: str) -> Response:
        body = urlencode(fields).encode()
        return self.request(
            "POST",
            path,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": ORIGIN,
                "Referer": ORIGIN + referer,
            },
        )


def csrf_field(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    check(match, "the form carries a CSRF token")
    return match.group(1)


def log_in(browser: Browser) -> tuple[str, str]:
    """Log in with a token issued by one server, posted to the other; (issuer, receiver)."""
    password = (stack.VAR / "editor_password").read_text().strip()
    for _ in range(6):
        browser.cookies.clear()
        form = browser.get("/admin/login/")
        issuer = form.served_by
        answer = browser.post(
            "/admin/login/?next=/admin/",
            {
                "csrfmiddlewaretoken": csrf_field(form.text),
                "username": stack.EDITOR,
                "password": password,
                "next": "/admin/",
            },
            "/admin/login/",
        )
        check(answer.status == 302, f"login answered {answer.status}: {answer.text[:300]}")
        if answer.served_by != issuer:
            return issuer, answer.served_by
    raise Check("six logins in a row landed on the server that issued the form")


def step(name: str) -> None:
    results.append(name)
    print(f"ok   {name}", flush=True)


# --- the checks ------------------------------------------------------------------------------


def both_servers_answer(browser: Browser) -> None:
    seen = [browser.get("/healthz").served_by for _ in range(6)]
    check(set(seen) == APPS, f"consecutive requests were served by {seen}")
    step(f"consecutive requests are served by both app servers: {seen}")
    page = browser.get(f"/search/?q={uuid.uuid4().hex}")
    request_id = page.headers.get("X-Request-ID", "")
    check(re.fullmatch(r"[0-9a-f]{32}", request_id), "nginx gives each request an id")
    logs = {
        "nginx": stack.VAR / "nginx-access.log",
        page.served_by: stack.VAR / f"{page.served_by}.access.log",
    }
    deadline = time.monotonic() + 5
    while not all(f"rid={request_id}" in path.read_text() for path in logs.values()):
        check(time.monotonic() < deadline, f"request id {request_id} in {list(logs)} logs")
        time.sleep(0.1)
    step(f"request id {request_id} is in the logs of nginx and {page.served_by}")


def session_and_csrf_cross_servers(editor: Browser) -> None:
    issuer, receiver = log_in(editor)
    step(f"a CSRF token issued by {issuer} was accepted by {receiver} (login)")
    servers = set()
    for _ in range(4):
        page = editor.get("/admin/")
        check(page.status == 200 and stack.EDITOR in page.text, "the editor is logged in")
        servers.add(page.served_by)
    check(servers == APPS, f"the session was read by {servers}")
    step(f"the editor's session works on {sorted(servers)}")


def upload_survives_its_server(editor: Browser) -> tuple[str, bytes]:
    form = editor.get("/admin/library/mediaimage/add/")
    token = editor.cookies.get("csrftoken", "")
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (20, 120, 200)).save(buffer, "JPEG")
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in (("alt", "ميناء طنجة"), ("caption", "صورة من اختبار الخوادم")):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="ميناء.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    )
    body = "".join(parts).encode() + head.encode() + buffer.getvalue()
    body += f"\r\n--{boundary}--\r\n".encode()
    answer = editor.request(
        "POST",
        "/admin/library/mediaimage/upload/",
        body,
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRFToken": token,
            "Origin": ORIGIN,
            "Referer": ORIGIN + "/admin/library/mediaimage/add/",
        },
    )
    check(answer.status == 201, f"upload answered {answer.status}: {answer.text[:300]}")
    check(form.status == 200, "the library form opens")
    uploader = answer.served_by
    src = json.loads(answer.body)["src"]
    path = src.removeprefix(ORIGIN)  # a bucket's public address, or /media/ when local
    check(path.startswith("/media/"), f"media are served through nginx: {src}")
    key = path.removeprefix("/media/")
    stored = stack.stored_media(unquote(key))
    where = "the bucket" if stack.MEDIA == "s3" else "var/stack/media"
    step(f"an image uploaded through {uploader} is in {where} ({len(stored)} bytes)")
    kill(uploader)
    served = Browser().get(path)
    check(served.status == 200 and served.body == stored, "the image is served byte-identical")
    step(f"with {uploader} killed, nginx serves it byte-identical")
    restart()
    return path, stored


def publish_is_seen_on_the_other_server(editor: Browser) -> str:
    reader = Browser()
    for n in range(4):  # every server has the home page in its caches
        reader.get(f"/?utm_source=warm-{n}")
    form = editor.get("/admin/articles/article/add/")
    check(form.status == 200, f"the article form opens ({form.status})")
    sections = editor.get(
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=category"
    )
    check(sections.status == 200, f"the section list answers {sections.status}")
    category = json.loads(sections.body)["results"][0]["id"]
    title = f"خبر من اختبار الخوادم {uuid.uuid4().hex[:6]}"
    fields = {
        "csrfmiddlewaretoken": csrf_field(form.text),
        "title_ar": title,
        "slug_ar": f"stack-{uuid.uuid4().hex[:8]}",
        "body_ar": "<p>نص الخبر.</p>",
        "category": str(category),
        "status": "published",
        "comments_enabled": "on",
        "articleauthor_set-TOTAL_FORMS": "0",
        "articleauthor_set-INITIAL_FORMS": "0",
        "articleauthor_set-MIN_NUM_FORMS": "0",
        "articleauthor_set-MAX_NUM_FORMS": "1000",
    }
    opened = re.search(r'name="opened_version" value="([^"]*)"', form.text)
    if opened:
        fields["opened_version"] = opened.group(1)
    answer = editor.post("/admin/articles/article/add/", fields, "/admin/articles/article/add/")
    published_at = time.monotonic()
    errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer.text, re.S)
    check(answer.status == 302, f"publish answered {answer.status}: {errors or answer.text[:300]}")
    publisher = answer.served_by
    other = (APPS - {publisher}).pop()
    n = 0
    while True:  # a new address each time: no nginx copy, the app servers' own caches
        n += 1
        sent_after = time.monotonic() - published_at
        page = reader.get(f"/?utm_source=check-{n}")
        if page.served_by == other and title in page.text:
            break
        check(sent_after < 1.0, f"the home page on {other} did not show the publish after 1 s")
        time.sleep(0.05)
    check(sent_after < 1.0, f"seen on {other} in a request sent after {sent_after:.2f} s")
    step(f"a publish through {publisher} is on the home page from {other} {sent_after:.2f} s later")
    return title


def stale_when_both_are_down(title: str) -> None:
    reader = Browser()
    deadline = time.monotonic() + 3  # nginx's copy of "/" lives 1 s (to the second's end)
    while title not in reader.get("/").text:
        check(time.monotonic() < deadline, "the home page shows the publish")
        time.sleep(0.1)
    kill(*APPS)
    time.sleep(2.2)  # the micro-cache's copy is past its 1 s
    stale = reader.get("/")
    check(stale.status == 200 and title in stale.text, f"stale home page: {stale.status}")
    check(stale.headers.get("X-Cache-Status") in {"STALE", "UPDATING"}, "marked stale")
    step(f"both app servers down: a cached page is served {stale.headers['X-Cache-Status']}")
    error = reader.get(f"/search/?q={uuid.uuid4().hex}")
    expected = (stack.VAR / "errors" / "50x.html").read_bytes()
    check(error.status in {502, 503, 504}, f"uncached page answered {error.status}")
    check(error.body == expected and b"error-page" in error.body, "the site's own error page")
    css = re.search(r'href="(/static/css/[^"]+)"', error.text)
    check(css and reader.get(css.group(1)).status == 200, "its stylesheet is served by nginx")
    step(f"the rest gets the site's own error page ({error.status}) with its stylesheet")


def comes_back() -> None:
    restart()
    reader = Browser()
    deadline = time.monotonic() + 15
    seen: set[str] = set()
    while time.monotonic() < deadline and seen != APPS:
        page = reader.get("/healthz")
        if page.status == 200:
            seen.add(page.served_by)
        time.sleep(0.2)
    check(seen == APPS, f"after the restart only {seen} answer")
    page = reader.get(f"/search/?q={uuid.uuid4().hex}")
    check(page.status == 200, f"an uncached page answers {page.status} again")
    step("restarted, both app servers answer through nginx again")


STACK = [sys.executable, str(stack.ROOT / "deploy" / "stack.py")]


def kill(*names: str) -> None:
    """Crash app servers: SIGKILL to the process groups deploy/stack.py recorded."""
    subprocess.run([*STACK, "kill", *names], check=True)  # noqa: S603 - our own script


def restart() -> None:
    """Start whatever is not running, the way an operator would."""
    subprocess.run([*STACK, "up"], check=True)  # noqa: S603 - our own script


def main() -> int:
    started = time.monotonic()
    was_running = stack.anything_running()
    restart()  # starts what is missing
    try:
        editor = Browser()
        both_servers_answer(Browser())
        session_and_csrf_cross_servers(editor)
        upload_survives_its_server(editor)
        title = publish_is_seen_on_the_other_server(editor)
        stale_when_both_are_down(title)
        comes_back()
    except Check as failure:
        print(f"FAIL {failure}", flush=True)
        return 1
    finally:
        if not was_running:
            stack.down()
    print(f"stack-test: {len(results)} checks passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
