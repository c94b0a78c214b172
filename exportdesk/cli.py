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
import unicodedata
from pathlib import Path
from typing import Any, TextIO

from exportdesk import __version__, credentials
from exportdesk.argparse_i18n import argparse_in_current_language
from exportdesk.context import Context, DataDirRejected, Paths, Settings, default_data_dir
from exportdesk.engine import actions
from exportdesk.engine.headless import HeadlessDispatcher
from exportdesk.engine.instance import InstanceLock
from exportdesk.engine.preflight import blocks_queueing, run_preflight
from exportdesk.logs import logging_to_file
from exportdesk.engine.recovery import recover_stale_jobs
from exportdesk.engine.retention import sweep
from exportdesk.formats import FORMATS
from exportdesk.formats.bundle import verify_bundle, verify_file
from exportdesk.formats.csv import PROFILES, UnknownProfile
from exportdesk.i18n import set_language
from exportdesk.jobs import InvalidTransition, Job, JobState
from exportdesk.i18n import format_count, format_percent, format_size, tr
from exportdesk.messages import EXPIRED_MESSAGE, job_message, state_label
from exportdesk.jobs import ExportDeskError, JobSpec
from exportdesk.messages import error_message
from exportdesk.sources import open_source
from exportdesk.sources import HTTP_PREFIX, http_source_string, secret_ref_of
from exportdesk.sources.http import HttpApiConfig, InvalidHttpConfig
from exportdesk.sources.sql import TransientSourceError
from exportdesk.store.saved_sources import SavedSource, SavedSources, SourceNotFound
from exportdesk.sources.demo import DEMO_SOURCE, demo_database_path, ensure_demo_database
from exportdesk.store import JobNotFound

log = logging.getLogger(__name__)

EXIT_OK, EXIT_JOB_FAILED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_EXPIRED = 0, 1, 2, 3, 4
CLI_LOG_FILE = "cli.log"
ENGINE_LOG_FILE = "engine.log"
WAIT_POLL_S = 0.2
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class UsageError(Exception):
    pass


def parse_duration(text: str) -> int:
    """Parse `90s`, `30m`, `24h` or `7d` into seconds."""
    match = _DURATION.match(text)
    if not match:
        raise argparse.ArgumentTypeError(
            tr("invalid duration {value}: use a number and s, m, h or d, e.g. 24h").format(value=repr(text))
        )
    return int(match.group(1)) * _UNITS[match.group(2)]


def parse_retention(text: str) -> int:
    """Parse a retention period like `parse_duration`, within 1 s to `actions.MAX_RETENTION_DAYS` days."""
    seconds = parse_duration(text)
    if seconds < 1:
        raise argparse.ArgumentTypeError(tr("invalid retention {value}: use at least 1s").format(value=repr(text)))
    if seconds > actions.MAX_RETENTION_S:
        raise argparse.ArgumentTypeError(
            tr("invalid retention {value}: use at most {days} days, e.g. 30d").format(
                value=repr(text), days=actions.MAX_RETENTION_DAYS
            )
        )
    return seconds


def parse_whole_number(text: str) -> int:
    """Parse a whole number such as `100`. Unlike `type=int`, the error names no Python type."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("invalid whole number {value}").format(value=repr(text))) from None


def parse_column_list(text: str) -> tuple[str, ...]:
    """Split a comma-separated column list, dropping blanks around each name."""
    return tuple(name.strip() for name in text.split(","))


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
        "columns": list(job.spec.selection.columns) if job.spec.selection.columns is not None else None,
        "file_name": job.file_name,
        "created_at": stamp(job.created_at),
        "finished_at": stamp(job.finished_at),
        "expires_at": stamp(job.expires_at),
        "error_code": job.error_code.value if job.error_code else None,
        "message": job_message(job),
    }


def display_width(text: str) -> int:
    """Return the terminal columns `text` takes: two for a wide East Asian character, none for a combining mark."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad `text` with spaces to `width` terminal columns, on the left when `right` aligns it right."""
    padding = " " * max(0, width - display_width(text))
    return padding + text if right else text + padding


