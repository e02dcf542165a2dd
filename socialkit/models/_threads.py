"""Run model code on one thread per native library."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def one_thread():
    """Limit OpenMP and BLAS to one thread for the duration (also usable as a decorator).

    The models here fit a few thousand rows, where threads barely pay off
    (5,000 posts: 6.1 s on 2 threads, 6.4 s on 1), while OpenMP's spinning
    threads slow down by up to 100x when another process already uses the
    cores — the report batch runs one client per core. The libraries are
    imported first: ``threadpool_limits`` only reaches runtimes already loaded.
    """
    import sklearn.ensemble  # noqa: F401  (loads scikit-learn's OpenMP runtime)
    import sklearn.svm  # noqa: F401
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield
