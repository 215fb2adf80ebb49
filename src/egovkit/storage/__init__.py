"""Embedded storage adapters (in-memory now; SQLite and files follow with the storage issue)."""

from egovkit.storage.memory import MemorySequenceAllocator

__all__ = ["MemorySequenceAllocator"]
