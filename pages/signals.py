"""A saved or deleted page clears the cached footer links of every language, and the cached
pages: its own, and every page's footer ("site")."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsroom import pagecache

from .models import Page
from .templatetags.pages_tags import footer_cache_keys


@receiver([post_save, post_delete], sender=Page)
def clear_footer_links(sender: type[Page], **kwargs: Any) -> None:
    # Now, and again after the commit, so a request running meanwhile cannot keep the old list.
    cache.delete_many(footer_cache_keys())
    transaction.on_commit(lambda: cache.delete_many(footer_cache_keys()))
    pagecache.purge_after_commit({f"p{kwargs['instance'].pk}", "pages", "site"})
