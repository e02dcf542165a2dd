"""The monthly batch: one report per client, isolated, resumable, locally or on Dask.

Locally, ``jobs`` worker processes (``python -m socialkit.report.batch``,
which runs :func:`socialkit.report.build_report`), each in a new process
group, build the reports. Each worker keeps one warm kernel and clears it
between clients (:mod:`socialkit.report.warm`); with ``isolate=True``
(``--isolate``) every client gets a process and a kernel of its own. A client
that runs past ``timeout`` seconds is stopped with its worker and kernel and
marked ``timed-out``; a worker that dies (killed, out of memory) is marked
``failed`` with the signal; neither stops the others, and the next client
gets a new worker. Built in parallel, clients are handed out largest first (by
the bytes in their folder), so that a batch does not end on one large client
while the other workers idle; one at a time, in the order given. Results and the
index keep the input order. SIGTERM or Ctrl-C stops the running clients, writes
the index of what is done and raises :class:`Interrupted`; as every file is
written atomically, a re-run redoes only what is failed, missing or changed
(unchanged clients are skipped by input hash before any process starts).

With ``scheduler="tcp://host:8786"`` the same per-client jobs go to a Dask
``distributed`` cluster (``pip install 'socialkit[cluster]'``). The workers
must see the client folders and the output folder at the same paths (shared
storage): each writes its client's files there; the results come back to
this process, which writes ``index.html`` and ``summary.csv``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from socialkit.paths import safe_child
from socialkit.report.build import atomic_write, build_report, clean_partial
from socialkit.report.inputs import skip_result
from socialkit.report.workers import _WAIT, _kill_tree, _Worker, _worker_env, skip_unused_imports

__all__ = ["build_reports", "Interrupted", "write_summary", "read_client_list"]


class Interrupted(RuntimeError):
    """The batch was stopped by SIGTERM or Ctrl-C (the index lists what was done)."""


def read_client_list(path) -> list[Path]:
    """Client folders listed in a YAML file (``clients: [path, …]`` or a bare list).

    Relative paths are taken from the YAML file's folder.
    """
    import yaml

    path = Path(path)
    data = yaml.safe_load(path.read_text("utf-8"))
    items = data.get("clients") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(
            f"{path}: expected a list of client folders, as `clients: [path, …]` or a bare "
            f"YAML list of paths; found {type(items).__name__}."
        )
    return [(path.parent / i).resolve() for i in items]


def _failed(client_dir: Path, out, status: str, error: str, seconds: float) -> dict:
    dest = safe_child(out, client_dir.name)
    clean_partial(dest)
    result = {
        "client": client_dir.name,
        "slug": dest.name,
        "client_dir": str(client_dir),
        "status": status,
        "error": error,
        "seconds": round(seconds, 2),
    }
    atomic_write(dest / "run.json", json.dumps(result, indent=2))
    return result


#: Seconds between the batch's checks for a stop signal while clients run.
_POLL = 0.2


class _Runner:
    """Runs client jobs as process groups and can stop them all at once.

    By default each pool thread keeps one worker process with a warm kernel
    (:mod:`socialkit.report.warm`) and sends it client after client; with
    ``isolate=True`` every client gets a new process and a new kernel.
    """

    def __init__(self, out, template, timeout, options=None, isolate=False, clients=None):
        self.out, self.template, self.timeout = Path(out), template, timeout
        self.options = options or {}
        self.isolate = isolate
        #: clients not yet started (None: not known); at 0 a warm worker that has handed
        #: in its result is told to end, shutting its kernel down while others still run
        self.unstarted = clients
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen] = set()
        self.stopping = False
        self.local = threading.local()
        self.workers: list[_Worker] = []

    def stop(self, *_):
        with self.lock:
            self.stopping = True
            for proc in self.running:
                _kill_tree(proc)

    def close(self) -> None:
        """End every warm worker (each shuts its kernel down) and remove its files."""
        for worker in self.workers:  # all told first: they shut their kernels down together
            worker.end_input()
        for worker in self.workers:
            worker.close()
        self.workers.clear()

    def run(self, client_dir: Path) -> dict:
        if self.isolate:
            return self._run_isolated(client_dir)
        return self._run_warm(client_dir)

    def _run_warm(self, client_dir: Path) -> dict:
        not_run = {"client": client_dir.name, "status": "not-run", "error": "interrupted"}
        started = time.perf_counter()
        with self.lock:  # checked under the lock, as in _run_isolated
            if self.stopping:
                return not_run
            if self.unstarted is not None:
                self.unstarted -= 1
            worker = getattr(self.local, "worker", None)
            if worker is None or worker.proc.poll() is not None:
                if worker is not None:
                    self._discard(worker)
                worker = self.local.worker = _Worker(
                    self.out, self.template, self.timeout, self.options
                )
                self.workers.append(worker)
                self.running.add(worker.proc)
        result_path = worker.submit(client_dir)
        while True:
            if result_path.is_file():
                if self.unstarted == 0:  # no client left for this worker
                    worker.end_input()
                return json.loads(result_path.read_text("utf-8"))
            code = worker.proc.poll()
            seconds = time.perf_counter() - started
            if self.stopping:
                self._discard(worker)
                clean_partial(safe_child(self.out, client_dir.name))
                return not_run
            if code is not None:
                if result_path.is_file():  # written just before the worker ended
                    continue
                error = worker.error(code)
                self._discard(worker)
                return _failed(client_dir, self.out, "failed", error[:300], seconds)
            if self.timeout and seconds > self.timeout:
                self._discard(worker)
                return _failed(
                    client_dir,
                    self.out,
                    "timed-out",
                    f"stopped after {self.timeout:g} s (--timeout)",
                    seconds,
                )
            time.sleep(_WAIT)

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker with its kernel; the thread's next client starts a new one."""
        worker.kill()
        with self.lock:
            self.running.discard(worker.proc)
        if getattr(self.local, "worker", None) is worker:
            self.local.worker = None

    def _run_isolated(self, client_dir: Path) -> dict:
        not_run = {"client": client_dir.name, "status": "not-run", "error": "interrupted"}
        cmd = [sys.executable, "-m", "socialkit.report.batch", str(client_dir), str(self.out)]
        cmd += [str(self.template or ""), str(self.timeout or 0), json.dumps(self.options)]
        started = time.perf_counter()
        # Output goes to files, not pipes: a pipe stays open while any process holding it
        # lives (an orphaned kernel would), and reading it to its end would hang the batch.
        with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
            with self.lock:
                # checked under the lock: a stop() between a check outside it and the start
                # would miss this worker, which would then run to its end
                if self.stopping:
                    return not_run
                proc = subprocess.Popen(
                    cmd,
                    env=_worker_env(),
                    stdout=out_f,
                    stderr=err_f,
                    start_new_session=True,  # its own process group
                )
                self.running.add(proc)
            try:
                proc.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                _kill_tree(proc)
                proc.wait()
                return _failed(
                    client_dir,
                    self.out,
                    "timed-out",
                    f"stopped after {self.timeout:g} s (--timeout)",
                    time.perf_counter() - started,
                )
            finally:
                with self.lock:
                    self.running.discard(proc)
            seconds = time.perf_counter() - started
            if self.stopping:
                clean_partial(safe_child(self.out, client_dir.name))
                return not_run
            out_f.seek(0)
            err_f.seek(0)
            stdout, stderr = out_f.read(), err_f.read()
        lines = stdout.strip().splitlines()
        if proc.returncode == 0 and lines:
            return json.loads(lines[-1])
        if proc.returncode < 0:
            error = f"worker killed by signal {signal.Signals(-proc.returncode).name}"
        else:
            tail = [ln for ln in stderr.strip().splitlines() if ln.strip()]
            error = f"worker exited with {proc.returncode}: {tail[-1] if tail else 'no message'}"
        return _failed(client_dir, self.out, "failed", error[:300], seconds)


