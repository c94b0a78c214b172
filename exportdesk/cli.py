"""Command-line interface on the same engine as the window.

Exit codes: 0 success, 1 the job failed or was cancelled, 2 usage error, 3 job not found,
4 artifact expired.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from exportdesk import __version__, credentials
from exportdesk.context import Context, DataDirRejected
from exportdesk.engine import actions
from exportdesk.engine.headless import HeadlessDispatcher
from exportdesk.engine.instance import InstanceLock
from exportdesk.engine.preflight import run_preflight
from exportdesk.logs import setup_logging
from exportdesk.engine.recovery import recover_stale_jobs
from exportdesk.engine.retention import sweep
from exportdesk.formats import FORMATS
from exportdesk.formats.bundle import verify_bundle, verify_file
from exportdesk.formats.csv import PROFILES, UnknownProfile
from exportdesk.i18n import set_language
from exportdesk.jobs import InvalidTransition, Job, JobState
from exportdesk.i18n import format_count, format_size, tr
from exportdesk.messages import EXPIRED_MESSAGE, job_message, state_label
from exportdesk.jobs import ExportDeskError, JobSpec
from exportdesk.messages import error_message
from exportdesk.sources import open_source
from exportdesk.sources import HTTP_PREFIX, http_source_string, secret_ref_of
from exportdesk.sources.http import HttpApiConfig, InvalidHttpConfig
from exportdesk.store.saved_sources import SavedSource, SavedSources, SourceNotFound
from exportdesk.sources.demo import DEMO_SOURCE, demo_database_path, ensure_demo_database
from exportdesk.store import JobNotFound

log = logging.getLogger(__name__)

EXIT_OK, EXIT_JOB_FAILED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_EXPIRED = 0, 1, 2, 3, 4
WAIT_POLL_S = 0.2
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class UsageError(Exception):
    pass


def parse_duration(text: str) -> int:
    """Parse `90s`, `30m`, `24h` or `7d` into seconds."""
    match = _DURATION.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"invalid duration {text!r}: use a number and s, m, h or d, e.g. 24h")
    return int(match.group(1)) * _UNITS[match.group(2)]


def job_to_json(job: Job) -> dict[str, Any]:
    def stamp(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": job.id,
        "name": job.name,
        "state": job.state.value,
        "rows": job.rows_done,
        "rows_total": job.rows_total,
        "bytes": job.bytes_written,
        "sha256": job.sha256,
        "format": job.spec.format,
        "profile": job.spec.profile,
        "file_name": job.file_name,
        "created_at": stamp(job.created_at),
        "finished_at": stamp(job.finished_at),
        "expires_at": stamp(job.expires_at),
        "error_code": job.error_code.value if job.error_code else None,
        "message": job_message(job),
    }


def _print_job(job: Job, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(job_to_json(job), ensure_ascii=False) + "\n")
        return
    rows = tr("%Ln row(s)", None, job.rows_done)
    size = format_size(job.bytes_written)
    line = f"{job.id}  {state_label(job.state):<12} {rows:>16}  {size:>11}  {job.file_name}"
    message = job_message(job)
    out.write(line + (f"\n    {message}" if message else "") + "\n")


def _exit_code_for(job: Job) -> int:
    if job.state is JobState.READY:
        return EXIT_OK
    if job.state is JobState.EXPIRED:
        return EXIT_EXPIRED
    return EXIT_JOB_FAILED


def _check_source(source: str) -> None:
    if source == DEMO_SOURCE or source.startswith(HTTP_PREFIX):
        return
    try:
        actions.check_source_url(source)
    except actions.InvalidSpec as error:
        raise UsageError(f"--source: {error}") from None


def _read_password() -> str:
    return getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")


def _source_without_secret(args: argparse.Namespace) -> str:
    """Move a password out of the source URL into the keyring or, for this run only, memory.

    The job table keeps the URL without the password. "Ask each time" (`--ask-password`, or
    no working keyring) keeps the password only in this process, so it needs `--wait`.
    """
    if args.source == DEMO_SOURCE:
        return str(args.source)
    if args.ask_password and not args.wait:
        raise UsageError("--ask-password needs --wait: the password is kept only while this command runs")
    if args.source.startswith(HTTP_PREFIX):
        ref = secret_ref_of(args.source)
        if args.ask_password and ref:
            credentials.remember_for_session(ref, _read_password())
        return str(args.source)
    public, password = credentials.split_url_password(args.source)
    if args.ask_password:
        password = _read_password()
        credentials.remember_for_session(credentials.url_secret_ref(public), password)
        return public
    if password is None:
        return public
    try:
        credentials.save_secret(credentials.url_secret_ref(public), password)
    except credentials.SecretStoreUnavailable as error:
        if not args.wait:
            raise UsageError(
                "the system password store is unavailable, so the password cannot be saved: "
                "add --wait to use it for this run only, or use --ask-password --wait to type it"
            ) from None
        credentials.remember_for_session(credentials.url_secret_ref(public), password)
        print("The system password store is unavailable: the password is used for this run only.", file=sys.stderr)
    return public


def _progress_line(job: Job) -> str:
    total = job.rows_total
    if total:
        fraction = min(1.0, job.rows_done / total)
        bar = "#" * int(fraction * 30)
        total_text = tr("%Ln row(s)", None, total)
        return f"\r[{bar:<30}] {fraction:6.1%} {format_count(job.rows_done)}/{total_text}"
    done_text = tr("%Ln row(s)", None, job.rows_done)
    return f"\r{state_label(job.state)} {done_text}"


def wait_for(ctx: Context, job_id: str, show_progress: bool) -> Job:
    """Wait until the job ends, running the engine here whenever no other process runs it."""
    lock = InstanceLock(ctx.paths.data_dir)
    dispatcher: HeadlessDispatcher | None = None
    try:
        while True:
            job = ctx.store.get(ctx.owner, job_id)
            if show_progress:
                sys.stderr.write(_progress_line(job))
                sys.stderr.flush()
            if job.state.is_ended:
                break
            if dispatcher is None and lock.acquire():
                dispatcher = HeadlessDispatcher(ctx)
                dispatcher.start()
            time.sleep(WAIT_POLL_S)
    finally:
        if show_progress:
            sys.stderr.write("\n")
        if dispatcher is not None:
            # Workers already started finish their jobs on their own.
            dispatcher.stop(wait=False)
        lock.release()
    return job


def _prepare_demo(ctx: Context, show_progress: bool) -> None:
    """Build the demo database before queueing, so the job's progress starts with its rows."""

    def report(done: int, total: int) -> None:
        sys.stderr.write(f"\rPreparing demo data: {done / max(total, 1):6.1%}")
        sys.stderr.flush()

    built_before = demo_database_path(ctx.paths.data_dir).exists()
    ensure_demo_database(ctx.paths.data_dir, report if show_progress else None)
    if show_progress and not built_before:
        sys.stderr.write("\n")


