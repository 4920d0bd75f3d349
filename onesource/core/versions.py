"""Data versions: a token per data set that changes whenever the data set changes, for caches to key on.

An app names its data set and the models in it (`track_data_version("workforce", Employee, ...)` in its
`AppConfig.ready`); every save or delete of those models, and every `data_changed(name)` an app calls
after a bulk write that sends no signals, gives the data set a new version. A cache keyed by
`data_version(name)` is then never read after the data it was computed from has changed.

The shared token lives in Django's cache (shared by every process on the machine, or by Redis), with no
expiry; if it is ever evicted a new random one is made, which only costs a recomputation. Inside a
transaction the change is not yet visible to other connections, so this connection alone moves to a
private version until the transaction ends; at the commit the shared token is replaced for everybody,
and after a rollback the connection is back on the shared one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

TRACKED: dict[str, list[type[models.Model]]] = {}
# Cached figures outlive no week; the version, not the expiry, is what keeps them right.
CACHED_FOR_SECONDS = 7 * 24 * 3600


def _token_key(name: str) -> str:
    return f"data-version:{name}"


class _Publish:
    """A change to a data set inside the current transaction: the private version this connection uses
    until the commit, and the after-commit step that gives everybody a new version.

    Django keeps a transaction's callbacks in `connection.run_on_commit` and drops them on a rollback
    (those of a rolled-back savepoint alone on a savepoint rollback), so the private version found
    there is always one made since the last change that still stands."""

    def __init__(self, name: str, previous: _Publish | None) -> None:
        self.name = name
        self.private = uuid.uuid4().hex
        # The steps of one transaction share one flag, so its commit publishes a new token once.
        self.published: list[bool] = previous.published if previous is not None else [False]
        self.__qualname__ = f"publishing a new version of {name}"  # for Django's log of a failure

    def __call__(self) -> None:
        if not self.published[0]:
            self.published[0] = True
            cache.set(_token_key(self.name), uuid.uuid4().hex, timeout=None)


def _pending(name: str) -> _Publish | None:
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        return None
    for entry in reversed(connection.run_on_commit):
        func = entry[1]  # (savepoint ids, callback, robust)
        if isinstance(func, _Publish) and func.name == name:
            return func
    return None


def data_version(name: str) -> str:
    """The data set's current version as this connection sees it."""
    pending = _pending(name)
    if pending is not None:
        return pending.private
    token = cache.get(_token_key(name))
    if token is None:
        # add(), not set(): two processes making the first token at once agree on one.
        cache.add(_token_key(name), uuid.uuid4().hex, timeout=None)
        token = cache.get(_token_key(name))
    return str(token)


def data_changed(name: str) -> None:
    """Note that the data set changed: a new version now for this connection, for all after the commit."""
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        # robust: the data is committed whatever happens here, so a cache failure must not undo the
        # answer to the person who changed it (the old version then stands until the next change).
        transaction.on_commit(_Publish(name, _pending(name)), robust=True)
    else:
        cache.set(_token_key(name), uuid.uuid4().hex, timeout=None)


def track_data_version(name: str, *tracked: type[models.Model]) -> None:
    """Every save or delete of these models changes the data set `name`."""
    TRACKED.setdefault(name, [])

    def changed(sender: type, **kwargs: Any) -> None:
        data_changed(name)

    for model in tracked:
        if model in TRACKED[name]:
            continue
        TRACKED[name].append(model)
        uid = f"data-version:{name}:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def forget_data_versions() -> None:
    """Every data set gets a new version (tests: each test's data is new, whatever the cache holds)."""
    for name in TRACKED:
        cache.delete(_token_key(name))


def _versions(names: Sequence[str]) -> str:
    return ":".join(f"{name}={data_version(name)}" for name in sorted(set(names)))


def cached_by_version(name: str | Sequence[str], key: str, compute: Callable[[], T]) -> T:
    """`compute()`'s answer, cached under `key` and the current version of the data set(s) it reads."""
    full_key = f"versioned:{key}:{_versions([name] if isinstance(name, str) else name)}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, timeout=CACHED_FOR_SECONDS)
    return found  # type: ignore[no-any-return]


def cached_each_by_version(
    names: Sequence[str], key: str, ids: Iterable[K], compute: Callable[[list[K]], dict[K, V]], *, missing: V
) -> dict[K, V]:
    """{id: answer} for each id, cached one by one under `key`, the id and the data sets' versions;
    `compute(ids)` is called once for those not cached and answers `missing` for an id it leaves out."""
    versions = _versions(names)
    keys = {i: f"versioned:{key}:{i}:{versions}" for i in ids}
    found = cache.get_many(list(keys.values()))
    result = {i: found[k] for i, k in keys.items() if k in found}
    wanted = [i for i in keys if i not in result]
    if wanted:
        computed = compute(wanted)
        fresh = {i: computed.get(i, missing) for i in wanted}
        cache.set_many({keys[i]: value for i, value in fresh.items()}, timeout=CACHED_FOR_SECONDS)
        result.update(fresh)
    return result