def _on_dask(dirs, out, template, timeout, scheduler, progress, options=None) -> dict[int, dict]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:
        raise RuntimeError(
            "--scheduler needs Dask distributed, which is not installed: "
            "pip install 'socialkit[cluster]' (or 'dask[distributed]')."
        ) from exc
    results: dict[int, dict] = {}
    with Client(scheduler) as client:
        futures = {
            client.submit(
                build_report,
                str(d),
                str(Path(out).resolve()),
                template=template,
                force=True,  # unchanged clients were skipped before submitting
                timeout=timeout,
                options=options,
                key=f"socialkit-report-{i}-{d.name}",
                pure=False,
            ): i
            for i, d in enumerate(dirs)
        }
        for fut in dask_completed(futures):
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as exc:  # e.g. KilledWorker after the cluster's retries
                results[i] = _failed(
                    dirs[i], out, "failed", f"{type(exc).__name__}: {exc}"[:300], 0.0
                )
            if progress:
                progress(len(results), len(dirs), results[i])
    return results


def build_reports(
    client_dirs,
    out,
    *,
    jobs: int | None = None,
    force: bool = False,
    timeout: float | None = 600,
    template=None,
    progress=None,
    scheduler: str | None = None,
    options: dict | None = None,
    isolate: bool = False,
) -> list[dict]:
    """Build reports for many clients; write ``<out>/index.html`` and ``summary.csv``.

    Parameters
    ----------
    client_dirs : list of path
    out : path
        Output folder.
    jobs : int, optional
        Clients built at once on this machine (default: the number of CPUs).
    force : bool
        Rebuild clients whose inputs are unchanged.
    timeout : float, optional
        Seconds one client may take in all (``None``: no limit); past it the
        client is stopped and marked ``timed-out``. On Dask it limits each
        notebook cell.
    template : path, optional
        Report notebook (default: :data:`socialkit.report.TEMPLATE`).
    progress : callable, optional
        ``progress(done, total, result)`` after each client.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``).
    options : dict, optional
        Report options (:data:`socialkit.report.inputs.REPORT_OPTIONS`: period,
        date_from, date_to, brand, paper, pdf), the same for every client.
    isolate : bool
        A new process and kernel for every client. By default each of the
        ``jobs`` workers keeps one kernel and clears it between clients
        (:mod:`socialkit.report.warm`); a client that fails or hangs still
        leaves the next one a new kernel.

    Returns
    -------
    list of dict
        One ``run.json`` dict per client, in input order.

    Raises
    ------
    Interrupted
        On SIGTERM or Ctrl-C, after writing the index of what was done.
    """
    from socialkit.report.index import merge_runs, write_index

    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer; got {jobs!r}.")
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds or None; got {timeout!r}.")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    dirs = [Path(d).resolve() for d in client_dirs]
    _check_slugs(dirs)
    results: dict[int, dict] = {}
    todo = []
    for i, d in enumerate(dirs):
        # an unchanged client (its client.yaml included) read its profile fine last time:
        # only the others have it read again
        result = None if force else skip_result(d, out, template, options=options)
        if result is None:
            unreadable = _profile_error(d)
            if unreadable is None:
                todo.append(i)
                continue
            # fails this client only, before a kernel is started
            result = _failed(d, out, "failed", unreadable, 0.0)
        results[i] = result
        if progress:
            progress(len(results), len(dirs), result)
    interrupted = False
    if scheduler or jobs > 1:  # one at a time, the order changes nothing but the log's
        todo = _largest_first(dirs, todo)
    if scheduler and todo:
        skipped = len(results)

        def relay(done, total, result):
            if progress:
                progress(skipped + done, len(dirs), result)

        done = _on_dask([dirs[i] for i in todo], out, template, timeout, scheduler, relay, options)
        results.update({i: done[k] for k, i in enumerate(todo)})
    elif todo:
        runner = _Runner(out, template, timeout, options, isolate=isolate, clients=len(todo))
        handlers = _trap(runner.stop)
        try:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(runner.run, dirs[i]): i for i in todo}
                pending = set(futures)
                while pending:
                    # wake up now and then: a SIGTERM delivered to a worker thread runs its
                    # handler only when the main thread next runs Python code, and a wait
                    # without a timeout would hold it until a client finishes
                    done, pending = wait(pending, timeout=_POLL, return_when=FIRST_COMPLETED)
                    for fut in sorted(done, key=futures.get):
                        i = futures[fut]
                        results[i] = fut.result()
                        if progress and results[i]["status"] != "not-run":
                            progress(len(results), len(dirs), results[i])
        finally:
            runner.close()
            _untrap(handlers)
        interrupted = runner.stopping
    ordered = [results[i] for i in range(len(dirs)) if results[i]["status"] != "not-run"]
    listed = merge_runs(out, ordered)  # earlier runs' clients stay listed
    write_index(out, listed)
    write_summary(out, listed)
    if interrupted:
        raise Interrupted(
            f"stopped after {len(ordered)} of {len(dirs)} client(s); run the same command "
            "again to build the rest"
        )
    return [results[i] for i in range(len(dirs))]