def _print_job(job: Job, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(job_to_json(job), ensure_ascii=False) + "\n")
        return
    rows = tr("%Ln row(s)", None, job.rows_done)
    size = format_size(job.bytes_written)
    state_width = max(display_width(state_label(state)) for state in JobState)
    state = pad(state_label(job.state), state_width)
    line = f"{job.id}  {state} {pad(rows, 16, right=True)}  {pad(size, 11, right=True)}  {job.file_name}"
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
    return getpass.getpass(tr("Password: ")) if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")


def _source_without_secret(args: argparse.Namespace) -> str:
    """Move a password out of the source URL into the keyring or, for this run only, memory.

    The job table keeps the URL without the password. "Ask each time" (`--ask-password`, or
    no working keyring) keeps the password only in this process, so it needs `--wait`.
    """
    if args.source == DEMO_SOURCE:
        return str(args.source)
    if args.ask_password and not args.wait:
        raise UsageError(tr("--ask-password needs --wait: the password is kept only while this command runs"))
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
    except credentials.SecretStoreUnavailable:
        if not args.wait:
            raise UsageError(
                tr(
                    "the system password store is unavailable, so the password cannot be saved: "
                    "add --wait to use it for this run only, or use --ask-password --wait to type it"
                )
            ) from None
        credentials.remember_for_session(credentials.url_secret_ref(public), password)
        print(tr("The system password store is unavailable: the password is used for this run only."), file=sys.stderr)
    return public


def _progress_line(job: Job) -> str:
    total = job.rows_total
    if total:
        fraction = min(1.0, job.rows_done / total)
        bar = "#" * int(fraction * 30)
        total_text = tr("%Ln row(s)", None, total)
        return f"\r[{bar:<30}] {format_percent(fraction):>6} {format_count(job.rows_done)}/{total_text}"
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
        percent = f"{format_percent(done / max(total, 1)):>6}"
        sys.stderr.write("\r" + tr("Preparing demo data: {percent}").format(percent=percent))
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
        print(
            tr("The engine already runs in process {pid}, and it runs the queued jobs.").format(pid=lock.holder_pid()),
            file=sys.stderr,
        )
        return EXIT_OK
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
            tr(
                "--source: no saved source is called {name}: use 'demo', an SQLAlchemy URL, "
                "or a name from 'exportdesk source list'"
            ).format(name=repr(args.source))
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
            raise UsageError(tr("--endpoint {value}: use NAME=PATH, e.g. orders=/api/orders").format(value=repr(item)))
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
    except InvalidHttpConfig as error:
        raise UsageError(str(error)) from None
    except (TypeError, ValueError) as error:
        raise UsageError(tr("invalid HTTP source settings: {error}").format(error=error)) from None


def _add_http_source(ctx: Context, args: argparse.Namespace) -> int:
    config = _http_config(ctx, args)
    if config.auth != "none":
        secret = _read_password()
        try:
            credentials.save_secret(config.secret_ref, secret)
        except credentials.SecretStoreUnavailable:
            print(
                tr(
                    "The system password store is unavailable, so the token was not saved. "
                    "Give it with 'export --ask-password --wait' each time."
                ),
                file=sys.stderr,
            )
    SavedSources(ctx.store).save(ctx.owner, args.name, "http", {"config": config.to_json()})
    print(tr("Source {name} saved").format(name=repr(args.name)))
    return EXIT_OK


def cmd_source_add(ctx: Context, args: argparse.Namespace) -> int:
    if (args.url is None) == (args.http is None):
        raise UsageError(tr("give either --url (an SQL database) or --http (an HTTP JSON API)"))
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
                tr(
                    "The system password store is unavailable, so the password was not saved. "
                    "Give it with 'export --ask-password --wait' each time."
                ),
                file=sys.stderr,
            )
    SavedSources(ctx.store).save(ctx.owner, args.name, "sql", {"url": public})
    print(tr("Source {name} saved").format(name=repr(args.name)))
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
        print(tr("Source {name} not found").format(name=repr(args.name)), file=sys.stderr)
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
        print(tr("Source {name} not found").format(name=repr(args.name)), file=sys.stderr)
        return EXIT_NOT_FOUND
    ref = secret_ref_of(saved_source_string(source))
    if ref:
        credentials.delete_secret(ref)
    print(tr("Source {name} removed").format(name=repr(args.name)))
    return EXIT_OK


