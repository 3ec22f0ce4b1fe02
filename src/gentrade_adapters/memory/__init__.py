"""
Working in-memory fakes of the repository ports, for tests and notebooks.

They pass the same contract suite as the SQL adapter: copies in and out, commit and rollback.
"""

from gentrade_adapters.memory.store import InMemoryStore
from gentrade_adapters.memory.unit_of_work import InMemoryUnitOfWork

__all__ = ["InMemoryStore", "InMemoryUnitOfWork"]
