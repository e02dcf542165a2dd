"""The batch under faults: timeouts, killed workers, SIGTERM, atomic writes, Dask."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from socialkit.report import TEMPLATE, atomic_write
from socialkit.report.batch import build_reports, read_client_list

# Inserted after the report template's parameters: a marker file in the client folder
# decides its fault (removing the marker is a change of the client's inputs).
FAULTS = """import os, pathlib, time
_d = pathlib.Path(client_dir)
if (_d / "fault-sleep").exists():
    time.sleep(120)
if (_d / "fault-kill").exists():
    os.kill(os.getppid(), 9)  # the kernel's parent is the client's worker process
if (_d / "fault-pause").exists():
    time.sleep(float((_d / "fault-pause").read_text() or 2))"""


@pytest.fixture(scope="module")
def fault_template(tmp_path_factory):
    nb = nbformat.read(TEMPLATE, as_version=4)
    i = next(k for k, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(FAULTS))
    path = tmp_path_factory.mktemp("template") / "client_report.ipynb"
    nbformat.write(nb, path)
    return path


def clients(demo_dir, root: Path, names, fault=None) -> list[Path]:
    out = []
    for name in names:
        shutil.copytree(demo_dir / "harbour-bakery", root / name)
        out.append(root / name)
        kind = fault or {"killed": "kill", "slow": "sleep"}.get(name)
        if kind:
            (root / name / f"fault-{kind}").write_text("")
    return out


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp") or ".run-" in str(p)]


def test_timeout_and_killed_worker_do_not_stop_the_batch_and_a_rerun_finishes(
    demo_dir, tmp_path, fault_template
):
    dirs = clients(demo_dir, tmp_path / "c", ["healthy", "killed", "slow"])
    out = tmp_path / "out"
    started = time.monotonic()
    # a healthy report alone takes 15-20 s on a 2-core machine, here beside two others:
    # the timeout leaves it room, and is still far below the sleeper's 120 s
    results = build_reports(dirs, out, jobs=3, timeout=45, template=fault_template)
    assert time.monotonic() - started < 100  # the sleeper was stopped, not waited for
    status = {Path(r["client_dir"]).name: (r["status"], r.get("error")) for r in results}
    assert status["healthy"] == ("ok", None)
    assert status["killed"] == ("failed", "worker killed by signal SIGKILL")
    assert status["slow"] == ("timed-out", "stopped after 45 s (--timeout)")
    index = (out / "index.html").read_text()
    assert "timed out" in index and "worker killed by signal SIGKILL" in index
    for slug in ("killed", "slow"):
        assert json.loads((out / slug / "run.json").read_text())["status"] != "ok"
    assert no_temp_files(out)
    for d in dirs:  # the faults are fixed: only those two clients' inputs change
        for marker in d.glob("fault-*"):
            marker.unlink()
    again = build_reports(dirs, out, jobs=2, timeout=120, template=fault_template)
    assert [r["status"] for r in again] == ["skipped-unchanged", "ok", "ok"]
    rows = list(csv.DictReader((out / "summary.csv").open()))
    assert {r["slug"] for r in rows} == {"healthy", "killed", "slow"}
    assert len(rows) == 3 * 25 and {r["run_status"] for r in rows} == {"ok", "skipped-unchanged"}


def test_sigterm_stops_the_batch_cleanly_and_the_rerun_completes(
    demo_dir, tmp_path, fault_template
):
    dirs = clients(demo_dir, tmp_path / "c", ["pause1", "pause2", "pause3"], fault="pause")
    for d in dirs[1:]:  # still running when the signal comes, however slow the machine
        (d / "fault-pause").write_text("60")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "socialkit", "report", *map(str, dirs), "--out", str(out)]
    cmd += ["--template", str(fault_template)]
    proc = subprocess.Popen([*cmd, "--jobs", "1"], stderr=subprocess.PIPE, text=True)
    first = proc.stderr.readline()  # "[1/3] pause1 ok …": one client is done
    assert "[1/3]" in first and " ok " in first
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "interrupted" in err
    index = (out / "index.html").read_text()
    assert "pause1" in index and "pause3" not in index
    assert no_temp_files(out)
    for d in dirs[1:]:
        (d / "fault-pause").unlink()
    rerun = subprocess.run([*cmd, "--jobs", "2"], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "pause1 skipped-unchanged" in rerun.stderr
    assert rerun.stderr.count(" ok (") == 2


# The kernel may deliver a process's SIGTERM to any of its threads; Python runs the handler
# in the main thread only when that thread next runs Python code.
SIGTERM_ON_A_THREAD = """
import signal, sys, threading, time
from pathlib import Path
from socialkit.report.batch import Interrupted, build_reports
def late_signal():  # once the main thread waits again: from a thread of our own
    time.sleep(3)
    signal.pthread_kill(threading.get_ident(), signal.SIGTERM)
def progress(done, total, result):
    if done == 1:  # one client built
        threading.Thread(target=late_signal).start()
