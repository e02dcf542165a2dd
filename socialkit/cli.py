"""The ``socialkit`` command: a thin wrapper over the Python API.

Exit codes: 0 success; 1 the command ran but found what it was asked to flag
(for ``validate``: a file not read, a file that loaded no row, or no file at
all; for ``report``: failed clients or clients with no usable data; for
``diagnose``: a client with no usable data, or findings at or above
``--fail-on``); 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

__all__ = ["main"]


def _err(msg: str) -> int:
    from socialkit.paths import printable

    print(f"socialkit: error: {printable(msg, 2000)}", file=sys.stderr)
    return 2


def _cmd_demo(args) -> int:
    from socialkit.demo import make_demo

    folders = make_demo(args.out, n_clients=args.clients, seed=args.seed)
    for f in folders:
        print(f)
    print(f"{len(folders)} demo client(s) written under {args.out}", file=sys.stderr)
    return 0


def _validate_paths(paths, notes=None) -> list[dict]:
    import os

    from socialkit.client import _read_brand, file_report, load_client, load_file
    from socialkit.loaders import EXPORT_SUFFIXES
    from socialkit.paths import folder_files

    reports = []
    for p in map(Path, paths):
        if p.is_dir() and os.path.lexists(p / "client.yaml"):
            try:
                client = load_client(p)
            except (ValueError, OSError, MemoryError, RecursionError) as exc:
                reports.append(file_report(None, str(p), str(exc).split("\n")[0]))
                continue
            reports += client.files
            if notes is not None:  # exports of two platforms that do not overlap, by name
                from socialkit.windows import overlap_notes

                notes += [
                    f"{p}: {n['message']}" for n in overlap_notes(client.data_summary()["windows"])
                ]
        elif p.is_dir():
            files, refused = folder_files(p, "", EXPORT_SUFFIXES)
            reports += [file_report(None, str(p / rel), reason) for rel, reason in refused]
            reports += _validate_paths(files, notes)
        else:  # without a profile, a file with several brand accounts is an error
            results, error = load_file(p, str(p), lambda f: _read_brand(f, None, f.name))
            reports += [file_report(r, str(p)) for r in results] or ([error] if error else [])
    return reports


def _unusable(r: dict) -> bool:
    """A file that was not read, or that loaded no row."""
    return bool(r["error"]) or not r["rows_loaded"]


def _cmd_validate(args) -> int:
    from socialkit import fmt
    from socialkit.paths import printable

    notes: list[str] = []
    reports = _validate_paths(args.paths, notes)
    if args.format == "json":
        print(json.dumps(reports, indent=2, ensure_ascii=False))
    else:
        for r in reports:
            print(printable(r["file"], 300))  # a file name may hold escape sequences
            if r["error"]:
                print(f"  ERROR: {printable(r['error'], 600)}")
                continue
            dates = f"{r['date_min']} – {r['date_max']}" if r["date_min"] else "no dates"
            print(
                f"  {r['format']} -> {r['table']}: {fmt.plural(r['rows_in'], 'row')} in, "
                f"{fmt.count(r['rows_loaded'])} loaded, {fmt.count(r['rows_quarantined'])} "
                f"quarantined; {dates}; platforms: {fmt.platforms(r['platforms']) or 'none'}"
            )
            for w in r.get("windows", []):
                print(
                    f"    {w['platform']}: {w['start'][:10]} – {w['end'][:10]} ({w['rows']} rows)"
                )
            for reason, n in r["quarantine_reasons"].items():
                print(f"    quarantined {n} × {printable(reason, 300)}")
            for note in r.get("notes", []):
                print(f"    note: {printable(note, 600)}")
            if not r["rows_loaded"]:
                print("  ERROR: no row of this file could be used")
        for note in notes:
            print(f"note: {printable(note, 600)}")
    if not reports:
        print("socialkit: error: no export file was found", file=sys.stderr)
    # exit 1 when any file was not read or loaded no row, or when there was no file at all
    return 1 if not reports or any(_unusable(r) for r in reports) else 0


def _cmd_diagnose(args) -> int:
    from socialkit import diagnose, load_client
    from socialkit.profile import ProfileError
    from socialkit.schema import SchemaError

    if args.all:
        return _diagnose_all(args)
    if not args.client_dir:
        return _err("give a CLIENT_DIR, or --all DIR for every client folder under DIR")
    try:
        client = load_client(args.client_dir)
    except (ProfileError, SchemaError, ValueError, OSError, MemoryError, RecursionError) as exc:
        return _err(str(exc) or type(exc).__name__)
    d = diagnose(client)
    if not d.usable:
        print(f"socialkit: no data: {d.data.get('no_data_reason')}", file=sys.stderr)
    from socialkit import fmt

    if args.format == "json":
        print(d.to_json())
    elif args.format == "markdown":
        print(d.to_markdown())
    else:
        for f in d.findings:
            label = {"not_assessable": "n/a"}.get(f.status, f.status)
            print(f"{label:5} {f.check:32} {f.message}")
        c = d.counts()
        print(
            f"\n{d.client}: {fmt.count(c['fail'])} fail, {fmt.count(c['warn'])} warn, "
            f"{fmt.count(c['ok'])} ok, {fmt.count(c['not_assessable'])} not assessable "
            f"(data up to {d.data_until_text})"
        )
    for w in client.warnings:
        print(f"warning: {w}", file=sys.stderr)
    flagged = {"fail": ("fail",), "warn": ("fail", "warn")}.get(args.fail_on, ())
    return 1 if not d.usable or any(f.status in flagged for f in d.findings) else 0


def _diagnose_all(args) -> int:
    import pandas as pd

    from socialkit.diagnose import diagnose_all
    from socialkit.paths import printable, safe_child
    from socialkit.safecsv import frame_to_csv

    try:
        res = diagnose_all(args.all)
    except FileNotFoundError as exc:
        return _err(str(exc))
    diagnoses, errors, summary = res["diagnoses"], res["errors"], res["summary"]
    if not diagnoses and not errors:
        return _err(f"no client folder under {args.all} (a client folder holds client.yaml)")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for key, d in diagnoses.items():
            target = safe_child(out, key)
            target.with_name(target.name + ".json").write_text(d.to_json(), encoding="utf-8")
        frame_to_csv(summary, out / "summary.csv")  # no cell a spreadsheet reads as a formula
    if args.format == "json":  # JSON Lines: one document per client
        for key, d in diagnoses.items():
            print(json.dumps({"folder": key, **d.to_dict()}, ensure_ascii=False))
        for key, err in errors.items():
            print(json.dumps({"folder": key, "error": err}, ensure_ascii=False))
    else:
        with pd.option_context("display.width", 200, "display.max_colwidth", 80):
            print(summary.to_string(index=False))
    for key, err in errors.items():
        print(f"error: {printable(key)}: {printable(err, 600)}", file=sys.stderr)
    flagged = {"fail": ("fail",), "warn": ("fail", "warn")}.get(args.fail_on, ())
    bad = any(f.status in flagged for d in diagnoses.values() for f in d.findings)
    for key, d in diagnoses.items():
        if not d.usable:
            print(f"no data: {printable(key)}: {d.data.get('no_data_reason')}", file=sys.stderr)
    no_data = any(not d.usable for d in diagnoses.values())
    return 1 if bad or errors or no_data else 0


class _Progress:
    """Progress with an ETA: a redrawn bar on a terminal, plain log lines otherwise."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.built = 0

    def __call__(self, done, total, result):
        status = result.get("status")
        if status != "skipped-unchanged":
            self.built += 1
        elapsed = time.monotonic() - self.started
        left = total - done
        # the pace of the clients actually built (skipped ones cost nothing)
        if not left:
            eta = "done"
        else:
            eta = f"ETA {elapsed / self.built * left:.0f} s" if self.built else "ETA …"
        secs = result.get("seconds")
        timing = f" ({secs:.1f} s)" if isinstance(secs, int | float) and self.built else ""
        extra = f": {result['error']}" if result.get("error") else ""
        line = f"[{done}/{total}] {result.get('slug')} {status}{timing}{extra} · {eta}"
        if self.tty:
            width = 24
            bar = "#" * round(width * done / total) + "-" * (width - round(width * done / total))
            end = "\n" if done == total or status in ("failed", "timed-out") else ""
            print(f"\r\x1b[2K[{bar}] {line}", end=end, file=self.stream, flush=True)
        else:
            print(line, file=self.stream, flush=True)


