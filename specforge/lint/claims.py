"""Which chunks of a recorded walk each share replays: fixed in turn, or claimed as the shares go.

Every share of a document replays the same recorded walk (``walk.replay``), cut into chunks of
consecutive visits. ``InTurn`` deals the chunks out round-robin: fixed, for shares run one after
another. ``Claims`` lets forked processes take the next unclaimed chunk whenever they are ready, so
a process that spent time on extra work (the document-level rules, the example validation) simply
replays fewer chunks and the processes finish together. Each chunk goes to exactly one share
either way, so the shares still add up to one whole run. The claims live in an anonymous file
(``memfd``) mapped shared, so every fork sees one table; a POSIX record lock on it keeps two
claims apart, and the kernel drops that lock if its process dies, so no share can wait forever.
"""

from __future__ import annotations

import fcntl
import mmap
import os
from collections.abc import Iterator
from typing import Protocol

#: Visits per chunk: small enough to even out the shares, large enough that a claim costs nothing.
CHUNK_VISITS = 256
#: Chunks a ``Claims`` can hand out; the chunk size grows for walks longer than this many chunks.
_CAPACITY = 1 << 16
_COUNTER = 8  # bytes of the next-unclaimed counter, before one byte per chunk (its share + 1)


def chunks_of(visits: int) -> list[range]:
    """The chunks of a walk of ``visits`` visits (index ranges into ``WalkIndex.order``)."""
    size = max(CHUNK_VISITS, -(-visits // _CAPACITY))
    return [range(start, min(start + size, visits)) for start in range(0, visits, size)]


class ChunkSource(Protocol):
    def take(self, share: tuple[int, int], count: int) -> Iterator[int]:
        """The chunks, of ``count``, that ``share`` replays."""
        ...


class InTurn:
    """Every n-th chunk to share ``k`` of ``n``: for shares run one after another."""

    def take(self, share: tuple[int, int], count: int) -> Iterator[int]:
        return iter(range(share[0], count, share[1]))


class Claims:
    """Chunks claimed by forked processes as they go; create it before forking, ``close`` it after."""

    def __init__(self) -> None:
        self._file = os.memfd_create("specforge-claims", os.MFD_CLOEXEC)
        os.ftruncate(self._file, _COUNTER + _CAPACITY)
        self._table = mmap.mmap(self._file, _COUNTER + _CAPACITY)  # MAP_SHARED: one table for every fork

    def take(self, share: tuple[int, int], count: int) -> Iterator[int]:
        """The chunks (of ``count``) this share claims, one at a time, until none is left."""
        while True:
            fcntl.lockf(self._file, fcntl.LOCK_EX)  # waits while another process claims
            try:
                chunk = int.from_bytes(self._table[:_COUNTER], "little")
                if chunk < count:  # marked before counted: a process killed in between loses no chunk
                    self._table[_COUNTER + chunk] = share[0] + 1
                    self._table[:_COUNTER] = (chunk + 1).to_bytes(_COUNTER, "little")
            finally:
                fcntl.lockf(self._file, fcntl.LOCK_UN)
            if chunk >= count:
                return
            yield chunk

    def replaying(self, share: tuple[int, int]) -> ChunkSource:
        """The chunks ``share`` claimed, to check them again when its process failed."""
        return _Claimed(self._table, share[0] + 1)

    def close(self) -> None:
        self._table.close()
        os.close(self._file)


class _Claimed:
    def __init__(self, table: mmap.mmap, mark: int) -> None:
        self._table = table
        self._mark = mark

    def take(self, share: tuple[int, int], count: int) -> Iterator[int]:
        return (chunk for chunk in range(count) if self._table[_COUNTER + chunk] == self._mark)
