"""The batch's worker processes: their environment, how they are killed, warm workers.

An isolated worker (``python -m socialkit.report.batch CLIENT_DIR …``) builds
one client; a warm worker (:class:`_Worker`, ``… --serve``) builds client
after client on one kernel (:mod:`socialkit.report.warm`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

#: Seconds between looks at a warm worker's result file.
_WAIT = 0.05


class _Worker:
    """A worker process that builds client after client on one warm kernel.

    Jobs go to its standard input as JSON lines; each result is a file it
    writes. Its output goes to a file (not a pipe, as for isolated workers).
    """

    def __init__(self, out, template, timeout, options):
        self.dir = Path(tempfile.mkdtemp(prefix="socialkit-worker-"))
        self.log = open(self.dir / "worker.log", "w+")  # noqa: SIM115 - closed in close()
        self.jobs = 0
        self.offset = 0
        cmd = [sys.executable, "-m", "socialkit.report.batch", "--serve", str(self.dir)]
        cmd += [str(out), str(template or ""), str(timeout or 0), json.dumps(options)]
        self.proc = subprocess.Popen(
            cmd,
            env=_worker_env(),
            stdin=subprocess.PIPE,
            stdout=self.log,
            stderr=self.log,
            text=True,
            start_new_session=True,  # its own process group
        )

    def submit(self, client_dir: Path) -> Path:
        self.jobs += 1
        result = self.dir / f"result-{self.jobs}.json"
        self.offset = self.log.seek(0, os.SEEK_END)
        try:
            self.proc.stdin.write(
                json.dumps({"client_dir": str(client_dir), "result": str(result)})
            )
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
        except OSError:  # it died; the caller sees its exit code
            pass
        return result

    def error(self, code: int) -> str:
        """What ended the worker during the current client."""
        if code < 0:
            return f"worker killed by signal {signal.Signals(-code).name}"
        self.log.seek(self.offset)
        tail = [ln for ln in self.log.read().strip().splitlines() if ln.strip()]
        return f"worker exited with {code}: {tail[-1] if tail else 'no message'}"

    def kill(self) -> None:
        """SIGKILL the worker and its kernel (also a kernel the dead worker left behind)."""
        import psutil

        if self.proc.poll() is None:
            _kill_tree(self.proc)
        if self.proc.wait() == 0:  # it ended on its own and shut its kernel down
            self._remove()
            return
        try:
            pid = int((self.dir / "kernel.pid").read_text() or 0)
            if pid and "ipykernel" in " ".join(psutil.Process(pid).cmdline()):
                psutil.Process(pid).kill()
        except (OSError, ValueError, psutil.Error):
            pass
        self._remove()

    def end_input(self) -> None:
        """Tell the worker no client follows: it shuts its kernel down and exits."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()

    def close(self, wait: float = 15) -> None:
        """End of input: the worker shuts its kernel down and exits (killed if it does not)."""
        if self.proc.poll() is None:
            self.end_input()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=wait)
        self.kill()

    def _remove(self) -> None:
        import shutil

        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def skip_unused_imports() -> None:
    """Keep a batch worker from importing what it never uses (call before ``nbformat``).

    ``jsonschema``, which ``nbformat`` imports to validate notebooks, imports
    ``rfc3987_syntax`` when it is installed (Jupyter's own packages pull it in), and
    that import builds a grammar: 0.8 s of every worker's start. It serves only the
    ``iri`` formats of a format checker; notebook validation uses no format checker,
    so the worker marks the module as absent and ``jsonschema`` goes without it.
    Only our own worker processes call this (it changes what the process can import).
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def _worker_env() -> dict:
    """One thread per native library in each worker (unless the user set it): the batch
    already runs one client per core, and spinning OpenMP threads on a busy core slow a
    client down by up to 100x."""
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


def _kill_tree(proc: subprocess.Popen) -> None:
    """SIGKILL a worker's process group and every process the worker started.

    jupyter_client starts each kernel in a session of its own, so killing the
    worker's group alone orphans its kernel. A kernel orphaned before it starts
    polling for its parent never notices (under a subreaper, as in many CI and
    container supervisors) and lives on; so the worker's descendants are listed
    while it is frozen, then killed by pid.
    """
    import psutil

    try:
        os.killpg(proc.pid, signal.SIGSTOP)  # nothing new is started while we look
        kids = psutil.Process(proc.pid).children(recursive=True)
    except (ProcessLookupError, PermissionError, psutil.Error):
        kids = []
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for kid in kids:
        try:
            kid.kill()
        except psutil.Error:
            pass
