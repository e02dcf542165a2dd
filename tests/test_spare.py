"""Work shared with a spare thread (socialkit._spare) and results computed once for two threads."""

from __future__ import annotations

import threading
import time

import pyarrow as pa
import pytest

from socialkit import _spare
from socialkit.metrics import _arrow


def _in_thread(fn):
    """Run ``fn`` on a new thread; returns (thread, box with its result or error)."""
    box = {}

    def run():
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def _wait_open():
    deadline = time.monotonic() + 10
    while not _spare._open and time.monotonic() < deadline:
        time.sleep(0.001)


def _two_threads(value, broken: bool = False):
    """A piece function that needs two threads, and the thread that computed each piece:
    piece 0 waits until another thread has done piece 1 (which raises when ``broken``);
    the others return ``value(x)``."""
    second = threading.Event()
    who = {}

    def piece(x):
        who[x] = threading.get_ident()
        if x == 0:
            second.wait(timeout=10)
        if x == 1:
            second.set()
            if broken:
                raise ValueError("piece 1 is broken")
        return value(x)

    return piece, who


def test_a_spare_thread_takes_pieces_and_the_results_keep_their_order():
    piece, who = _two_threads(lambda x: x * x)
    thread, box = _in_thread(lambda: _spare.each(piece, range(12)))
    _wait_open()
    _spare.join_in()
    thread.join()
    assert box["result"] == [x * x for x in range(12)]
    assert who[1] == threading.get_ident() != who[0]  # piece 1 was this thread's
    assert not _spare._open


def test_an_error_in_a_piece_taken_by_the_spare_thread_is_raised_by_the_owner():
    piece, who = _two_threads(lambda x: x, broken=True)
    thread, box = _in_thread(lambda: _spare.each(piece, range(4)))
    _wait_open()
    _spare.join_in()
    thread.join()
    assert isinstance(box.get("error"), ValueError)
    assert who[1] == threading.get_ident() != who[0]
    assert not _spare._open


def test_helpers_take_pieces_of_each_and_only_on_the_thread_that_asked():
    piece, who = _two_threads(lambda x: -x)
    with _spare.helpers(1):
        assert _spare.threads() == 2
        assert _spare.each(piece, range(8)) == [-x for x in range(8)]
        seen = []
        thread = threading.Thread(target=lambda: seen.append(_spare.threads()))
        thread.start()
        thread.join()
    assert who[0] != who[1] and threading.get_ident() in (who[0], who[1])
    assert seen == [1] and _spare.threads() == 1  # a new thread, and after the block
    assert not _spare._open
    assert not [t for t in threading.enumerate() if t.name == "socialkit-spare"]


def test_each_alone_and_join_in_with_nothing_open():
    _spare.join_in()  # returns at once
    assert _spare.each(str, [3, 1]) == ["3", "1"]
    with pytest.raises(ZeroDivisionError):
        _spare.each(lambda x: 1 / x, [1, 0, 2])
    assert not _spare._open


def test_two_threads_asking_for_the_same_result_compute_it_once():
    texts = pa.array(["a", "b", "a"])
    calls = []

    def compute():
        calls.append(threading.get_ident())
        time.sleep(0.2)
        return object()

    first, box = _in_thread(lambda: _arrow.once(texts, "test-once", compute))
    while not calls:
        time.sleep(0.001)
    mine = _arrow.once(texts, "test-once", compute)  # asked while the first computes
    first.join()
    assert len(calls) == 1 and mine is box["result"]