def _preflight_allows(ctx: Context, spec: JobSpec, quiet: bool, wait: bool) -> bool:
    """Print the pre-flight estimate and warnings; return False when the job cannot work.

    Without `wait`, a source error that the job would meet as well (see `blocks_queueing`)
    is printed and rejects the job. With `wait` the job runs at once and fails with the same
    message. A transient error, such as a locked database, is printed and the job goes on,
    because it may have cleared by the time the job runs, and the job retries it.
    """
    try:
        result = run_preflight(spec, ctx.paths.data_dir, ctx.storage.free_bytes())
    except ExportDeskError as error:
        log.info("Pre-flight failed with %s: %s", error.code.value, error.detail)
        message = error_message(error.code, error.subject)
        if not wait and blocks_queueing(error, spec.source):
            print(message, file=sys.stderr)
            return False
        if isinstance(error, TransientSourceError):
            status = tr("Trying again for a few seconds…") if wait else tr("The job is queued and will try again when it runs.")
            print(f"{message} {status}", file=sys.stderr)
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
        raise UsageError(tr("give either --table NAME (one or more) or --query SQL"))
    retention = args.retention if args.retention is not None else ctx.settings.retention_s
    source = _source_without_secret(args)
    spec = actions.new_spec(
        source, tuple(args.table or ()), args.query, args.profile, args.name or "", retention,
        format_name=args.format, options=_format_options(args), columns=args.columns,
    )
    try:
        actions.validate_spec(spec)
    except (actions.InvalidSpec, UnknownProfile) as error:
        raise UsageError(str(error)) from None
    _check_columns_exist(ctx, spec)
    if not _preflight_allows(ctx, spec, quiet=args.json, wait=args.wait):
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


def _check_columns_exist(ctx: Context, spec: JobSpec) -> None:
    """Reject --columns naming a column the table lacks. The pre-flight reports a source that cannot be read."""
    try:
        actions.check_columns_in_source(spec, ctx.paths.data_dir)
    except actions.InvalidSpec as error:
        raise UsageError(f"--columns: {error}") from None
    except ExportDeskError as error:
        log.info("Checking the columns failed with %s: %s", error.code.value, error.detail)


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    for job in ctx.store.list(ctx.owner):
        _print_job(job, args.json, sys.stdout)
    return EXIT_OK


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    job = ctx.store.get(ctx.owner, args.job)
    _print_job(job, args.json, sys.stdout)
    columns = job.spec.selection.columns
    if columns is not None and not args.json:
        print("    " + tr("Columns: {columns}").format(columns=", ".join(columns)))
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
        reason = error.strerror or error
        print(tr("Cannot write {path}: {reason}. Choose another destination with --to.").format(path=args.to, reason=reason), file=sys.stderr)
        return EXIT_JOB_FAILED
    except actions.ArtifactNotReady as error:
        state = state_label(error.job.state)
        print(tr("Job {job} is not ready ({state}): only a ready job can be downloaded").format(job=args.job, state=state), file=sys.stderr)
        return EXIT_JOB_FAILED
    print(path)
    return EXIT_OK


def cmd_cancel(ctx: Context, args: argparse.Namespace) -> int:
    try:
        job = actions.cancel(ctx, args.job)
    except InvalidTransition:
        job = ctx.store.get(ctx.owner, args.job)
        print(tr("Job {job} has already ended ({state})").format(job=job.id, state=state_label(job.state)), file=sys.stderr)
        return EXIT_JOB_FAILED
    if job.state is JobState.CANCELLED:
        print(tr("{job} cancelled").format(job=job.id))
    else:
        print(tr("{job} cancel requested").format(job=job.id))
    return EXIT_OK


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    try:
        actions.remove(ctx, args.job)
    except InvalidTransition:
        print(tr("Job {job} is still active: cancel it first").format(job=args.job), file=sys.stderr)
        return EXIT_JOB_FAILED
    print(tr("{job} removed").format(job=args.job))
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
            state = state_label(error.job.state)
            print(tr("Job {job} is not ready ({state}): only a ready job can be verified").format(job=args.target, state=state), file=sys.stderr)
            return EXIT_JOB_FAILED
        report = verify_file(path, job.sha256, job.bytes_written)
        if path.suffix == ".zip":
            # Check the members too, so a changed archive names the files that differ.
            inner = verify_bundle(path)
            report.checked, report.problems = inner.checked, report.problems + inner.problems
    # The status words are padded to one width, so the names line up in both languages.
    passed, failed = tr("ok"), tr("FAILED")
    for name in report.checked:
        print(f"{passed:<8} {name}")
    for problem in report.problems:
        print(f"{failed:<8} {problem.message()}")
    return EXIT_OK if report.ok else EXIT_JOB_FAILED