def _format_options(args: argparse.Namespace) -> dict[str, Any]:
    """Collect the job options given on the command line; only what was given is recorded."""
    csv: dict[str, Any] = {}
    if args.delimiter is not None:
        csv["delimiter"] = "\t" if args.delimiter.lower() in ("tab", "\\t") else args.delimiter
    if args.quote is not None:
        csv["quote"] = args.quote
    if args.line_end is not None:
        csv["line_end"] = args.line_end
    if args.encoding is not None:
        csv["encoding"] = args.encoding
    if args.null is not None:
        csv["null"] = args.null
    if args.no_header:
        csv["header"] = False
    options: dict[str, Any] = {"csv": csv} if csv else {}
    if args.neutralise_formulas is not None:
        options["neutralise_formulas"] = args.neutralise_formulas
    if args.rows_per_sheet is not None:
        options["xlsx_rows_per_sheet"] = args.rows_per_sheet
    return options


def start_background_engine(ctx: Context) -> None:
    """Start `exportdesk run` in the background unless an engine already runs for this folder."""
    probe = InstanceLock(ctx.paths.data_dir)
    if not probe.acquire():
        return
    probe.release()
    if getattr(sys, "frozen", False):
        command = [sys.executable]
    else:
        command = [sys.executable, "-m", "exportdesk.cli"]
    subprocess.Popen(
        [*command, "--data-dir", str(ctx.paths.data_dir), "run"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def cmd_run(ctx: Context, args: argparse.Namespace) -> int:
    """Run queued jobs until none is left, unless another process runs the engine already."""
    lock = InstanceLock(ctx.paths.data_dir)
    if not lock.acquire():
        print(f"The engine already runs in process {lock.holder_pid()}; it runs the queued jobs.", file=sys.stderr)
        return EXIT_OK
    setup_logging(ctx.paths.logs, "engine.log")
    dispatcher = HeadlessDispatcher(ctx)
    dispatcher.start()
    try:
        while dispatcher.active or ctx.store.engine_jobs_in(JobState.QUEUED):
            time.sleep(WAIT_POLL_S)
    finally:
        dispatcher.stop(wait=True)
        lock.release()
    return EXIT_OK


def _resolve_saved_source(ctx: Context, args: argparse.Namespace) -> None:
    """Replace a saved source's name in `args.source` with its URL or HTTP settings (no secret)."""
    if args.source == DEMO_SOURCE or "://" in args.source or args.source.startswith(HTTP_PREFIX):
        return
    try:
        saved = SavedSources(ctx.store).get(ctx.owner, args.source)
    except SourceNotFound:
        raise UsageError(
            f"--source: no saved source is called {args.source!r}: use 'demo', an SQLAlchemy URL, "
            "or a name from 'exportdesk source list'"
        ) from None
    args.source = saved_source_string(saved)


def saved_source_string(saved: SavedSource) -> str:
    if saved.kind == "http":
        return http_source_string(HttpApiConfig.from_json(saved.settings["config"]))
    return str(saved.settings["url"])


def _http_config(ctx: Context, args: argparse.Namespace) -> HttpApiConfig:
    endpoints: dict[str, str] = {}
    for item in args.endpoint or []:
        name, separator, path = item.partition("=")
        if not separator or not name or not path:
            raise UsageError(f"--endpoint {item!r}: use NAME=PATH, e.g. orders=/api/orders")
        endpoints[name] = path
    settings: dict[str, Any] = {
        "base_url": args.http,
        "endpoints": endpoints,
        "auth": args.auth,
        "pagination": args.pagination,
        "records_path": args.records_path,
        "total_path": args.total_path,
        "secret_ref": f"source:{ctx.owner}:{args.name}" if args.auth != "none" else "",
    }
    optional = {
        "auth_user": args.user, "api_key_header": args.api_key_header, "next_url_path": args.next_url_path,
        "cursor_path": args.cursor_path, "cursor_param": args.cursor_param, "page_size": args.page_size,
    }
    settings.update({key: value for key, value in optional.items() if value is not None})
    try:
        return HttpApiConfig.from_json(settings)
    except (InvalidHttpConfig, TypeError, ValueError) as error:
        raise UsageError(f"invalid HTTP source settings: {error}") from None


def _add_http_source(ctx: Context, args: argparse.Namespace) -> int:
    config = _http_config(ctx, args)
    if config.auth != "none":
        secret = _read_password()
        try:
            credentials.save_secret(config.secret_ref, secret)
        except credentials.SecretStoreUnavailable:
            print(
                "The system password store is unavailable, so the token was not saved. "
                "Give it with 'export --ask-password --wait' each time.",
                file=sys.stderr,
            )
    SavedSources(ctx.store).save(ctx.owner, args.name, "http", {"config": config.to_json()})
    print(f"Source {args.name!r} saved")
    return EXIT_OK


def cmd_source_add(ctx: Context, args: argparse.Namespace) -> int:
    if (args.url is None) == (args.http is None):
        raise UsageError("give either --url (an SQL database) or --http (an HTTP JSON API)")
    if args.http is not None:
        return _add_http_source(ctx, args)
    try:
        actions.check_source_url(args.url)
    except actions.InvalidSpec as error:
        raise UsageError(f"--url: {error}") from None
    public, password = credentials.split_url_password(args.url)
    if args.ask_password:
        password = _read_password()
    if password:
        try:
            credentials.save_secret(credentials.url_secret_ref(public), password)
        except credentials.SecretStoreUnavailable:
            print(
                "The system password store is unavailable, so the password was not saved. "
                "Give it with 'export --ask-password --wait' each time.",
                file=sys.stderr,
            )
    SavedSources(ctx.store).save(ctx.owner, args.name, "sql", {"url": public})
    print(f"Source {args.name!r} saved")
    return EXIT_OK


def cmd_source_list(ctx: Context, args: argparse.Namespace) -> int:
    for source in SavedSources(ctx.store).list(ctx.owner):
        if args.json:
            print(json.dumps({"name": source.name, "kind": source.kind, **source.settings}, ensure_ascii=False))
        else:
            where = source.settings.get("url") or source.settings.get("config", {}).get("base_url", "")
            print(f"{source.name}  {source.kind}  {where}")
    return EXIT_OK


def cmd_source_test(ctx: Context, args: argparse.Namespace) -> int:
    """Connect to a saved source and list its tables with row counts."""
    try:
        url = DEMO_SOURCE if args.name == DEMO_SOURCE else saved_source_string(SavedSources(ctx.store).get(ctx.owner, args.name))
    except SourceNotFound:
        print(f"Source {args.name!r} not found", file=sys.stderr)
        return EXIT_NOT_FOUND
    try:
        source = open_source(url, ctx.paths.data_dir)
        try:
            tables = source.list_tables()
        finally:
            source.close()
    except ExportDeskError as error:
        log.warning("Source %s: test failed with %s: %s", args.name, error.code.value, error.detail)
        print(error_message(error.code), file=sys.stderr)
        return EXIT_JOB_FAILED
    print(tr("Connected to {name}: %Ln table(s) and view(s)", None, len(tables)).format(name=repr(args.name)))
    for table in tables:
        estimate = tr("%Ln row(s)", None, table.rows_estimate) if table.rows_estimate is not None else tr("view")
        print(f"  {table.name}  {estimate}")
    return EXIT_OK


def cmd_source_remove(ctx: Context, args: argparse.Namespace) -> int:
    try:
        source = SavedSources(ctx.store).remove(ctx.owner, args.name)
    except SourceNotFound:
        print(f"Source {args.name!r} not found", file=sys.stderr)
        return EXIT_NOT_FOUND
    ref = secret_ref_of(saved_source_string(source))
    if ref:
        credentials.delete_secret(ref)
    print(f"Source {args.name!r} removed")
    return EXIT_OK


def _preflight_allows(ctx: Context, spec: JobSpec, quiet: bool) -> bool:
    """Print the pre-flight estimate and warnings; return False when the file cannot fit.

    A source error here only skips the estimate: the job then fails with its own message.
    """
    try:
        result = run_preflight(spec, ctx.paths.data_dir, ctx.storage.free_bytes())
    except ExportDeskError as error:
        log.info("Pre-flight skipped: %s: %s", error.code.value, error.detail)
        return True
    if not quiet and result.rows is not None:
        rows_text = tr("%Ln row(s)", None, result.rows)
        if result.estimated_bytes is not None:
            rows_text = tr("{rows}, about {size}").format(rows=rows_text, size=format_size(result.estimated_bytes))
        print(rows_text, file=sys.stderr)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    return result.enough_space


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    _resolve_saved_source(ctx, args)
    _check_source(args.source)
    if args.source == DEMO_SOURCE:
        show_progress = sys.stderr.isatty() and not args.json
        try:
            _prepare_demo(ctx, show_progress)
        except ExportDeskError as error:
            log.warning("Preparing the demo data failed with %s: %s", error.code.value, error.detail)
            folder = demo_database_path(ctx.paths.data_dir).parent
            if show_progress:
                # The progress line of the build has no line end yet.
                print(file=sys.stderr)
            print(tr("Could not prepare the demo data in {folder}. {reason}").format(
                folder=folder, reason=error_message(error.code)), file=sys.stderr)
            return EXIT_JOB_FAILED
    if bool(args.table) == bool(args.query):
        raise UsageError("give either --table NAME (one or more) or --query SQL")
    retention = args.retention if args.retention is not None else ctx.settings.retention_s
    source = _source_without_secret(args)
    spec = actions.new_spec(
        source, tuple(args.table or ()), args.query, args.profile, args.name or "", retention,
        format_name=args.format, options=_format_options(args),
    )
    try:
        actions.validate_spec(spec)
    except (actions.InvalidSpec, UnknownProfile) as error:
        raise UsageError(str(error)) from None
    if not _preflight_allows(ctx, spec, quiet=args.json):
        return EXIT_JOB_FAILED
    job = actions.submit(ctx, spec)
    if not args.wait:
        start_background_engine(ctx)
        if args.json:
            _print_job(job, True, sys.stdout)
        else:
            print(job.id)
        return EXIT_OK
    job = wait_for(ctx, job.id, show_progress=sys.stderr.isatty() and not args.json)
    _print_job(job, args.json, sys.stdout)
    return _exit_code_for(job)


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    for job in ctx.store.list(ctx.owner):
        _print_job(job, args.json, sys.stdout)
    return EXIT_OK


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    job = ctx.store.get(ctx.owner, args.job)
    _print_job(job, args.json, sys.stdout)
    return EXIT_OK if job.state.is_active else _exit_code_for(job)


def cmd_wait(ctx: Context, args: argparse.Namespace) -> int:
    if args.ask_password:
        ref = secret_ref_of(ctx.store.get(ctx.owner, args.job).spec.source)
        if ref:
            credentials.remember_for_session(ref, _read_password())
    job = wait_for(ctx, args.job, show_progress=sys.stderr.isatty() and not args.json)
    _print_job(job, args.json, sys.stdout)
    return _exit_code_for(job)


def cmd_download(ctx: Context, args: argparse.Namespace) -> int:
    try:
        path = actions.download(ctx, args.job, args.to)
    except actions.InvalidDestination as error:
        raise UsageError(f"--to: {error}") from None
    except actions.ArtifactExpired:
        print(tr(EXPIRED_MESSAGE), file=sys.stderr)
        return EXIT_EXPIRED
    except OSError as error:
        print(f"Cannot write {args.to}: {error.strerror or error}. Choose another destination with --to.", file=sys.stderr)
        return EXIT_JOB_FAILED
    except actions.ArtifactNotReady as error:
        print(f"Job {args.job} is {error.job.state.value}: only a ready job can be downloaded", file=sys.stderr)
        return EXIT_JOB_FAILED
    print(path)
    return EXIT_OK


def cmd_cancel(ctx: Context, args: argparse.Namespace) -> int:
    try:
        job = actions.cancel(ctx, args.job)
    except InvalidTransition:
        job = ctx.store.get(ctx.owner, args.job)
        print(f"Job {job.id} has already ended ({job.state.value})", file=sys.stderr)
        return EXIT_JOB_FAILED
    print(f"{job.id} {'cancelled' if job.state is JobState.CANCELLED else 'cancel requested'}")
    return EXIT_OK


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    try:
        actions.remove(ctx, args.job)
    except InvalidTransition:
        print(f"Job {args.job} is still active: cancel it first", file=sys.stderr)
        return EXIT_JOB_FAILED
    print(f"{args.job} removed")
    return EXIT_OK


def cmd_verify(ctx: Context, args: argparse.Namespace) -> int:
    """Check a job's artifact (or a ZIP file) against its manifest or its recorded SHA-256."""
    target = Path(args.target)
    if target.is_file():
        report = verify_bundle(target)
    else:
        try:
            job, path = actions.artifact_for_download(ctx, args.target)
        except actions.ArtifactExpired:
            print(tr(EXPIRED_MESSAGE), file=sys.stderr)
            return EXIT_EXPIRED
        except actions.ArtifactNotReady as error:
            print(f"Job {args.target} is {error.job.state.value}: only a ready job can be verified", file=sys.stderr)
            return EXIT_JOB_FAILED
        report = verify_file(path, job.sha256, job.bytes_written)
        if path.suffix == ".zip":
            # Check the members too, so a changed archive names the files that differ.
            inner = verify_bundle(path)
            report.checked, report.problems = inner.checked, report.problems + inner.problems
    for name in report.checked:
        print(f"ok       {name}")
    for problem in report.problems:
        print(f"FAILED   {problem}")
    return EXIT_OK if report.ok else EXIT_JOB_FAILED


def cmd_sweep(ctx: Context, args: argparse.Namespace) -> int:
    recover_stale_jobs(ctx.store, ctx.storage)
    report = sweep(ctx.store, ctx.storage)
    print(
        f"expired {len(report.expired)}, missing {len(report.missing)}, "
        f"orphans deleted {len(report.orphans_deleted)}, partial files deleted {len(report.parts_deleted)}"
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="exportdesk", description="Export data to files as jobs. Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"ExportDesk {__version__}")
    parser.add_argument("--data-dir", type=Path, help="app-data folder (default: $EXPORTDESK_DATA_DIR or the per-user folder)")
    parser.add_argument("--account", help="source account to act as (default: $EXPORTDESK_ACCOUNT or 'local')")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    export = commands.add_parser("export", help="queue an export job (and with --wait, run it to its end)")
    export.add_argument("--source", required=True, help="'demo', a saved source's name, or an SQLAlchemy URL")
    selection = export.add_mutually_exclusive_group()
    selection.add_argument("--table", nargs="+", metavar="NAME", help="one or more tables; several go into one ZIP")
    selection.add_argument("--query", metavar="SQL", help="an SQL query to export")
    export.add_argument("--format", choices=list(FORMATS), default="csv", help="csv, jsonl (JSON Lines) or json (default: csv)")
    export.add_argument("--profile", choices=sorted(PROFILES), default="excel-ru", help="CSV profile (default: excel-ru)")
    csv_options = export.add_argument_group("CSV options (override the profile)")
    csv_options.add_argument("--delimiter", help="field delimiter, one character; 'tab' for Tab")
    csv_options.add_argument("--quote", help="quote character, one character (default: \")")
    csv_options.add_argument("--line-end", choices=["lf", "crlf"], help="line ending")
    csv_options.add_argument("--encoding", help="text encoding, e.g. utf-8 or cp1251 (default: utf-8)")
    csv_options.add_argument("--null", metavar="TEXT", help="text written for NULL (default: an empty field)")
    csv_options.add_argument("--no-header", action="store_true", help="leave out the header row")
    csv_options.add_argument(
        "--neutralise-formulas", action=argparse.BooleanOptionalAction, default=None,
        help="prefix text starting with = + - @ Tab or CR with ' so spreadsheets show it as text "
        "(default: on for the Excel profiles, off otherwise)",
    )
    export.add_argument("--rows-per-sheet", type=int, metavar="N", help=argparse.SUPPRESS)
    export.add_argument("--name", help="export name, used for the file name")
    export.add_argument("--retention", type=parse_duration, metavar="DURATION", help="how long to keep the file, e.g. 90s, 30m, 24h (default: the setting, 24h)")
    export.add_argument("--wait", action="store_true", help="run the job to its end, with progress on a terminal")
    export.add_argument(
        "--ask-password",
        action="store_true",
        help="read the source password from the terminal (or one line of stdin) and keep it for this run only; needs --wait",
    )
    export.add_argument("--json", action="store_true", help="print the job as one JSON object")
    export.set_defaults(handler=cmd_export)

    listing = commands.add_parser("list", help="list your jobs, newest first")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)

    status = commands.add_parser("status", help="show one job")
    status.add_argument("job", metavar="JOB")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)

    wait = commands.add_parser("wait", help="run the engine until the job ends")
    wait.add_argument("job", metavar="JOB")
    wait.add_argument("--json", action="store_true")
    wait.add_argument("--ask-password", action="store_true", help="read the source password again, for a job whose password was kept for one run only")
    wait.set_defaults(handler=cmd_wait)

    download = commands.add_parser("download", help="copy a ready job's file")
    download.add_argument("job", metavar="JOB")
    download.add_argument("--to", required=True, metavar="PATH", help="destination file or folder")
    download.set_defaults(handler=cmd_download)

    for name, handler, text in (
        ("cancel", cmd_cancel, "cancel a queued or running job"),
        ("remove", cmd_remove, "delete an ended job and its file"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("job", metavar="JOB")
        sub.set_defaults(handler=handler)

    sources = commands.add_parser("source", help="saved sources: add, list, test, remove")
    source_commands = sources.add_subparsers(dest="source_command", metavar="ACTION", required=True)
    add = source_commands.add_parser("add", help="save an SQL source under a name; its password goes to the keyring")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--url", help="SQLAlchemy URL; a password in it is moved to the keyring")
    add.add_argument("--ask-password", action="store_true", help="read the password from the terminal (or one line of stdin)")
    http = add.add_argument_group("HTTP JSON API (with --http instead of --url)")
    http.add_argument("--http", metavar="BASE_URL", help="base URL of the API, e.g. https://api.example.com")
    http.add_argument("--endpoint", action="append", metavar="NAME=PATH", help="an endpoint to export as a table; repeat for more")
    http.add_argument("--auth", choices=["none", "bearer", "basic", "api_key"], default="none",
                      help="authentication; the token or password is read from the terminal (or one line of stdin)")
    http.add_argument("--user", help="user name for basic authentication")
    http.add_argument("--api-key-header", help="header that carries the API key (default: X-API-Key)")
    http.add_argument("--pagination", choices=["none", "next_url", "link_header", "cursor", "offset"], default="next_url")
    http.add_argument("--records-path", default="", help="dotted path to the list of records, e.g. data.items (default: the body)")
    http.add_argument("--total-path", default="", help="dotted path to the total record count, if the API gives one")
    http.add_argument("--next-url-path", help="dotted path to the next page's URL (default: next)")
    http.add_argument("--cursor-path", help="dotted path to the next cursor (default: next_cursor)")
    http.add_argument("--cursor-param", help="request parameter that takes the cursor (default: cursor)")
    http.add_argument("--page-size", type=int, help="records per page (default: 100)")
    add.set_defaults(handler=cmd_source_add)
    listed = source_commands.add_parser("list", help="list saved sources")
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(handler=cmd_source_list)
    tested = source_commands.add_parser("test", help="connect and list tables with row counts")
    tested.add_argument("name", metavar="NAME")
    tested.set_defaults(handler=cmd_source_test)
    removed = source_commands.add_parser("remove", help="delete a saved source and its password")
    removed.add_argument("name", metavar="NAME")
    removed.set_defaults(handler=cmd_source_remove)

    verify = commands.add_parser("verify", help="check an artifact against its manifest or recorded SHA-256")
    verify.add_argument("target", metavar="JOB|FILE", help="a job id, or the path of a downloaded ZIP")
    verify.set_defaults(handler=cmd_verify)

    run_parser = commands.add_parser("run", help="run queued jobs until none is left (export without --wait starts this)")
    run_parser.set_defaults(handler=cmd_run)

    sweep_parser = commands.add_parser("sweep", help="delete expired files and reconcile storage now")
    sweep_parser.set_defaults(handler=cmd_sweep)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from exportdesk.gui.app import run_gui

        return run_gui(data_dir=args.data_dir, account=args.account)

    try:
        ctx = Context(args.data_dir, args.account)
    except DataDirRejected as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    set_language(ctx.settings.language)
    try:
        return int(args.handler(ctx, args))
    except UsageError as error:
        parser.error(str(error))
    except JobNotFound as error:
        print(f"Job {error.job_id} not found", file=sys.stderr)
        return EXIT_NOT_FOUND
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (such as `head`) closed the pipe: stop quietly, as other CLI tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        ctx.close()
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
