"""Write the site's own error page to a file, for the web server to show when no app server
answers (nginx's `error_page 502 503 504`; deploy/nginx.conf.template).

Run it at each deploy, after `collectstatic`: the page links the stylesheet by its hashed
name, so the copy must come from the same release as the static files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.test import RequestFactory
from django.utils import translation

from newsroom.views import server_error


class Command(BaseCommand):
    help = "Write the site's 500 page to a file (the web server's page for 502/503/504)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="where to write the page, e.g. /srv/newsroom/50x.html")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            content = server_error(RequestFactory().get("/")).content
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        self.stdout.write(f"{target}: {len(content)} bytes")
