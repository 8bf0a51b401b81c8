"""Hand the C heap's free pages back to the operating system after a large write.

A batch write allocates tens of megabytes in many small pieces (the update text, the
parsed update, RocksDB's transaction and memtables) from several threads, each with
its own glibc arena. Freed, those pieces stay in the arenas as scattered free chunks
that the process keeps resident, and a long build's resident memory creeps up with
them. ``malloc_trim(0)`` releases the free pages of every arena (a few milliseconds).
Elsewhere than glibc (macOS, musl) it does nothing.

    >>> release_free_memory() in (True, False)
    True
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return the heap's free pages to the OS; True when some were released."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