try:
    build_reports([Path(p) for p in sys.argv[3:]], sys.argv[1], template=sys.argv[2],
                  jobs=1, progress=progress)
except Interrupted:
    sys.exit(143)
"""


def test_sigterm_delivered_to_a_thread_stops_the_running_client(demo_dir, tmp_path, fault_template):
    dirs = clients(demo_dir, tmp_path / "c", ["first", "long"], fault="pause")
    (dirs[1] / "fault-pause").write_text("120")  # would run two minutes if not stopped
    args = [str(tmp_path / "out"), str(fault_template), *map(str, dirs)]
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", SIGTERM_ON_A_THREAD, *args], capture_output=True, timeout=110
    )
    assert done.returncode == 143, done.stderr[-500:]
    assert time.perf_counter() - t < 100  # the 120 s client was stopped, not waited for


# Run in a child process that is a subreaper, as CI and container supervisors often are:
# a kernel orphaned there before it polls for its parent is never told to exit.
STOP_DURING_KERNEL_START = """
import ctypes, sys, threading, time, psutil
from pathlib import Path
from socialkit.report.batch import _Runner
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
runner = _Runner(Path(sys.argv[2]), sys.argv[3], None)
result = {}
thread = threading.Thread(target=lambda: result.update(runner.run(Path(sys.argv[1]))))
thread.start()
kernel = None
while kernel is None:  # stop the moment the worker has started its kernel
    procs = list(runner.running)
    for kid in (psutil.Process(procs[0].pid).children() if procs else []):
        if "ipykernel" in " ".join(kid.cmdline()):
            kernel = kid
    time.sleep(0.01)
runner.stop()
thread.join(30)
try:
    kernel.wait(10)  # reaps it: killed, it is this subreaper's zombie
    gone = True
except psutil.TimeoutExpired:
    gone = False
    kernel.kill()
print(thread.is_alive(), result.get("status"), gone)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_CHILD_SUBREAPER is Linux-only")
def test_stopping_a_worker_while_its_kernel_starts_kills_the_kernel_and_returns(
    demo_dir, tmp_path, fault_template
):
    (d,) = clients(demo_dir, tmp_path / "c", ["starting"], fault="pause")
    (d / "fault-pause").write_text("60")
    cmd = [sys.executable, "-c", STOP_DURING_KERNEL_START, str(d), str(tmp_path / "out")]
    done = subprocess.run([*cmd, str(fault_template)], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "not-run", "True"], done.stderr


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "run.json"
    atomic_write(target, '{"status": "ok"}')

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        atomic_write(target, '{"status": "half-writ')
    assert target.read_text() == '{"status": "ok"}'
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_client_list_file_and_colliding_slugs(demo_dir, tmp_path):
    (tmp_path / "a").mkdir()
    listing = tmp_path / "clients.yaml"
    listing.write_text("clients:\n  - a\n  - ../elsewhere/b\n")
    assert read_client_list(listing) == [tmp_path / "a", (tmp_path.parent / "elsewhere/b")]
    listing.write_text("clients: 3\n")
    with pytest.raises(ValueError, match="expected a list of client folders"):
        read_client_list(listing)
    one, two = tmp_path / "x" / "Café", tmp_path / "y" / "cafe"
    with pytest.raises(ValueError, match="would both write"):
        build_reports([one, two], tmp_path / "out")