def _largest_first(dirs: list[Path], todo: list[int]) -> list[int]:
    """``todo`` (indices into ``dirs``) with the clients holding the most bytes first.

    A report's time grows with its client's data, and a pool that hands the
    largest clients out first ends with small ones, so no worker is left
    building one large client while the others idle (longest processing time
    first). Clients of the same size keep their input order; a folder that
    cannot be listed counts as empty (its run reports why).
    """
    from socialkit.paths import folder_files

    def size(i: int) -> int:
        try:
            files, _ = folder_files(dirs[i], hidden=True, follow_symlinks=False)
            return sum(p.lstat().st_size for p in files)
        except OSError:
            return 0

    sizes = {i: size(i) for i in todo}
    return sorted(todo, key=lambda i: -sizes[i])


def _profile_error(client_dir: Path) -> str | None:
    """Why the client's client.yaml cannot be used (missing, a link, invalid), or ``None``."""
    from socialkit.paths import printable
    from socialkit.profile import read_profile

    try:
        read_profile(client_dir / "client.yaml", folder=client_dir)
    except (ValueError, OSError, MemoryError, RecursionError) as exc:
        return printable(str(exc) or type(exc).__name__, 300)
    return None


def _check_slugs(dirs) -> None:
    seen: dict[str, Path] = {}
    for d in dirs:
        slug = safe_child(".", d.name).name
        if slug in seen and seen[slug] != d:
            raise ValueError(
                f"{seen[slug]} and {d} would both write reports/{slug}/; rename one folder."
            )
        seen[slug] = d


