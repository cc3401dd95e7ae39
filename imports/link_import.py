"""The second pass: links between imported items, and the old paths that must keep working."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from articles.models import Article

from . import bodies, redirects
from .labels import label_key
from .models import LegacyRedirect
from .records import EntryRecord


class LinkSteps:
    """Part of Importer (imports/importer.py): link rewriting and redirects."""

    report: Any
    site: Any
    hosts: list[str]
    source: str
    _touched: list[tuple[Any, int]]
    _new_url_by_path: dict[str, str]
    _known_urls: dict[str, str | None]  # old links stored before this run
    _label_targets: dict[str, tuple[Any, int]]
    _term_paths: dict[str, str]
    _bar: Any

    def _rewrite_links(self) -> None:
        bar = self._bar("links", total=len(self._touched))
        hosts = [*self.hosts, *self._link_hosts()]
        for model, pk in self._touched:
            bar.update(1)
            obj = model.objects.filter(pk=pk).only("pk", "title_ar", "body_ar").first()
            if obj is None or "<a" not in (obj.body_ar or ""):
                continue
            body, unresolved = bodies.rewrite_links(obj.body_ar, self._resolve, hosts)
            self.report.unresolved_links += [(obj.title_ar, href) for href in unresolved]
            if body != obj.body_ar:
                obj.body_ar = body
                obj.save(update_fields=["body_ar"])
        bar.close()

    def _link_hosts(self) -> list[str]:
        return [urlsplit(self.site.base_url).hostname or ""] if self.site.base_url else []

    def _resolve(self, path: str) -> str | None:
        """The new URL of an old path: an item of this file, else an old link already known.

        A post's address with a query (`?showComment=…`, `?utm_source=…`) is the post itself.
        """
        normalised = redirects.normalise_path(path)
        bare = redirects.normalise_path(path.split("?", 1)[0])
        for candidate in (normalised, bare):
            if candidate in self._new_url_by_path:
                return self._new_url_by_path[candidate]
        if normalised not in self._known_urls:  # one lookup per old path, not per body
            self._known_urls[normalised] = self._known_url(normalised)
        return self._known_urls[normalised]

    @staticmethod
    def _known_url(normalised: str) -> str | None:
        known = LegacyRedirect.objects.filter(old_path=normalised).first()
        if known is None:
            return None
        if known.target_url:
            return known.target_url
        target = known.target
        return target.get_absolute_url() if target is not None else None

    def _add_redirects(self, entry: EntryRecord, obj: Any) -> None:
        live = (
            obj.is_published() if isinstance(obj, Article) else getattr(obj, "is_published", False)
        )
        if not live:
            return
        url = obj.get_absolute_url()
        for term, path in entry.term_paths.items():
            self._term_paths.setdefault(label_key(term), path)
        for path in entry.old_paths:
            redirects.add_redirect(old_path=path, target=obj, source=self.source)
            self.report.redirects.append((redirects.normalise_path(path), url))

    def _site_redirects(self) -> None:
        """Label listings and label feeds, towards the sections and tags that exist now."""
        targets, archives = {}, {}
        for label, (model, pk) in self._label_targets.items():
            obj = model.objects.filter(pk=pk).first()  # gone if its entry was rolled back
            if obj is not None:
                targets[label] = obj.get_absolute_url()
                if label in self._term_paths:  # WordPress: /category/<slug>/, /tag/<slug>/
                    archives[self._term_paths[label]] = obj
                    self.report.redirects.append(
                        (redirects.normalise_path(self._term_paths[label]), targets[label])
                    )
        if targets:
            redirects.site_redirects(source=self.source, label_targets=targets)
        if archives:
            redirects.taxonomy_redirects(source=self.source, categories=archives)
