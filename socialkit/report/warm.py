"""Warm kernels for the report batch: one kernel runs client after client.

Most of a fresh report is a new kernel importing pandas, scikit-learn and
matplotlib. A batch worker (``python -m socialkit.report.batch --serve``)
therefore keeps one kernel and, before each client, clears it back to the
state of a fresh one: the user namespace is reset (``%reset -f``), figures
are closed, matplotlib's rcParams, pandas options, warning filters,
``os.environ``, ``sys.path`` and the global random states are restored to
what they were when the kernel started, and the working directory is set to
the client's output folder (as papermill does for a new kernel). Imported
modules, and the pure caches inside them, stay loaded: that is the saving.

A client that does not end ok (a cell error, a cell past its timeout, a kernel that
died) has its kernel shut down; the next client gets a new one. The worker
also starts a new kernel after :data:`MAX_CLIENTS` clients, which bounds
what a long batch can accumulate. A client that hangs past the batch's
``--timeout`` is stopped by the batch with the whole worker (kernel
included), and the next client gets a new worker.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

#: Clients one kernel runs before it is replaced by a new one.
MAX_CLIENTS = 50

_SNAPSHOT: dict = {}


# --- run inside the kernel ------------------------------------------------------------------


def warm_up() -> None:
    """Import the report's heavy modules and remember the state :func:`clean` restores."""
    import random
    import warnings

    import matplotlib
    import matplotlib.pyplot  # noqa: F401  (the inline backend, as a notebook gets it)
    import numpy as np
    import pandas  # noqa: F401

    import socialkit.report.build  # noqa: F401
    import socialkit.report.view  # noqa: F401

    _SNAPSHOT.update(
        rc=dict(matplotlib.rcParams),
        environ=dict(os.environ),
        path=list(sys.path),
        filters=list(warnings.filters),
        np_random=np.random.get_state(),  # noqa: NPY002 - the legacy global state
        random=random.getstate(),
    )


def clean(cwd) -> None:
    """Put the kernel's process state back to how :func:`warm_up` found it; cd to ``cwd``."""
    import gc
    import random
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.clear()
        matplotlib.rcParams.update(_SNAPSHOT["rc"])
        pd.reset_option("all")
    warnings.filters[:] = _SNAPSHOT["filters"]
    os.environ.clear()
    os.environ.update(_SNAPSHOT["environ"])
    sys.path[:] = _SNAPSHOT["path"]
    np.random.set_state(_SNAPSHOT["np_random"])  # noqa: NPY002 - a notebook may seed it
    random.setstate(_SNAPSHOT["random"])
    os.chdir(cwd)
    gc.collect()


_WARM_UP = "import socialkit.report.warm as _skw\n_skw.warm_up()\ndel _skw"
# %reset -f empties the user namespace (globals, imports, Out history); modules stay imported
_CLEAN = "%reset -f\nimport socialkit.report.warm as _skw\n_skw.clean({cwd!r})\ndel _skw"


# --- run in the batch worker ------------------------------------------------------------------


class WarmKernel:
    """One kernel of this environment, reused by :func:`socialkit.report.build.execute_notebook`.

    Parameters
    ----------
    workdir : path
        Folder for the kernel's IPC sockets (and its first working directory).
    """

    def __init__(self, workdir):
        from jupyter_core.utils import run_sync

        from socialkit.report.build import _kernel_name, _local_kernel_manager

        self.workdir = Path(workdir)
        self.clients = 0
        self.km = _local_kernel_manager()(kernel_name=_kernel_name())
        self.km.ip = str(self.workdir / "kernel-ipc")  # absolute: papermill changes the cwd
        run_sync(self.km.start_kernel)(cwd=str(self.workdir))
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            run_sync(self.kc.wait_for_ready)(timeout=60)
            self.run(_WARM_UP)
        except BaseException:
            self.shutdown()
            raise
        self.kc.allow_stdin = False

    @property
    def pid(self) -> int | None:
        """The kernel's process id (``None`` when it is not running)."""
        proc = getattr(self.km, "provisioner", None)
        proc = getattr(proc, "process", None)
        return getattr(proc, "pid", None)

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def run(self, code: str, timeout: float = 60) -> None:
        """Execute ``code`` silently; raise ``RuntimeError`` if it fails."""
        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc.execute_interactive)(
            code, silent=False, store_history=False, timeout=timeout, output_hook=lambda m: None
        )
        if reply["content"].get("status") != "ok":
            content = reply["content"]
            raise RuntimeError(
                f"the warm kernel could not be prepared: {content.get('ename')}: "
                f"{content.get('evalue')}"
            )

    def prepare(self, cwd) -> None:
        """Clear the kernel for the next client, with ``cwd`` as its working directory."""
        self.clients += 1
        self.run(_CLEAN.format(cwd=str(cwd)))

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            self.kc.stop_channels()
        except Exception:  # noqa: BLE001 - the kernel may be gone already
            pass
        try:
            if run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            run_sync(self.km.cleanup_resources)()


def _engine():
    """A papermill engine that runs the notebook on a :class:`WarmKernel` it is given."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, log_output=False, execution_timeout=None, **kwargs
        ):
            warm = kwargs["warm_kernel"]
            client = PapermillNotebookClient(
                nb_man,
                km=warm.km,
                timeout=execution_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
            )
            client.kc = warm.kc  # the kernel's one client: no new channels per notebook
            return client.execute()

    papermill_engines.register("socialkit-warm", WarmEngine)
    return "socialkit-warm"


def serve(workdir, out, template, timeout, options) -> int:
    """The batch worker's loop: one JSON job per stdin line, each client on the warm kernel.

    A job is ``{"client_dir": …, "result": path}``; the client's ``run.json``
    dict is written to ``result`` (atomically). The loop ends at end of input.
    ``workdir`` holds the kernel's sockets and ``kernel.pid`` (the batch kills
    that process if this worker dies without shutting its kernel down).
    """
    from socialkit.report.build import atomic_write, build_report

    workdir = Path(workdir)
    kernel = None
    try:
        for line in sys.stdin:
            job = json.loads(line)
            if kernel is not None and not kernel.alive():
                kernel.shutdown()
                kernel = None
            if kernel is None:
                try:
                    kernel = WarmKernel(workdir)
                except Exception:  # noqa: BLE001 - reported by this client's result
                    kernel = None
                (workdir / "kernel.pid").write_text(str(kernel.pid if kernel else ""))
            result = build_report(
                job["client_dir"],
                out,
                template=template or None,
                force=True,
                timeout=timeout,
                options=options,
                kernel=kernel,
            )
            atomic_write(job["result"], json.dumps(result))
            if kernel is not None and (result["status"] != "ok" or kernel.clients >= MAX_CLIENTS):
                kernel.shutdown()  # the next client gets a clean kernel
                kernel = None
    finally:
        if kernel is not None:
            kernel.shutdown()
    return 0
