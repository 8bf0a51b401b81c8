"""Read-only snapshots of an Oxigraph store, so it can be read while it is written.

RocksDB lets one process write a store directory (it holds the ``LOCK``); opening the
same directory read-only beside that writer is undefined behaviour in Oxigraph (seen
here: a reader grew to 23 GB and was killed). So the writer publishes what it has
committed as a *snapshot*: an Oxigraph backup (a RocksDB checkpoint: the immutable
table files hard-linked, the small mutable files copied) under ``.kg-snapshots/`` in
the store directory, renamed into place when complete. Readers (``kg query``,
``kg stats``, ``kg serve``...) open the newest snapshot read-only; nobody writes it, so
they never see a half-written batch and never hold the writer's lock.

- A writer publishes after a write (at most once a second) and when it closes; a
  ``DIRTY`` file says that the store holds batches no snapshot has yet.
- A reader that finds no snapshot, or a ``DIRTY`` one left by a writer that was
  killed, takes the lock for a moment to publish one itself; if a writer holds the
  lock, it reads the newest snapshot there is (the batches committed up to its
  last publication).
- Old snapshots are removed once newer ones exist and they are a minute old (a
  reader that still had one open reopens the newest).

    >>> publish(store, Path("kg-store"))                 # doctest: +SKIP
    >>> newest(Path("kg-store"))                         # doctest: +SKIP
    PosixPath('kg-store/.kg-snapshots/1733150000000000000-4242')
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph

FOLDER = ".kg-snapshots"
DIRTY = "DIRTY"
#: Snapshots kept besides the newest, however old, and how old the others may get.
KEEP = 2
GRACE_SECONDS = 60.0
#: A half-written snapshot (a publisher killed midway) is removed after this long.
STALE_TEMPORARY_SECONDS = 600.0


def folder(store: Path) -> Path:
    return store / FOLDER


def snapshots(store: Path) -> list[Path]:
    """The complete snapshots of a store directory, oldest first."""
    try:
        names = os.listdir(folder(store))
    except OSError:
        return []
    return [folder(store) / name for name in sorted(names, key=_order) if _is_snapshot(name)]


def newest(store: Path) -> Path | None:
    found = snapshots(store)
    return found[-1] if found else None


def is_dirty(store: Path) -> bool:
    """Whether the store holds batches that no snapshot has (or a writer never finished)."""
    return (folder(store) / DIRTY).exists()


def mark_dirty(store: Path) -> None:
    folder(store).mkdir(exist_ok=True)
    (folder(store) / DIRTY).touch()


def publish(store: pyoxigraph.Store, path: Path) -> Path:
    """Write a snapshot of the open read-write ``store`` at ``path``; returns it."""
    folder(path).mkdir(exist_ok=True)
    name = f"{time.time_ns():020d}-{os.getpid()}"
    temporary = folder(path) / f".tmp-{name}"
    store.flush()
    store.backup(str(temporary))
    final = folder(path) / name
    os.rename(temporary, final)
    (folder(path) / DIRTY).unlink(missing_ok=True)
    collect(path)
    return final


def collect(store: Path) -> None:
    """Remove snapshots nobody should still be reading, and abandoned temporary ones."""
    now = time.time()
    found = snapshots(store)
    for old in found[: -(KEEP + 1)] if len(found) > KEEP + 1 else []:
        if now - _created(old.name) > GRACE_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    try:
        names = os.listdir(folder(store))
    except OSError:
        return
    for name in names:
        if name.startswith(".tmp-"):
            created = _created(name[len(".tmp-") :])
            if now - created > STALE_TEMPORARY_SECONDS:
                shutil.rmtree(folder(store) / name, ignore_errors=True)


def _is_snapshot(name: str) -> bool:
    stamp, _, pid = name.partition("-")
    return stamp.isdigit() and pid.isdigit()


def _order(name: str) -> tuple[int, str]:
    return (_created_ns(name), name)


def _created_ns(name: str) -> int:
    stamp = name.partition("-")[0]
    return int(stamp) if stamp.isdigit() else 0


def _created(name: str) -> float:
    return _created_ns(name) / 1e9
