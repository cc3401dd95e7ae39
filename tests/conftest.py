"""Shared fixtures: isolated media, fast hashing, a clean cache, one user per role."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from newsroom import roles

from .factories import make_user


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


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
