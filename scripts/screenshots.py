"""Take the screenshots of the user guide: the real window on a throwaway data folder.

Run it through `bash scripts/screenshots.sh`, which starts a virtual X display. The script

1. builds a data folder in a temporary directory with the demo database, a saved source and
   four jobs made by the product's own code. The real engine runs a ready and an expired CSV
   export and an SQL query that fails. The fourth job is running, and its progress is
   recorded through the job store as a worker records it, so the images stay the same;
2. opens the window with `run_gui()` once per language, each in a child process, because a
   process keeps Qt's Russian translation once it is installed;
3. saves PNG files named `<scene>.<language>.png` to docs/images/: main, failed, expired,
   new-export, settings and sources.

`--probe FILE` also writes the sizes the scaling tests check (column headers, toolbar buttons,
the new-export dialog against the screen) as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from exportdesk.context import Context, Settings  # noqa: E402
from exportdesk.engine import actions  # noqa: E402
from exportdesk.engine.runner import run_job  # noqa: E402
from exportdesk.jobs import Job, JobState  # noqa: E402
from exportdesk.sources import demo  # noqa: E402
from exportdesk.store.saved_sources import SavedSources  # noqa: E402

WINDOW_SIZE = (1400, 680)
LANGUAGES = ("ru", "en")
# The lease of the job shown as running. The window's dispatcher leaves it alone while this
# process is alive and its heartbeat is younger than the stale limit (30 s).
SCREENSHOT_INSTANCE = "screenshots"
WAIT_TIMEOUT_S = 30.0
# The running job's recorded progress: 138,000 of the 336,776 flights, shown as 40 %.
RUNNING_ROWS_DONE = 138_000
FLIGHTS_ROWS = 336_776

# Errors met while driving the window, which make the capture exit with status 1.
_failures: list[str] = []


# Data folder --------------------------------------------------------------------------------


def _run_now(ctx: Context, job: Job) -> Job:
    """Claim `job` and export it in this process with the real runner, as a worker does."""
    claimed = ctx.store.claim_next(SCREENSHOT_INSTANCE)
    if claimed is None or claimed.id != job.id:
        raise RuntimeError(f"Job {job.id} was not the next queued job")
    return run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)


def build_data_folder(data_dir: Path) -> None:
    """Create the demo database and the four jobs of the screenshots in `data_dir`."""
    demo.ensure_demo_database(data_dir)
    ctx = Context(data_dir)
    try:
        hour = dt.timedelta(hours=1)
        start = dt.datetime.now(dt.timezone.utc) - 3 * hour

        # Expired: a real export whose retention ended; the retention sweep deleted its file.
        expired = actions.submit(ctx, actions.new_spec("demo", tables=("airports",), profile="utf8"), now=start)
        _run_now(ctx, expired)
        ctx.store.expire(expired.id)
        ctx.storage.delete_job_files(ctx.owner, expired.id)

        # Failed: a query on a table the demo database does not have.
        query = "SELECT carrier, COUNT(*) FROM flight GROUP BY carrier"
        failed = actions.submit(ctx, actions.new_spec("demo", query=query, name="carriers"), now=start + hour)
        ended = _run_now(ctx, failed)
        if ended.state is not JobState.FAILED:
            raise RuntimeError(f"The failing query ended as {ended.state.value}")

        # Ready: the planes table for Excel with Russian regional settings.
        ready = actions.submit(ctx, actions.new_spec("demo", tables=("planes",), profile="excel-ru"), now=start + 2 * hour)
        ended = _run_now(ctx, ready)
        if ended.state is not JobState.READY:
            raise RuntimeError(f"The planes export ended as {ended.state.value}")

        # Running: flights to XLSX, with progress recorded as the runner records it.
        running = actions.submit(ctx, actions.new_spec("demo", tables=("flights",), format_name="xlsx"), now=start + 3 * hour)
        claimed = ctx.store.claim_next(SCREENSHOT_INSTANCE)
        if claimed is None or claimed.id != running.id:
            raise RuntimeError("The flights export was not the next queued job")
        ctx.store.report_progress(running.id, RUNNING_ROWS_DONE, 5_400_000, rows_total=FLIGHTS_ROWS)

        # A saved source for the sources dialog. Saving it connects nowhere.
        SavedSources(ctx.store).save(ctx.owner, "shop", "sql", {"url": "postgresql+psycopg://analyst@127.0.0.1:5432/shop"})
    finally:
        ctx.close()


def _hold_running_lease(data_dir: Path) -> None:
    """Give the running job this process as its worker, so that the window does not settle it."""
    ctx = Context(data_dir)
    try:
        for job in ctx.store.engine_jobs_in(JobState.RUNNING):
            ctx.store.set_lease_pid(job.id, os.getpid())
    finally:
        ctx.close()


# Window -------------------------------------------------------------------------------------


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = WAIT_TIMEOUT_S) -> None:
    """Process Qt events until `condition()` is true; raise TimeoutError after `timeout_s`."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"Timed out after {timeout_s:.0f} s waiting for {what}")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    settle()


