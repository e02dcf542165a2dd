"""Work that a spare thread may join: the tail of a long check shared by two cores.

The check registry runs a long check (the copies) on a second thread while the
main thread goes through the others; the main thread is done first and would
then wait. A long check that works in independent pieces hands them to
:func:`each`, and a thread with nothing left to do calls :func:`join_in` to take
pieces of whatever is open until none is left. The owner takes pieces too, and
returns once every piece is done, with the results in the order of the pieces,
whoever computed them; an error in a piece is raised in the owner.

When the caller knows the other cores are idle (one check run alone on a large
batch), it says so with :func:`helpers`, and :func:`each` starts threads of its
own to take pieces.

The results do not depend on who joins: each piece is computed once, by one
thread, from the same inputs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["each", "join_in", "helpers", "threads"]

_lock = threading.Lock()
_open: list[_Work] = []
#: Threads :func:`each` may start for its pieces (set by :func:`helpers`; a new thread
#: starts with the default, so only the thread that set it starts helpers).
_HELPERS: ContextVar[int] = ContextVar("socialkit_spare_helpers", default=0)


@contextmanager
def helpers(n: int):
    """In the block, each call of :func:`each` on this thread starts up to ``n`` threads
    of its own that take its pieces (each holds one piece's memory at a time)."""
    token = _HELPERS.set(max(int(n), 0))
    try:
        yield
    finally:
        _HELPERS.reset(token)


class _Work:
    """Pieces of one call of :func:`each`, taken one at a time by any thread."""

    def __init__(self, fn: Callable, items: list):
        self.fn, self.items = fn, items
        self.results: list = [None] * len(items)
        self.error: BaseException | None = None
        self.next = 0
        self.running = 0
        self.done = threading.Condition(_lock)

    def left(self) -> bool:
        """Whether a piece is left to take (the caller holds the lock)."""
        return self.next < len(self.items) and self.error is None

    def _take(self) -> int | None:
        """The next piece's index (the caller holds the lock), or None when all are taken."""
        if not self.left():
            return None
        self.next += 1
        self.running += 1
        return self.next - 1

    def _finish(self, i: int, result=None, error: BaseException | None = None) -> None:
        with _lock:
            self.running -= 1
            if error is not None and self.error is None:
                self.error = error
            elif error is None:
                self.results[i] = result
            self.done.notify_all()

    def work(self) -> None:
        """Take and compute pieces until none is left."""
        while True:
            with _lock:
                i = self._take()
            if i is None:
                return
            try:
                result = self.fn(self.items[i])
            except BaseException as exc:  # handed to the owner
                self._finish(i, error=exc)
                return
            self._finish(i, result)


def threads() -> int:
    """Threads a call of :func:`each` on this thread would compute its pieces on (at
    most): 1 and the helpers it may start (a caller may cut its pieces smaller to keep
    the memory of one)."""
    return 1 + _HELPERS.get()


def each(fn: Callable, items: Iterable) -> list:
    """``[fn(x) for x in items]``, with pieces taken by any thread that calls :func:`join_in`
    meanwhile.

    Parameters
    ----------
    fn : callable
        Computes one piece; called from this thread or another, so it must only
        read shared state (or write to the part that is its own).
    items : iterable

    Returns
    -------
    list
        ``fn(x)`` for each item, in order.

    Examples
    --------
    >>> each(lambda x: x * x, range(4))
    [0, 1, 4, 9]
    """
    work = _Work(fn, list(items))
    with _lock:
        _open.append(work)
    started = []
    try:
        for _ in range(min(_HELPERS.get(), len(work.items) - 1)):
            thread = threading.Thread(target=work.work, name="socialkit-spare", daemon=True)
            thread.start()
            started.append(thread)
        work.work()
    finally:
        with _lock:
            _open.remove(work)  # no new taker; wait for pieces others are computing
            while work.running:
                work.done.wait()
        for thread in started:
            thread.join()
    if work.error is not None:
        raise work.error
    return work.results


def join_in() -> None:
    """Take pieces of the open :func:`each` calls of other threads until none is left."""
    while True:
        with _lock:
            work = next((w for w in _open if w.left()), None)
        if work is None:
            return
        work.work()