def _cmd_report(args) -> int:
    import os

    from socialkit.paths import client_folders
    from socialkit.report.batch import Interrupted, build_reports, read_client_list

    dirs = [Path(d) for d in args.client_dirs]
    try:
        if args.all:
            dirs += client_folders(args.all)
        if args.clients:
            dirs += read_client_list(args.clients)
    except (FileNotFoundError, ValueError) as exc:
        return _err(str(exc))
    # a client.yaml that exists but cannot be read fails that client only, in the batch
    missing = [str(d) for d in dirs if not os.path.lexists(d / "client.yaml")]
    if missing:
        return _err(f"not a client folder (no client.yaml): {', '.join(missing)}")
    if not dirs:
        return _err("no clients given; pass CLIENT_DIR…, --all DIR or --clients FILE")
    try:
        options = _report_options(args)
    except (RuntimeError, ValueError) as exc:
        return _err(str(exc))
    try:
        results = build_reports(
            dirs,
            args.out,
            jobs=args.jobs,
            force=args.force,
            timeout=args.timeout or None,
            progress=_Progress(),
            scheduler=args.scheduler,
            template=args.template,
            options=options,
            isolate=args.isolate,
        )
    except Interrupted as exc:
        print(f"\ninterrupted: {exc}", file=sys.stderr)
        return 143
    except (RuntimeError, ValueError, OSError) as exc:
        return _err(str(exc))
    index = Path(args.out).resolve() / "index.html"
    failed = [r for r in results if r["status"] in ("failed", "timed-out", "no-data")]
    print(index)
    print(
        f"{len(results) - len(failed)} of {len(results)} report(s) ok; open {index}",
        file=sys.stderr,
    )
    return 1 if failed else 0


