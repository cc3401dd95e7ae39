"""The storage of static files in production: whitenoise's, with each URL worked out once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

MAX_URLS = 1024  # far more than the site's static files; names never come from readers


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed, hashed files, with `url()` remembered per name.

    The manifest is read once per process and the files it names do not change while the
    process runs, yet `url()` splits, looks up and joins the name again at every `{% static %}`:
    a few of them on every page. A name missing from the manifest still raises each time.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or settings.DEBUG or name is None:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = super().url(name)
            if len(self._urls) < MAX_URLS:
                self._urls[name] = found
        return found