def cmd_sweep(ctx: Context, args: argparse.Namespace) -> int:
    recover_stale_jobs(ctx.store, ctx.storage)
    report = sweep(ctx.store, ctx.storage)
    summary = tr("expired {expired}, missing {missing}, orphans deleted {orphans}, partial files deleted {parts}")
    print(
        summary.format(
            expired=len(report.expired), missing=len(report.missing),
            orphans=len(report.orphans_deleted), parts=len(report.parts_deleted),
        )
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Build the parser. Call it inside argparse_in_current_language(), after set_language()."""
    parser = argparse.ArgumentParser(
        prog="exportdesk", description=tr("Export data to files as jobs. Without a command, opens the window.")
    )
    parser.add_argument(
        "--version", action="version", version=f"ExportDesk {__version__}", help=tr("show program's version number and exit")
    )
    parser.add_argument(
        "--data-dir", type=Path, metavar=tr("DATA_DIR"),
        help=tr("app-data folder (default: $EXPORTDESK_DATA_DIR or the per-user folder)"),
    )
    parser.add_argument(
        "--account", metavar=tr("ACCOUNT"), help=tr("source account to act as (default: $EXPORTDESK_ACCOUNT or 'local')")
    )
    commands = parser.add_subparsers(dest="command", title=tr("commands"), metavar=tr("COMMAND"))
    job_help = tr("job id")

    export = commands.add_parser("export", help=tr("queue an export job (and with --wait, run it to its end)"))
    export.add_argument(
        "--source", required=True, metavar=tr("SOURCE"), help=tr("'demo', a saved source's name, or an SQLAlchemy URL")
    )
    selection = export.add_mutually_exclusive_group()
    selection.add_argument(
        "--table", nargs="+", metavar=tr("NAME", "table name"), help=tr("one or more tables; several go into one ZIP")
    )
    selection.add_argument("--query", metavar="SQL", help=tr("an SQL query to export"))
    export.add_argument(
        "--columns", type=parse_column_list, metavar=tr("COLUMNS"),
        help=tr("export only these columns of the one --table, in this order, separated by commas (default: all)"),
    )
    export.add_argument(
        "--format", choices=list(FORMATS), default="csv", help=tr("csv, xlsx (Excel), jsonl (JSON Lines) or json (default: csv)")
    )
    export.add_argument("--profile", choices=sorted(PROFILES), default="excel-ru", help=tr("CSV profile (default: excel-ru)"))
    csv_options = export.add_argument_group(tr("CSV options (override the profile)"))
    csv_options.add_argument("--delimiter", metavar=tr("DELIMITER"), help=tr("field delimiter, one character; 'tab' for Tab"))
    csv_options.add_argument("--quote", metavar=tr("QUOTE"), help=tr("quote character, one character (default: \")"))
    csv_options.add_argument("--line-end", choices=["lf", "crlf"], help=tr("line ending"))
    csv_options.add_argument(
        "--encoding", metavar=tr("ENCODING"), help=tr("text encoding, e.g. utf-8 or cp1251 (default: utf-8)")
    )
    csv_options.add_argument("--null", metavar=tr("TEXT"), help=tr("text written for NULL (default: an empty field)"))
    csv_options.add_argument("--no-header", action="store_true", help=tr("leave out the header row"))
    csv_options.add_argument(
        "--neutralise-formulas", action=argparse.BooleanOptionalAction, default=None,
        help=tr(
            "prefix text starting with = + - @ Tab or CR with ' so spreadsheets show it as text "
            "(default: on for the Excel profiles, off otherwise)"
        ),
    )
    export.add_argument("--rows-per-sheet", type=parse_whole_number, metavar="N", help=argparse.SUPPRESS)
    export.add_argument("--name", metavar=tr("NAME"), help=tr("export name, used for the file name"))
    export.add_argument(
        "--retention", type=parse_retention, metavar=tr("DURATION"),
        help=tr("how long to keep the file, e.g. 90s, 30m, 24h (default: the setting, 24h)"),
    )
    export.add_argument("--wait", action="store_true", help=tr("run the job to its end, with progress on a terminal"))
    export.add_argument(
        "--ask-password",
        action="store_true",
        help=tr(
            "read the source password from the terminal (or one line of stdin) and keep it for this run only; needs --wait"
        ),
    )
    export.add_argument("--json", action="store_true", help=tr("print the job as one JSON object"))
    export.set_defaults(handler=cmd_export)

    listing = commands.add_parser("list", help=tr("list your jobs, newest first"))
    listing.add_argument("--json", action="store_true", help=tr("print each job as one JSON object"))
    listing.set_defaults(handler=cmd_list)

    status = commands.add_parser("status", help=tr("show one job"))
    status.add_argument("job", metavar=tr("JOB"), help=job_help)
    status.add_argument("--json", action="store_true", help=tr("print the job as one JSON object"))
    status.set_defaults(handler=cmd_status)

    wait = commands.add_parser("wait", help=tr("run the engine until the job ends"))
    wait.add_argument("job", metavar=tr("JOB"), help=job_help)
    wait.add_argument("--json", action="store_true", help=tr("print the job as one JSON object"))
    wait.add_argument(
        "--ask-password", action="store_true",
        help=tr("read the source password again, for a job whose password was kept for one run only"),
    )
    wait.set_defaults(handler=cmd_wait)

    download = commands.add_parser("download", help=tr("copy a ready job's file"))
    download.add_argument("job", metavar=tr("JOB"), help=job_help)
    download.add_argument("--to", required=True, metavar=tr("PATH"), help=tr("destination file or folder"))
    download.set_defaults(handler=cmd_download)

    for name, handler, text in (
        ("cancel", cmd_cancel, tr("cancel a queued or running job")),
        ("remove", cmd_remove, tr("delete an ended job and its file")),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("job", metavar=tr("JOB"), help=job_help)
        sub.set_defaults(handler=handler)

    sources = commands.add_parser("source", help=tr("saved sources: add, list, test, remove"))
    source_commands = sources.add_subparsers(
        dest="source_command", title=tr("actions"), metavar=tr("ACTION"), required=True
    )
    source_name_help = tr("name of the saved source")
    add = source_commands.add_parser("add", help=tr("save an SQL source under a name; its password goes to the keyring"))
    add.add_argument("name", metavar=tr("NAME"), help=source_name_help)
    add.add_argument("--url", metavar="URL", help=tr("SQLAlchemy URL; a password in it is moved to the keyring"))
    add.add_argument(
        "--ask-password", action="store_true", help=tr("read the password from the terminal (or one line of stdin)")
    )
    http = add.add_argument_group(tr("HTTP JSON API (with --http instead of --url)"))
    http.add_argument("--http", metavar=tr("BASE_URL"), help=tr("base URL of the API, e.g. https://api.example.com"))
    http.add_argument(
        "--endpoint", action="append", metavar=tr("NAME=PATH"), help=tr("an endpoint to export as a table; repeat for more")
    )
    http.add_argument(
        "--auth", choices=["none", "bearer", "basic", "api_key"], default="none",
        help=tr("authentication; the token or password is read from the terminal (or one line of stdin)"),
    )
    http.add_argument("--user", metavar=tr("USER"), help=tr("user name for basic authentication"))
    http.add_argument(
        "--api-key-header", metavar=tr("API_KEY_HEADER"), help=tr("header that carries the API key (default: X-API-Key)")
    )
    http.add_argument(
        "--pagination", choices=["none", "next_url", "link_header", "cursor", "offset"], default="next_url",
        help=tr("how the API splits the records into pages (default: next_url)"),
    )
    http.add_argument(
        "--records-path", default="", metavar=tr("RECORDS_PATH"),
        help=tr("dotted path to the list of records, e.g. data.items (default: the body)"),
    )
    http.add_argument(
        "--total-path", default="", metavar=tr("TOTAL_PATH"),
        help=tr("dotted path to the total record count, if the API gives one"),
    )
    http.add_argument(
        "--next-url-path", metavar=tr("NEXT_URL_PATH"), help=tr("dotted path to the next page's URL (default: next)")
    )
    http.add_argument(
        "--cursor-path", metavar=tr("CURSOR_PATH"), help=tr("dotted path to the next cursor (default: next_cursor)")
    )
    http.add_argument(
        "--cursor-param", metavar=tr("CURSOR_PARAM"), help=tr("request parameter that takes the cursor (default: cursor)")
    )
    http.add_argument(
        "--page-size", type=parse_whole_number, metavar=tr("PAGE_SIZE"), help=tr("records per page (default: 100)")
    )
    add.set_defaults(handler=cmd_source_add)
    listed = source_commands.add_parser("list", help=tr("list saved sources"))
    listed.add_argument("--json", action="store_true", help=tr("print each source as one JSON object"))
    listed.set_defaults(handler=cmd_source_list)
    tested = source_commands.add_parser("test", help=tr("connect and list tables with row counts"))
    tested.add_argument("name", metavar=tr("NAME"), help=source_name_help)
    tested.set_defaults(handler=cmd_source_test)
    removed = source_commands.add_parser("remove", help=tr("delete a saved source and its password"))
    removed.add_argument("name", metavar=tr("NAME"), help=source_name_help)
    removed.set_defaults(handler=cmd_source_remove)

    verify = commands.add_parser("verify", help=tr("check an artifact against its manifest or recorded SHA-256"))
    verify.add_argument("target", metavar=tr("JOB|FILE"), help=tr("a job id, or the path of a downloaded ZIP"))
    verify.set_defaults(handler=cmd_verify)

    run_parser = commands.add_parser(
        "run", help=tr("run queued jobs until none is left (export without --wait starts this)")
    )
    run_parser.set_defaults(handler=cmd_run)

    sweep_parser = commands.add_parser("sweep", help=tr("delete expired files and reconcile storage now"))
    sweep_parser.set_defaults(handler=cmd_sweep)
    return parser


def _data_dir_argument(argv: list[str]) -> Path | None:
    """Return the `--data-dir` value that the parser will read from `argv`, or None.

    The options before the command are scanned as argparse does, abbreviations and
    `--data-dir=PATH` included, but without failing on a malformed command line.
    """
    found = None
    position = 0
    while position < len(argv):
        token = argv[position]
        if token == "--" or not token.startswith("-"):
            break
        name, has_value, value = token.partition("=")
        if len(name) > 2 and "--data-dir".startswith(name):
            if has_value:
                found = Path(value)
            elif position + 1 < len(argv):
                found = Path(argv[position + 1])
                position += 1
        elif len(name) > 2 and "--account".startswith(name) and not has_value:
            position += 1
        position += 1
    return found


def _language_setting(argv: list[str]) -> str:
    """Return the language setting of the data folder that `argv` names, without opening the folder."""
    data_dir = (_data_dir_argument(argv) or default_data_dir()).expanduser().absolute()
    return Settings.load(Paths(data_dir).settings_file).language


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    # The help and argparse's errors are written while parsing, so the language comes first.
    set_language(_language_setting(arguments))
    with argparse_in_current_language():
        parser = build_parser()
        args = parser.parse_args(arguments)
    if args.command is None:
        from exportdesk.gui.app import run_gui

        return run_gui(data_dir=args.data_dir, account=args.account)

    try:
        ctx = Context(args.data_dir, args.account)
    except DataDirRejected as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    set_language(ctx.settings.language)
    # Log records stay English and go to a file. With no handler, Python would print warnings
    # on stderr among the translated messages.
    log_file = ENGINE_LOG_FILE if args.handler is cmd_run else CLI_LOG_FILE
    try:
        with logging_to_file(ctx.paths.logs, log_file):
            return int(args.handler(ctx, args))
    except UsageError as error:
        with argparse_in_current_language():
            parser.error(str(error))
    except JobNotFound as error:
        print(tr("Job {job} not found").format(job=error.job_id), file=sys.stderr)
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