def _cmd_workshop(args) -> int:
    from socialkit.workshop.solutions import write

    try:
        path = write(args.out, args.client, run=args.run)
    except FileNotFoundError as exc:
        return _err(str(exc))
    print(path)
    print("facilitators only: keep it out of the participants' folder", file=sys.stderr)
    return 0


def _report_options(args) -> dict:
    """The report options of ``socialkit report``, checked before any client runs."""
    from socialkit.report.brand import load_brand
    from socialkit.report.pdf import find_chromium

    if args.period or args.date_from or args.date_to:  # a malformed period fails here, once
        from socialkit.metrics.period import resolve_period  # pandas: only when asked for

        until = args.date_to or args.date_from or "2000-01-01"
        resolve_period(args.period, start=args.date_from, end=args.date_to, until=until)
    brand = args.brand
    if not brand and args.all and (Path(args.all) / "agency.yaml").is_file():
        brand = str(Path(args.all) / "agency.yaml")
    if brand:
        load_brand(brand)  # a clear error naming the key before the batch starts
        brand = str(Path(brand).resolve())
    if args.pdf:
        find_chromium()
    return {
        "period": args.period or "",
        "date_from": args.date_from or "",
        "date_to": args.date_to or "",
        "brand": brand or "",
        "paper": args.paper or "",
        "pdf": bool(args.pdf),
    }


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="socialkit",
        description="Diagnose why a brand's social media strategy isn't working, with evidence.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = sub.add_parser("demo", help="write seeded synthetic demo clients")
    d.add_argument("--out", default="data/demo", help="output folder (default: data/demo)")
    d.add_argument("--clients", type=int, default=6, help="number of clients (default: 6)")
    d.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    d.set_defaults(func=_cmd_demo)

    v = sub.add_parser("validate", help="load files or client folders and report what loaded")
    v.add_argument("paths", nargs="+", metavar="PATH", help="export file, folder or client folder")
    v.add_argument("--format", choices=["table", "json"], default="table")
    _follow_option(v)
    v.set_defaults(func=_cmd_validate)

    g = sub.add_parser(
        "diagnose", help="run every check on one client folder (or --all DIR: on every client)"
    )
    g.add_argument("client_dir", metavar="CLIENT_DIR", nargs="?")
    g.add_argument(
        "--all",
        metavar="DIR",
        help="diagnose every client folder under DIR in one vectorised pass; prints a summary "
        "table (or JSON Lines with --format json, one document per client)",
    )
    g.add_argument("--out", metavar="DIR", help="with --all: write <folder>.json and summary.csv")
    g.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    g.add_argument(
        "--fail-on",
        choices=["never", "warn", "fail"],
        default="never",
        help="exit 1 when a finding has this status or worse (default: never)",
    )
    _follow_option(g)
    g.set_defaults(func=_cmd_diagnose)

    r = sub.add_parser("report", help="build HTML reports (papermill) and an index page")
    r.add_argument("client_dirs", nargs="*", metavar="CLIENT_DIR")
    r.add_argument("--all", metavar="DIR", help="every client folder under DIR")
    r.add_argument(
        "--clients", metavar="FILE", help="YAML list of client folders (clients: [path, …])"
    )
    r.add_argument("--out", default="reports", help="output folder (default: reports)")
    r.add_argument(
        "--jobs", type=int, default=None, help="clients built at once (default: number of CPUs)"
    )
    r.add_argument(
        "--timeout",
        type=float,
        default=600,
        help="seconds one client may take before it is stopped (default: 600; 0 = no limit)",
    )
    r.add_argument("--force", action="store_true", help="rebuild unchanged clients too")
    r.add_argument(
        "--template",
        metavar="NOTEBOOK",
        help="report notebook to run (default: notebooks/templates/client_report.ipynb)",
    )
    r.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask distributed scheduler, e.g. tcp://host:8786 (needs socialkit[cluster])",
    )
    r.add_argument(
        "--period",
        metavar="YYYY-MM",
        help="reporting month, compared with the month before (default: the last full "
        "calendar month in the data)",
    )
    r.add_argument("--from", dest="date_from", metavar="DATE", help="first day of the period")
    r.add_argument("--to", dest="date_to", metavar="DATE", help="last day of the period")
    r.add_argument(
        "--brand",
        metavar="AGENCY_YAML",
        help="agency branding (name, logo, primary_colour, contact, paper); default: "
        "agency.yaml in the --all folder when present",
    )
    r.add_argument(
        "--paper",
        type=lambda v: {"a4": "A4", "letter": "letter"}.get(v.lower(), v),
        choices=["A4", "letter"],
        help="printed page size (default: A4, or the brand's)",
    )
    r.add_argument(
        "--pdf",
        action="store_true",
        help="also write report.pdf beside report.html (needs headless Chromium)",
    )
    r.add_argument(
        "--isolate",
        action="store_true",
        help="a new kernel for every client (default: each job keeps one kernel and clears "
        "it between clients; a failed client's kernel is replaced)",
    )
    _follow_option(r)
    r.set_defaults(func=_cmd_report)

    w = sub.add_parser("workshop", help="facilitator tools for the workshop notebooks")
    w.add_argument("what", choices=["solutions"], help="solutions: write the solutions notebook")
    w.add_argument("--out", required=True, metavar="DIR", help="folder for solutions.ipynb")
    w.add_argument(
        "--client",
        default="data/demo/brightline-electronics",
        metavar="CLIENT_DIR",
        help="the brand (default: data/demo/brightline-electronics, made by `make demo`)",
    )
    w.add_argument("--run", action="store_true", help="execute it, so the answers are in it")
    w.set_defaults(func=_cmd_workshop)
    return p


