"""The real window on a virtual X display: screenshots in both languages, and 125 % and 200 % scaling.

The suite runs Qt offscreen, which has no window manager, screen or scaling of its own, so
these tests start their own Xvfb and open the window in a child process with the xcb platform.
The child is scripts/screenshots.py. It builds the window, grabs it and writes the sizes it
measured to a JSON probe file, and the checks on those sizes are made here.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from exportdesk.sources import demo

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "screenshots.py"
# Physical screen of the virtual display. At QT_SCALE_FACTOR=2 the window gets 960 x 540.
SCREEN = (1920, 1080)
XVFB_START_TIMEOUT_S = 10
WINDOW_TIMEOUT_S = 60

RUSSIAN_HEADERS = [
    "Название", "Источник", "Формат", "Состояние", "Прогресс", "Строки", "Скорость", "Осталось", "Размер", "Создан", "Истекает через",
]
ENGLISH_HEADERS = ["Name", "Source", "Format", "State", "Progress", "Rows", "Speed", "Time left", "Size", "Created", "Expires in"]
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """Start Xvfb on a free display number, which it reports through -displayfd."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed; install it with: bash scripts/install-system-deps.sh --test")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], XVFB_START_TIMEOUT_S)
        number = os.read(read_end, 64).decode().strip() if ready else ""
        if not number:
            pytest.fail(f"Xvfb did not report a display within {XVFB_START_TIMEOUT_S} s (exit code {server.poll()})")
        yield f":{number}"
    finally:
        os.close(read_end)
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def window_data_dir(tmp_path_factory: pytest.TempPathFactory, demo_database: Path) -> Path:
    """A data folder with the four jobs of the screenshots, built once for the module."""
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import screenshots
    finally:
        sys.path.remove(str(SCRIPT.parent))
    data_dir = tmp_path_factory.mktemp("window") / "data"
    target = demo.demo_database_path(data_dir)
    target.parent.mkdir(parents=True)
    shutil.copyfile(demo_database, target)
    screenshots.build_data_folder(data_dir)
    return data_dir


def open_window(display: str, data_dir: Path, language: str, probe: Path, scale: str = "1", images: Path | None = None) -> dict[str, Any]:
    """Open the window in a child process on `display`, and return what it measured."""
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=scale)
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    command = [sys.executable, str(SCRIPT), "--capture", language, "--data-dir", str(data_dir), "--probe", str(probe)]
    command += ["--out", str(images)] if images is not None else ["--no-images", "--default-size"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=WINDOW_TIMEOUT_S, check=False)
    assert probe.exists(), f"the window wrote no probe (exit code {result.returncode}):\n{result.stderr}"
    report = json.loads(probe.read_text(encoding="utf-8"))
    assert "error" not in report, f"{report['error']}\n{result.stderr}"
    assert result.returncode == 0, result.stderr
    return report


@pytest.fixture(scope="module")
def scaled_reports(display: str, window_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, Any]]:
    """Reports of the window at its own size, by (language, scale), each measured once per module."""
    reports: dict[tuple[str, str], dict[str, Any]] = {}
    folder = tmp_path_factory.mktemp("scaled")
    for language in ("ru", "en"):
        for scale in ("2", "1.25"):
            reports[language, scale] = open_window(display, window_data_dir, language, folder / f"{language}-{scale}.json", scale=scale)
    return reports


def blank_share(image: QImage) -> float:
    """Return the share of sampled pixels that have the image's most common colour."""
    counts: dict[int, int] = {}
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            pixel = image.pixel(x, y)
            counts[pixel] = counts.get(pixel, 0) + 1
    return max(counts.values()) / sum(counts.values())


def distinct_colours(image: QImage) -> int:
    return len({image.pixel(x, y) for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)})


