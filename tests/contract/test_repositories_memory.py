"""The in-memory fakes against the repository contract, plus what only threads can show."""

from __future__ import annotations

import threading

import pytest

from gentrade_adapters.memory import InMemoryStore, InMemoryUnitOfWork
from gentrade_core.ports.repositories import DuplicateError
from tests.contract.repository_contract import UnitOfWorkContract, UowFactory, a_strategy, store


class TestInMemoryRepositories(UnitOfWorkContract):
    def make_uow_factory(self) -> UowFactory:
        shared = InMemoryStore()
        return lambda: InMemoryUnitOfWork(shared)

    def test_commit_records_that_it_happened(self, new_uow: UowFactory) -> None:
        """Tests of use cases assert on `committed`, as with cosmicpython's FakeUnitOfWork."""
        with new_uow() as uow:
            assert isinstance(uow, InMemoryUnitOfWork)
            assert not uow.committed
            uow.commit()
            assert uow.committed

    def test_racing_commits_of_one_name_keep_one(self, new_uow: UowFactory) -> None:
        """Two transactions that each saw the name free cannot both commit it."""
        first, second = new_uow(), new_uow()
        with first, second:
            first.strategies.add(a_strategy("alice", "Sma"))
            second.strategies.add(a_strategy("alice", "Sma"))
            first.commit()
            with pytest.raises(DuplicateError):
                second.commit()
        with new_uow() as uow:
            assert uow.strategies.list("alice").total == 1

    def test_threads_share_one_store(self, new_uow: UowFactory) -> None:
        """Units of work on many threads commit into the same store without losing writes."""

        def add(i: int) -> None:
            store(new_uow, a_strategy("alice", f"S{i}"))

        threads = [threading.Thread(target=add, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with new_uow() as uow:
            assert uow.strategies.list("alice").total == 20
