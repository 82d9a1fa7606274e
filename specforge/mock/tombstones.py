"""Resources deleted through the mock: after a successful ``DELETE /pets/1``, ``GET /pets/1`` is a 404.

The set lives in an anonymous shared memory map created before the server forks, so every worker sees
every delete; a successful ``PUT``/``POST`` to the same path brings the resource back. Paths are stored as
64-bit hashes in a fixed open-addressing table (when it is full, new deletes are not remembered).
"""

from __future__ import annotations

import hashlib
import mmap
import struct
import threading

SLOTS = 1 << 15
_EMPTY, _DELETED, _RESTORED = 0, 1, 2
_WORD = struct.Struct("<Q")


def _key(path: str) -> int:
    digest = hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") & ~3


class Tombstones:
    """``deleted(path)`` / ``mark(path, deleted)``; offset 0 counts deletes so the common case costs one read."""

    def __init__(self, slots: int = SLOTS) -> None:
        self.slots = slots
        self._map = mmap.mmap(-1, _WORD.size * (slots + 1))
        self._lock = _process_lock()

    @property
    def active(self) -> bool:
        return _WORD.unpack_from(self._map, 0)[0] > 0

    def _find(self, key: int) -> tuple[int, int]:
        """``(offset, stored word)`` of the key's slot, or of the first empty slot; ``(-1, 0)`` when full."""
        start = key % self.slots
        for i in range(self.slots):
            offset = _WORD.size * (1 + (start + i) % self.slots)
            word = _WORD.unpack_from(self._map, offset)[0]
            if word == _EMPTY or word & ~3 == key:
                return offset, word
        return -1, 0

    def deleted(self, path: str) -> str | None:
        """The deleted path that ``path`` is (or lies under), or None."""
        if not self.active:
            return None
        parts = path.rstrip("/").split("/")
        for end in range(len(parts), 1, -1):
            prefix = "/".join(parts[:end])
            _, word = self._find(_key(prefix))
            if word & 3 == _DELETED:
                return prefix
        return None

    def mark(self, path: str, deleted: bool) -> None:
        path = path.rstrip("/") or "/"
        key = _key(path)
        with self._lock:
            offset, word = self._find(key)
            if offset < 0 or (word == _EMPTY and not deleted):
                return
            _WORD.pack_into(self._map, offset, key | (_DELETED if deleted else _RESTORED))
            if deleted:
                count = _WORD.unpack_from(self._map, 0)[0]
                _WORD.pack_into(self._map, 0, count + 1)


def _process_lock():
    """A lock shared by forked workers (a thread lock where processes cannot share one)."""
    try:
        import multiprocessing

        return multiprocessing.get_context("fork").Lock()
    except (ValueError, ImportError, OSError):
        return threading.Lock()