def _trap(stop) -> dict:
    """Route SIGTERM and SIGINT to ``stop`` (main thread only); returns the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        old[sig] = signal.signal(sig, stop)
    return old


def _untrap(old: dict) -> None:
    for sig, handler in old.items():
        signal.signal(sig, handler)


def write_summary(out, results: list[dict]) -> Path:
    """``<out>/summary.csv``: one row per client × check (status, severity, title, message).

    Clients without findings (failed, timed out) get one row with their status
    and error. Cells are safe to open in a spreadsheet (:mod:`socialkit.safecsv`).
    """
    from socialkit.safecsv import write_csv

    header = ["client", "slug", "run_status", "check", "status", "severity", "title", "message"]
    out_rows = []
    for r in results:
        findings = Path(out) / str(r.get("slug", "")) / "findings.json"
        rows = []
        if r.get("status") in ("ok", "skipped-unchanged") and findings.is_file():
            rows = json.loads(findings.read_text("utf-8")).get("findings", [])
        for f in rows:
            out_rows.append(
                [r.get("client"), r.get("slug"), r["status"], f["check"], f["status"],
                 f["severity"], f["title"], f["message"]]
            )  # fmt: skip
        if not rows:
            out_rows.append(
                [r.get("client"), r.get("slug"), r["status"], "", "", "", "", r.get("error")]
            )
    path = Path(out) / "summary.csv"
    write_csv(header, out_rows, path)
    return path


def _worker_main(argv) -> int:
    """``python -m socialkit.report.batch CLIENT_DIR OUT TEMPLATE TIMEOUT [OPTIONS_JSON]``.

    With ``--serve WORKDIR OUT TEMPLATE TIMEOUT OPTIONS_JSON`` it is a warm
    worker reading client folders from its input (:func:`socialkit.report.warm.serve`).
    """
    skip_unused_imports()
    if argv[:1] == ["--serve"]:
        from socialkit.report.warm import serve

        workdir, out, template, timeout, options = argv[1:6]
        return serve(workdir, out, template, float(timeout) or None, json.loads(options))
    client_dir, out, template, timeout = argv[:4]
    options = json.loads(argv[4]) if len(argv) > 4 else None
    result = build_report(
        client_dir,
        out,
        template=template or None,
        force=True,
        timeout=float(timeout) or None,
        options=options,
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
