"""nginx's configuration for the stack, from deploy/nginx.conf.template (used by stack.py).

The template is nginx syntax with @NAME@ fields (nginx's own `$variables` stay untouched).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


def media_location(media: dict[str, str]) -> str:
    """/media/ from local disk (`alias`) or from the bucket (`proxy`: reads only)."""
    if "alias" in media:
        return (
            "        location /media/ {\n"
            f"            alias {media['alias']}/;\n"
            '            add_header Cache-Control "public, max-age=31536000, immutable";\n'
            "        }"
        )
    return (
        "        location /media/ {\n"
        "            limit_except GET HEAD { deny all; }\n"
        f"            proxy_pass {media['proxy']};\n"
        "            proxy_set_header Host $proxy_host;\n"
        '            proxy_set_header Authorization "";\n'
        "        }"
    )


def write(
    *,
    var: Path,
    port: int,
    app_ports: list[int],
    static_root: Path,
    errors: Path,
    media: dict[str, str],
    forwarded_proto: str = "https",
) -> Path:
    """Write var/nginx.conf and the directories it names; return the config's path.

    Run as root, nginx's workers drop to www-data: they get their cache and temp directories.
    `forwarded_proto` is what nginx tells the app servers (https: it plays the TLS terminator
    in front of it; see docs/deploy.md).
    """
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"):
        (var / "nginx" / sub).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:
        user = "user www-data;"
        for path in [var / "nginx", *(var / "nginx").rglob("*")]:
            shutil.chown(path, "www-data")
    upstreams = "\n".join(
        f"        server 127.0.0.1:{app} max_fails=1 fail_timeout=2s;" for app in app_ports
    )
    values = {
        "@USER@": user,
        "@VAR@": str(var),
        "@PORT@": str(port),
        "@UPSTREAMS@": upstreams,
        "@STATIC_ROOT@": str(static_root),
        "@ERRORS@": str(errors),
        "@MEDIA@": media_location(media),
        "@FORWARDED_PROTO@": forwarded_proto,
    }
    text = TEMPLATE.read_text()
    for key, value in values.items():
        text = text.replace(key, value)
    target = var / "nginx.conf"
    target.write_text(text)
    return target
