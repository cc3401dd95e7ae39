"""Django's own Redis cache backend, without a new client object per cache call.

Django's `RedisCacheClient.get_client()` builds a `redis.Redis` around its connection pool for
every get, set or get_many, and redis-py fills a table of some 170 response callbacks each
time: measured here, that was a third of the CPU an article page spent when rebuilt from
fragments (eight cache calls). A client is thread-safe and holds no connection of its own, so
one per pool is kept and reused. Everything else is Django's backend unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