def settle() -> None:
    """Deliver posted events (layout, polish, paint requests) until none is left."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def save_image(widget: Any, path: Path) -> None:
    """Grab `widget` and save it as an 8-bit palette PNG, which is a third of the size of RGB."""
    from PySide6.QtCore import Qt

    image = widget.grab().toImage()
    image = image.convertToFormat(image.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG", 0):
        raise OSError(f"Cannot write {path}")
    print(f"screenshots: wrote {path} ({path.stat().st_size // 1024} KB)")


def _main_window() -> Any:
    from PySide6.QtWidgets import QApplication

    from exportdesk.gui.main_window import MainWindow

    windows = [widget for widget in QApplication.topLevelWidgets() if isinstance(widget, MainWindow)]
    return windows[0] if windows else None


def _select_state(window: Any, state: JobState) -> None:
    for job in window.model.jobs():
        if job.state is state:
            window.select_job(job.id)
            wait_until(lambda: window.selected_job() is not None and window.selected_job().state is state, f"a {state.value} job selected")
            return
    raise RuntimeError(f"No {state.value} job in the list")


def _header_report(table: Any) -> list[dict[str, Any]]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyle

    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    model = table.model()
    sections = []
    for section in range(header.count()):
        text = str(model.headerData(section, Qt.Orientation.Horizontal))
        sorted_here = header.isSortIndicatorShown() and header.sortIndicatorSection() == section
        sections.append(
            {
                "text": text,
                "width": header.sectionSize(section),
                "text_width": metrics.horizontalAdvance(text),
                # The space the style takes from the section besides the text.
                "padding": 2 * margin + (arrow + margin if sorted_here else 0),
            }
        )
    return sections


def _state_cell_report(table: Any) -> list[dict[str, Any]]:
    """Measure each state cell: the width of its label against the text rectangle the style lays out."""
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

    from exportdesk.gui.job_model import JobColumn

    model = table.model()
    style = table.style()
    # QCommonStyle draws the text inside this margin on both sides of its rectangle.
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    delegate = QStyledItemDelegate()
    cells = []
    for row in range(model.rowCount()):
        index = model.index(row, JobColumn.STATE)
        option = QStyleOptionViewItem()
        option.initFrom(table)
        option.rect = table.visualRect(index)
        # QTableView gives its items the small icon size unless it has an icon size of its own.
        icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, table)
        option.decorationSize = table.iconSize() if table.iconSize().isValid() else QSize(icon, icon)
        delegate.initStyleOption(option, index)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, table)
        text = str(index.data(Qt.ItemDataRole.DisplayRole))
        cells.append({"text": text, "width": text_rect.width() - 2 * margin, "needed": option.fontMetrics.horizontalAdvance(text)})
    return cells


def _widget_report(root: Any) -> list[dict[str, Any]]:
    """List the visible buttons and labels under `root` with their sizes and size hints."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    found = []
    for widget in root.findChildren(QAbstractButton) + root.findChildren(QLabel):
        if not widget.isVisibleTo(root) or not widget.text():
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            continue  # a wrapping label gives up width for height by design
        found.append(
            {
                "class": type(widget).__name__,
                "text": widget.text(),
                "width": widget.width(),
                "height": widget.height(),
                "min_width": widget.minimumSizeHint().width(),
                "min_height": widget.minimumSizeHint().height(),
                "hint_width": widget.sizeHint().width(),
                "text_width": widget.fontMetrics().horizontalAdvance(widget.text().replace("&", "")),
                "elastic": isinstance(widget, QLabel) and widget.sizePolicy().horizontalPolicy().name == "Ignored",
            }
        )
    return found


