"""Pages of the public lists, whose items are read only when the page's cards are rendered.

The cards and pagination links of a list are a cached fragment (`{% cachedfragment %}`), and
the number of articles is cached with the same tags. While both are cached, a request needs
neither the list's queryset nor its SQL: building the queryset (the publishing rule, the
translations, comment counts, the section join) alone cost a sixth of the home page. So the
view hands `paginate` a function that builds the queryset, called the first time a page's
items or the count are read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import SimpleLazyObject

from newsroom.fragments import cached_fragment
from newsroom.i18n import current_language

PAGE_SIZE = 20


class _Deferred:
    """Stands for the queryset until a slice of it is read (which `Paginator.page` takes)."""

    def __init__(self, build: Callable[[], QuerySet[Any]]) -> None:
        self.build = build

    @cached_property
    def queryset(self) -> QuerySet[Any]:
        return self.build()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, key: slice) -> Any:
        return SimpleLazyObject(lambda: self.queryset[key])


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any] | Callable[[], QuerySet[Any]],
    *,
    cached_as: tuple[str, list[str]] | None = None,
) -> Page:
    """A page of `queryset` (or of what a function returns); a number past the last page (or
    below 1) is a 404.

    Answering such a number with the last page would give crawlers endless duplicate URLs.
    Something that is not a number at all (`?page=abc`) is read as page 1. `cached_as`
    (a name and page cache tags) keeps the count in the fragment cache with those tags. Given
    a function, nothing builds or runs the queryset before the count or the page's items are
    read.
    """
    items = _Deferred(queryset) if callable(queryset) else queryset
    paginator = Paginator(items, PAGE_SIZE)
    if cached_as is not None:
        name, tags = cached_as
        paginator.count = cached_fragment(f"count:{name}", tags, current_language(), items.count)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        raise Http404 from None
