"""The Redis cache backend: Django's own, reusing one client per connection pool."""

from __future__ import annotations

import socket

import pytest

from newsroom.redis_cache import RedisCache


def redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_running(), reason="needs Redis on 127.0.0.1:6379")


@pytest.fixture
def backend() -> RedisCache:
    cache = RedisCache("redis://127.0.0.1:6379/7", {"KEY_PREFIX": "redis-cache-test"})
    cache.clear()
    yield cache
    cache.clear()


def test_it_behaves_as_djangos_redis_cache(backend):
    backend.set("عنوان", {"title": "خبر عاجل"}, timeout=30)
    assert backend.get("عنوان") == {"title": "خبر عاجل"}
    assert backend.add("عنوان", "other") is False
    backend.set_many({"a": 1, "b": 2})
    assert backend.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert backend.incr("a") == 2
    backend.delete("a")
    assert backend.get("a") is None


def test_one_client_serves_every_call(backend):
    client = backend._cache.get_client(write=True)
    backend.set("x", 1)
    backend.get("x")
    assert backend._cache.get_client(write=True) is client
    assert backend._cache.get_client() is client  # one server: reads use the same pool