def _toolbar_report(window: Any) -> list[dict[str, Any]]:
    from PySide6.QtWidgets import QToolBar

    buttons = []
    for toolbar in window.findChildren(QToolBar):
        for action in toolbar.actions():
            if action.isSeparator():
                continue
            button = toolbar.widgetForAction(action)
            buttons.append(
                {
                    "text": action.text(),
                    "visible": button is not None and button.isVisible(),
                    "width": button.width() if button is not None else 0,
                    "hint_width": button.sizeHint().width() if button is not None else 0,
                }
            )
    return buttons


def _dialog_report(dialog: Any) -> dict[str, Any]:
    screen = dialog.screen().availableGeometry()
    frame = dialog.frameGeometry()
    return {
        "title": dialog.windowTitle(),
        "width": frame.width(),
        "height": frame.height(),
        "min_width": dialog.minimumSizeHint().width(),
        "min_height": dialog.minimumSizeHint().height(),
        "screen_width": screen.width(),
        "screen_height": screen.height(),
        "widgets": _widget_report(dialog),
    }


def _open_new_export(window: Any) -> Any:
    window.open_new_export()
    wait_until(lambda: window.new_export_dialog is not None and window.new_export_dialog.isVisible(), "the new-export dialog")
    dialog = window.new_export_dialog
    wait_until(lambda: dialog.table_list.topLevelItemCount() > 0, "the demo tables in the new-export dialog")
    return dialog


def drive_window(language: str, out_dir: Path | None, probe: Path | None, fixed_size: bool) -> None:
    """Wait for the window, save the scenes, write the probe, then quit the application."""
    from PySide6.QtWidgets import QApplication

    from exportdesk.gui.settings_dialog import SettingsDialog

    report: dict[str, Any] = {"language": language, "scale": os.environ.get("QT_SCALE_FACTOR", "1")}
    window = None
    try:
        wait_until(lambda: _main_window() is not None and _main_window().isVisible(), "the main window")
        window = _main_window()
        if fixed_size:
            window.resize(*WINDOW_SIZE)
        wait_until(lambda: window.model.rowCount() == 4, "the four jobs in the list")
        _select_state(window, JobState.READY)
        report.update(
            title=window.windowTitle(),
            width=window.width(),
            height=window.height(),
            min_width=window.minimumSizeHint().width(),
            min_height=window.minimumSizeHint().height(),
            device_pixel_ratio=window.devicePixelRatioF(),
            headers=_header_report(window.table),
            state_cells=_state_cell_report(window.table),
            toolbar=_toolbar_report(window),
            widgets=_widget_report(window),
        )
        if out_dir is not None:
            save_image(window, out_dir / f"main.{language}.png")
            _select_state(window, JobState.FAILED)
            save_image(window, out_dir / f"failed.{language}.png")
            _select_state(window, JobState.EXPIRED)
            save_image(window, out_dir / f"expired.{language}.png")

        dialog = _open_new_export(window)
        report["new_export"] = _dialog_report(dialog)
        if out_dir is not None:
            save_image(dialog, out_dir / f"new-export.{language}.png")
        dialog.reject()

        settings = SettingsDialog(window._ctx.settings, window)
        settings.show()
        wait_until(settings.isVisible, "the settings dialog")
        report["settings"] = _dialog_report(settings)
        if out_dir is not None:
            save_image(settings, out_dir / f"settings.{language}.png")
        settings.reject()

        window.open_sources()
        wait_until(lambda: window.sources_dialog is not None and window.sources_dialog.isVisible(), "the sources dialog")
        report["sources"] = _dialog_report(window.sources_dialog)
        if out_dir is not None:
            save_image(window.sources_dialog, out_dir / f"sources.{language}.png")
        window.sources_dialog.reject()
    except Exception as error:
        # Raising here would reach the window's crash dialog, so the error ends the run instead.
        traceback.print_exc()
        report["error"] = f"{type(error).__name__}: {error}"
        _failures.append(report["error"])
    finally:
        if probe is not None:
            probe.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        if window is not None:
            window.quit_leaving_jobs()
        else:
            QApplication.quit()