@pytest.mark.parametrize(("language", "headers"), [("ru", RUSSIAN_HEADERS), ("en", ENGLISH_HEADERS)])
def test_main_window_screenshot(
    display: str, window_data_dir: Path, tmp_path_factory: pytest.TempPathFactory, language: str, headers: list[str]
) -> None:
    folder = tmp_path_factory.mktemp(f"screenshots-{language}")
    report = open_window(display, window_data_dir, language, folder / "probe.json", images=folder)
    print(f"screenshots of the {language} window: {folder}")

    image = QImage(str(folder / f"main.{language}.png"))
    assert not image.isNull(), f"no readable main.{language}.png in {folder}"
    assert (image.width(), image.height()) == (report["width"], report["height"])
    assert blank_share(image) < 0.98, f"main.{language}.png is nearly one colour"
    assert distinct_colours(image) >= 8, f"main.{language}.png has almost no detail"
    assert report["title"] == "ExportDesk"
    assert [section["text"] for section in report["headers"]] == headers
    assert clipped_headers(report) == []
    assert clipped_state_cells(report) == []

    toolbar_texts = [button["text"] for button in report["toolbar"]]
    if language == "ru":
        untranslated = [text for text in toolbar_texts if not CYRILLIC.search(text)]
        assert untranslated == [], f"toolbar buttons left in English: {untranslated}"
    else:
        translated = [text for text in toolbar_texts if CYRILLIC.search(text)]
        assert translated == [], f"toolbar buttons in Russian in the English window: {translated}"
    for scene in ("failed", "expired", "new-export", "settings", "sources"):
        assert not QImage(str(folder / f"{scene}.{language}.png")).isNull(), f"{scene}.{language}.png is missing"


def clipped_headers(report: dict[str, Any]) -> list[str]:
    return [
        f"{section['text']!r}: {section['width']} px for {section['text_width'] + section['padding']} px"
        for section in report["headers"]
        if section["width"] < section["text_width"] + section["padding"]
    ]


def clipped_state_cells(report: dict[str, Any]) -> list[str]:
    return [
        f"{cell['text']!r}: {cell['width']} px for {cell['needed']} px" for cell in report["state_cells"] if cell["width"] < cell["needed"]
    ]


def clipped_toolbar_buttons(report: dict[str, Any]) -> list[str]:
    return [
        f"{button['text']!r}: visible={button['visible']}, {button['width']} px for {button['hint_width']} px"
        for button in report["toolbar"]
        if not button["visible"] or button["width"] < button["hint_width"]
    ]


def clipped_widgets(widgets: list[dict[str, Any]]) -> list[str]:
    """List buttons and one-line labels narrower or lower than their minimum size hint.

    Labels with an Ignored width policy (the details panel's values) may be cut by design.
    """
    return [
        f"{widget['class']} {widget['text']!r}: {widget['width']}x{widget['height']} px "
        f"for {widget['min_width']}x{widget['min_height']} px"
        for widget in widgets
        if not widget["elastic"] and (widget["width"] < widget["min_width"] or widget["height"] < widget["min_height"])
    ]


@pytest.mark.parametrize("scale", ["2", "1.25"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_scaled_window_not_clipped(scaled_reports: dict[tuple[str, str], dict[str, Any]], scale: str, language: str) -> None:
    report = scaled_reports[language, scale]

    assert report["device_pixel_ratio"] == pytest.approx(float(scale))
    assert clipped_headers(report) == []
    assert clipped_state_cells(report) == []
    assert clipped_toolbar_buttons(report) == []
    assert clipped_widgets(report["widgets"]) == []
    assert clipped_widgets(report["new_export"]["widgets"]) == []
    assert clipped_widgets(report["settings"]["widgets"]) == []
    assert clipped_widgets(report["sources"]["widgets"]) == []


@pytest.mark.parametrize("language", ["ru", "en"])
def test_new_export_dialog_fits_screen_at_200_percent(scaled_reports: dict[tuple[str, str], dict[str, Any]], language: str) -> None:
    dialog = scaled_reports[language, "2"]["new_export"]

    # A 1920 x 1080 screen at 200 % leaves 960 x 540 logical pixels.
    assert (dialog["screen_width"], dialog["screen_height"]) == (SCREEN[0] // 2, SCREEN[1] // 2)
    assert dialog["width"] <= dialog["screen_width"], f"the dialog is {dialog['width']} px wide"
    assert dialog["height"] <= dialog["screen_height"], f"the dialog is {dialog['height']} px high"
    assert dialog["min_height"] <= dialog["screen_height"]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_main_window_fits_screen_at_200_percent(scaled_reports: dict[tuple[str, str], dict[str, Any]], language: str) -> None:
    report = scaled_reports[language, "2"]

    # A 1920 x 1080 screen at 200 % leaves 960 x 540 logical pixels; a job is selected, so the
    # details panel shows its fields.
    assert report["min_width"] <= SCREEN[0] // 2, f"the window needs {report['min_width']} px"
    assert report["min_height"] <= SCREEN[1] // 2, f"the window needs {report['min_height']} px"