def test_dask_local_cluster_gives_the_same_reports_as_the_local_run(demo_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    dirs = clients(demo_dir, tmp_path / "c", ["one", "two"])
    local = build_reports(dirs, tmp_path / "local", jobs=2)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = build_reports(dirs, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert [r["status"] for r in local] == [r["status"] for r in remote] == ["ok", "ok"]
    for d in dirs:
        a = json.loads((tmp_path / "local" / d.name / "findings.json").read_text())
        b = json.loads((tmp_path / "dask" / d.name / "findings.json").read_text())
        assert a == b
    assert (tmp_path / "dask" / "index.html").is_file()
    assert (tmp_path / "dask" / "summary.csv").is_file()


def test_parameters_with_quotes_and_newlines_cannot_inject_code(demo_dir, tmp_path):
    from socialkit.report import build_report, read_records

    marker = tmp_path / "pwned"
    name = f"evil\"\n'\\\nopen({str(marker)!r}, 'w').write('x')  # \""
    (tmp_path / "c").mkdir()
    d = tmp_path / "c" / name
    shutil.copytree(demo_dir / "harbour-bakery", d)
    result = build_report(d, tmp_path / "out")
    assert result["status"] == "ok", result.get("error")
    assert not marker.exists()  # the folder name stayed a string
    nb = nbformat.read(tmp_path / "out" / result["slug"] / "report.ipynb", as_version=4)
    assert read_records(nb)["client"] == "Harbour Bakery"
    assert (tmp_path / "out" / result["slug"]).parent == tmp_path / "out"


# A report that leaves state behind: a global, an open figure, a changed directory.
LEAKY = """import json, os, pathlib
import matplotlib.pyplot as plt
_out = pathlib.Path(output_dir)
seen = {"global": globals().get("left_by_an_earlier_client"), "figures": len(plt.get_fignums()),
        "cwd": os.getcwd(), "pid": os.getpid()}
left_by_an_earlier_client = client_dir
plt.figure()
os.chdir("/")
(_out / "seen.json").write_text(json.dumps(seen))
if (pathlib.Path(client_dir) / "fault-raise").exists():
    raise RuntimeError("this client's notebook fails")"""


@pytest.mark.parametrize("isolate", [False, True], ids=["warm", "isolate"])
def test_a_warm_kernel_is_cleared_between_clients_and_replaced_after_a_failure(
    demo_dir, tmp_path, isolate
):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('client_dir = ""\noutput_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(LEAKY)]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    template = tmp_path / "leaky.ipynb"
    nbformat.write(nb, template)
    dirs = clients(demo_dir, tmp_path / "c", ["a", "b", "boom", "c"])
    (dirs[2] / "fault-raise").write_text("")
    out = tmp_path / "out"
    results = build_reports(dirs, out, jobs=1, template=template, isolate=isolate)
    assert [r["status"] for r in results] == ["ok", "ok", "failed", "ok"]
    seen = {d.name: json.loads((out / d.name / "seen.json").read_text()) for d in dirs}
    for name, s in seen.items():
        assert s["global"] is None, name  # nothing of the client before
        assert s["figures"] == 0, name
        assert Path(s["cwd"]).resolve() == (out / name).resolve(), name
    pids = [seen[n]["pid"] for n in ("a", "b", "boom", "c")]
    if isolate:
        assert len(set(pids)) == 4
    else:  # one kernel ran a, b and boom; boom failed, so c got a new one
        assert pids[0] == pids[1] == pids[2] != pids[3]


def test_a_report_worker_skips_the_iri_grammar_yet_validates_notebooks(demo_dir, tmp_path):
    # jsonschema (through nbformat) would import rfc3987_syntax, whose grammar takes 0.8 s
    # to build, in every worker; notebook validation does not use it
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('client_dir = ""\noutput_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1")]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    template = tmp_path / "tiny.ipynb"
    nbformat.write(nb, template)
    (client,) = clients(demo_dir, tmp_path / "c", ["a"])
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "socialkit.report.batch"]
        + [str(client), str(tmp_path / "out"), str(template), "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout.strip().splitlines()[-1])["status"] == "ok"
    imported = {ln.split("|")[-1].strip() for ln in run.stderr.splitlines() if "|" in ln}
    assert {"papermill", "nbformat", "jsonschema"} <= imported  # it did validate notebooks
    assert "rfc3987_syntax.syntax_helpers" not in imported  # (a refused import is listed)
    assert "pandas" not in imported  # nor imports pandas for its version number
    probe = (
        "from socialkit.report.workers import skip_unused_imports\n"
        "skip_unused_imports()\n"
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook()\n"
        "nb.cells = [nbformat.v4.new_code_cell('x')]\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['execution_count'] = 'not a number'\n"
        "try:\n"
        "    nbformat.validate(nb)\n"
        "except nbformat.ValidationError:\n"
        "    print('invalid notebook refused')\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "invalid notebook refused"


def test_a_warm_worker_with_no_client_left_ends_while_the_others_run(
    demo_dir, tmp_path, fault_template, monkeypatch
):
    from socialkit.report import workers

    ended, done = [], {}
    original = workers._Worker.end_input

    def end_input(self):
        ended.append(time.perf_counter())
        original(self)

    monkeypatch.setattr(workers._Worker, "end_input", end_input)
    dirs = clients(demo_dir, tmp_path / "c", ["quick", "paused"])  # ("slow" sleeps 120 s)
    (dirs[1] / "fault-pause").write_text("6")
    results = build_reports(
        dirs,
        tmp_path / "out",
        jobs=2,
        template=fault_template,
        progress=lambda i, n, r: done.setdefault(r["slug"], time.perf_counter()),
    )
    assert [r["status"] for r in results] == ["ok", "ok"]
    # the quick client's worker was told to end (and shut its kernel down) before the
    # paused client was done, not after the whole batch
    assert ended and min(ended) < done["paused"] - 1


def test_the_largest_clients_are_handed_out_first_and_ties_keep_their_order(tmp_path):
    from socialkit.report.batch import _largest_first

    sizes = {"small": 10, "big": 5_000, "gone": None, "big-too": 5_000, "mid": 800}
    dirs = []
    for name, size in sizes.items():
        d = tmp_path / name
        dirs.append(d)
        if size is not None:
            (d / "exports").mkdir(parents=True)
            (d / "exports" / "posts.csv").write_bytes(b"x" * size)
            (d / "client.yaml").write_text("name: x\n")
    order = [dirs[i].name for i in _largest_first(dirs, list(range(len(dirs))))]
    assert order == ["big", "big-too", "mid", "small", "gone"]
    # only the clients still to do are ordered
    assert [dirs[i].name for i in _largest_first(dirs, [0, 4])] == ["mid", "small"]