def capture(language: str, data_dir: Path, out_dir: Path | None, probe: Path | None, fixed_size: bool) -> int:
    """Open the window on `data_dir` in `language` and run `drive_window()` inside its event loop."""
    from PySide6.QtCore import QTimer

    from exportdesk.gui.app import create_application, run_gui

    settings_file = data_dir / "settings.json"
    settings = Settings.load(settings_file)
    settings.language = language
    settings.save(settings_file)
    _hold_running_lease(data_dir)

    create_application()
    QTimer.singleShot(0, lambda: drive_window(language, out_dir, probe, fixed_size))
    code = run_gui(data_dir)
    return 1 if _failures else code


# Command line -------------------------------------------------------------------------------


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Save screenshots of the ExportDesk window for the user guide.")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images", help="folder for the PNG files (default: docs/images)")
    parser.add_argument("--languages", default=",".join(LANGUAGES), help="comma-separated UI languages (default: ru,en)")
    parser.add_argument("--data-dir", type=Path, help="use this data folder; it is built when it has no job table yet")
    parser.add_argument("--capture", choices=LANGUAGES, help=argparse.SUPPRESS)
    parser.add_argument("--probe", type=Path, help="write the measured sizes of the window and dialogs to this JSON file")
    parser.add_argument("--no-images", action="store_true", help="save no PNG files, e.g. with --probe")
    parser.add_argument("--default-size", action="store_true", help="keep the window's own size instead of 1400x680")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    out_dir = None if args.no_images else args.out.resolve()
    fixed_size = not args.default_size
    if args.capture:
        return capture(args.capture, args.data_dir, out_dir, args.probe, fixed_size)

    if not os.environ.get("DISPLAY"):
        print("screenshots: DISPLAY is unset. Run: bash scripts/screenshots.sh", file=sys.stderr)
        return 2
    languages = [language.strip() for language in args.languages.split(",") if language.strip()]
    unknown = sorted(set(languages) - set(LANGUAGES))
    if unknown:
        print(f"screenshots: unknown language {', '.join(unknown)}; choose from {', '.join(LANGUAGES)}", file=sys.stderr)
        return 2
    temporary = None
    data_dir = args.data_dir
    if data_dir is None:
        temporary = Path(tempfile.mkdtemp(prefix="exportdesk-screenshots-"))
        data_dir = temporary / "data"
    try:
        if not (data_dir / "jobs.sqlite3").exists():
            build_data_folder(data_dir)
        for language in languages:
            command = [sys.executable, str(Path(__file__).resolve()), "--capture", language, "--data-dir", str(data_dir)]
            if out_dir is None:
                command.append("--no-images")
            else:
                command += ["--out", str(out_dir)]
            if args.probe is not None:
                command += ["--probe", str(args.probe.with_suffix(f".{language}.json"))]
            if args.default_size:
                command.append("--default-size")
            code = subprocess.run(command, check=False).returncode
            if code != 0:
                print(f"screenshots: the {language} window exited with code {code}", file=sys.stderr)
                return 1
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
