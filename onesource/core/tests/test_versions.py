"""Data versions: a cache keyed by one is never read after the data it was computed from changed."""

from __future__ import annotations

import pytest
from django.db import transaction

from onesource.core import actions
from onesource.core.versions import (
    cached_by_version,
    cached_each_by_version,
    data_changed,
    data_version,
)


def test_a_version_stays_until_the_data_changes():
    first = data_version("example")
    assert data_version("example") == first
    data_changed("example")
    assert data_version("example") != first


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_change_is_private_until_the_commit():
    shared = data_version("example")
    with transaction.atomic():
        data_changed("example")
        private = data_version("example")
        assert private != shared
        data_changed("example")  # a second change in the same transaction: newer still
        assert data_version("example") not in (shared, private)
    after = data_version("example")
    assert after not in (shared, private)


@pytest.mark.django_db(transaction=True)
def test_after_a_rollback_the_connection_is_back_on_the_shared_version():
    shared = data_version("example")
    with pytest.raises(RuntimeError), transaction.atomic():
        data_changed("example")
        assert data_version("example") != shared
        raise RuntimeError("undone")
    assert data_version("example") == shared


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_returns_to_the_version_before_it():
    with transaction.atomic():
        data_changed("example")
        before = data_version("example")
        with pytest.raises(RuntimeError), transaction.atomic():
            data_changed("example")
            assert data_version("example") != before
            raise RuntimeError("undone")
        assert data_version("example") == before


def test_saving_a_tracked_model_changes_its_data_set(partnership):
    # Core tracks partners, memberships, services and coverage as the "partnership" data set.
    before = data_version("partnership")
    actions.update_partner(partnership["NEW"], name="Newham Council", acting_user=partnership["system"])
    assert data_version("partnership") != before


def test_cached_answers_are_recomputed_after_a_change():
    calls = []

    def compute():
        calls.append(1)
        return {"answer": len(calls)}

    assert cached_by_version("example", "figure", compute) == {"answer": 1}
    assert cached_by_version("example", "figure", compute) == {"answer": 1}
    data_changed("example")
    assert cached_by_version("example", "figure", compute) == {"answer": 2}


def test_cached_each_computes_only_what_is_missing_and_remembers_what_is_not_there():
    asked: list[list[int]] = []

    def compute(ids):
        asked.append(sorted(ids))
        return {i: i * 10 for i in ids if i != 3}

    assert cached_each_by_version(["example"], "tens", [1, 2, 3], compute, missing=0) == {1: 10, 2: 20, 3: 0}
    assert cached_each_by_version(["example"], "tens", [2, 3, 4], compute, missing=0) == {2: 20, 3: 0, 4: 40}
    assert asked == [[1, 2, 3], [4]]
