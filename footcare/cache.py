"""Redis as a cache that an outage empties instead of taking pages down.

Django's Redis backend raises when Redis is stopped, unreachable or hung, and a
page that reads the cache then answers 500. This backend answers what an empty
cache answers instead: a miss for every read, nothing kept for every write
(``incr`` raises ValueError, as for a key that is not there). So every page is
built from the database while Redis is away, only slower.

A warning goes to the log at most once a minute per process, not once a request.
After an error the backend leaves that Redis alone for RETRY_AFTER seconds: a
Redis that hangs, or a host that is gone, would otherwise cost each cache call
its socket timeout (settings.CACHES), several times a page. /healthz still
reports the cache as failing: what it writes there is not there when it reads
it back.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5  # seconds
WARN_EVERY = 60  # seconds
clock = time.monotonic

# Per process, per LOCATION: when to try Redis again, and when we last warned.
_retry_at = {}
_warned_at = {}
_MISSING = object()


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.location = server

    def _guard(self, call, *args, fallback=None):
        """`call(*args)`, or `fallback` while Redis fails or is left alone."""
        location = self.location
        now = clock()
        retry_at = _retry_at.get(location)
        if retry_at is not None and now < retry_at:
            return fallback
        try:
            result = call(*args)
        except RedisError as error:
            _retry_at[location] = now + RETRY_AFTER
            last = _warned_at.get(location)
            if last is None or now - last >= WARN_EVERY:
                _warned_at[location] = now
                logger.warning(
                    "The cache is unreachable (%s): pages are built from the "
                    "database until it answers again.",
                    error,
                )
            return fallback
        if _retry_at.pop(location, None) is not None:
            logger.info("The cache answers again.")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().add, key, value, timeout, version, fallback=False)

    def get(self, key, default=None, version=None):
        return self._guard(super().get, key, default, version, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        return self._guard(super().delete, key, version, fallback=False)

    def get_many(self, keys, version=None):
        return self._guard(super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._guard(super().has_key, key, version, fallback=False)

    def incr(self, key, delta=1, version=None):
        result = self._guard(super().incr, key, delta, version, fallback=_MISSING)
        if result is _MISSING:
            raise ValueError(f"Key '{key}' not found: the cache is unreachable.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys that were not stored: all of them.
        return self._guard(
            super().set_many, data, timeout, version, fallback=list(data)
        )

    def delete_many(self, keys, version=None):
        self._guard(super().delete_many, keys, version)

    def clear(self):
        return self._guard(super().clear, fallback=False)