def _follow_option(parser) -> None:
    parser.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="read symbolic links in a client folder when they lead to a file inside the same "
        "folder (default: every link is refused)",
    )


def main(argv=None) -> int:
    """Run the ``socialkit`` command line on ``argv`` (default: ``sys.argv[1:]``) and
    return its exit code."""
    return _dispatch(build_parser().parse_args(argv))


#: Commands whose process holds nothing to clean up when it ends: no kernel, worker,
#: cluster or temporary folder (see :func:`run`).
_NOTHING_TO_CLEAN = (_cmd_validate, _cmd_diagnose)


def run() -> None:
    """The ``socialkit`` console script (and ``python -m socialkit``): :func:`main`,
    then exit with its code.

    After ``validate`` and ``diagnose``, whose output is all written by then, the
    process ends once stdout and stderr are flushed, without the interpreter's
    teardown (every module and object freed one by one: about 0.1 s of the 4.3 s of
    ``diagnose --all`` on 200 folders), as mypy ends its runs. Any trouble flushing
    takes the ordinary exit, which reports it.
    """
    import os

    args = build_parser().parse_args()
    code = _dispatch(args)
    if args.func in _NOTHING_TO_CLEAN:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            sys.exit(code)
        os._exit(code)
    sys.exit(code)


def _dispatch(args) -> int:
    import os

    if sys.platform.startswith("linux") and "pyarrow" not in sys.modules:
        # pyarrow's Linux wheels bundle jemalloc, which can hand freed memory back to the
        # system soon (a short decay); the default (mimalloc) kept ~130 MiB more resident
        # after loading 200 client folders. diagnose --all on 200 folders / 1 M posts,
        # three runs each: mimalloc 5.1-5.6 s / 835 MiB, jemalloc's own decay 5.1-5.2 s /
        # 700 MiB, 100 ms 5.0-5.3 s / 648 MiB, none 5.5-6.1 s / 638 MiB (the returns cost
        # system time). A user's own settings win; report workers inherit them.
        if os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc") == "jemalloc":
            os.environ.setdefault("JE_ARROW_MALLOC_CONF", "dirty_decay_ms:100,muzzy_decay_ms:0")
    if getattr(args, "follow_symlinks", False):
        os.environ["SOCIALKIT_FOLLOW_SYMLINKS"] = "1"  # report workers inherit it
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        return _err(f"--jobs must be at least 1; got {args.jobs}")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
