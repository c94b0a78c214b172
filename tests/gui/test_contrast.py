"""Contrast of the job list's text and state icons, in a light and a dark palette (WCAG 2.1).

Text needs 4.5:1 against the background it is drawn on (success criterion 1.4.3), and at least
half of a state icon's opaque pixels need 3:1 (1.4.11, for graphics needed to read the state).
The ratios are computed here from the WCAG formula, apart from the product's own helper.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QTableView
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.gui.contrast import error_style, warning_style
from exportdesk.gui.csv_options import CsvOptions
from exportdesk.gui.icons import state_icon
from exportdesk.gui.job_filter import JobFilterProxy
from exportdesk.gui.job_model import JobTableModel
from exportdesk.gui.job_table import build_job_table
from exportdesk.jobs import JobState

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# A dark scheme in the style of common Linux dark themes, set role by role.
DARK_COLOURS = {
    Role.Window: "#2b2b2b",
    Role.WindowText: "#eeeeee",
    Role.Base: "#1e1e1e",
    Role.AlternateBase: "#262626",
    Role.Text: "#eeeeee",
    Role.Button: "#353535",
    Role.ButtonText: "#eeeeee",
    Role.Highlight: "#3daee9",
    Role.HighlightedText: "#ffffff",
}


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(first: QColor, second: QColor) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK_COLOURS.items():
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture(params=["light", "dark"])
def palette_name(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """Set the application palette to Fusion's light one or to a dark one, and restore it after."""
    previous = qapp.palette()
    fusion = QStyleFactory.create("Fusion")
    qapp.setPalette(fusion.standardPalette() if request.param == "light" else dark_palette())
    yield request.param
    qapp.setPalette(previous)


@pytest.fixture
def job_table(gui_ctx: Context, palette_name: str) -> QTableView:
    model = JobTableModel(gui_ctx.store, gui_ctx.owner)
    return build_job_table(JobFilterProxy(model))


def test_dark_palette_is_dark(palette_name: str, qapp: QApplication) -> None:
    base = qapp.palette().color(Role.Base)
    if palette_name == "dark":
        assert luminance(base) < 0.05
    else:
        assert luminance(base) > 0.8


@pytest.mark.parametrize("group", [Group.Active, Group.Inactive])
@pytest.mark.parametrize(
    ("text_role", "background_role"),
    [(Role.Text, Role.Base), (Role.Text, Role.AlternateBase), (Role.HighlightedText, Role.Highlight)],
)
def test_job_list_text_contrast(job_table: QTableView, group: Group, text_role: Role, background_role: Role) -> None:
    palette = job_table.palette()
    text = palette.color(group, text_role)
    background = palette.color(group, background_role)

    ratio = contrast(text, background)

    assert ratio >= 4.5, f"{text.name()} on {background.name()} is {ratio:.2f}:1"


def drawn_share(icon: QIcon, background: QColor, mode: QIcon.Mode = QIcon.Mode.Normal) -> float:
    """Paint the icon at 16 px on `background`; return the share of its opaque pixels at 3:1 or more."""
    source = icon.pixmap(16, 16, mode).toImage()
    canvas = QImage(source.size(), QImage.Format.Format_ARGB32)
    canvas.fill(background)
    painter = QPainter(canvas)
    painter.drawImage(0, 0, source)
    painter.end()
    opaque = [(x, y) for y in range(source.height()) for x in range(source.width()) if source.pixelColor(x, y).alphaF() >= 0.5]
    visible = [point for point in opaque if contrast(canvas.pixelColor(*point), background) >= 3.0]
    return len(visible) / len(opaque)


@pytest.mark.parametrize("state", list(JobState))
@pytest.mark.parametrize("background_role", [Role.Base, Role.AlternateBase])
def test_state_icon_contrast(job_table: QTableView, state: JobState, background_role: Role) -> None:
    background = job_table.palette().color(background_role)

    share = drawn_share(state_icon(state), background)

    assert share >= 0.5, f"{state.value}: {share:.0%} of the icon reaches 3:1 on {background.name()}"


@pytest.mark.parametrize("state", list(JobState))
def test_selected_state_icon_contrast(job_table: QTableView, state: JobState) -> None:
    background = job_table.palette().color(Role.Highlight)

    share = drawn_share(state_icon(state), background, QIcon.Mode.Selected)

    assert share >= 0.5, f"{state.value}: {share:.0%} of the selected icon reaches 3:1 on {background.name()}"


def style_colour(style_sheet: str) -> QColor:
    match = re.fullmatch(r"color: (#[0-9a-f]{6});", style_sheet)
    assert match is not None, style_sheet
    return QColor(match.group(1))


def test_csv_error_label_contrast(qtbot: QtBot, palette_name: str, qapp: QApplication, english: None) -> None:
    options = CsvOptions()
    qtbot.addWidget(options)
    options.set_profile("custom")
    options.null_edit.setText("a,b")

    assert not options.show_problem()
    window = qapp.palette().color(Role.Window)
    assert contrast(style_colour(options.error_label.styleSheet()), window) >= 4.5


@pytest.mark.parametrize("window", ["#efefef", "#ffffff", "#353535", "#2b2b2b", "#000000"])
@pytest.mark.parametrize("style", [error_style, warning_style], ids=["error", "warning"])
def test_message_styles_readable_on_window(window: str, style: Callable[[QPalette], str]) -> None:
    palette = QPalette()
    palette.setColor(Role.Window, QColor(window))

    assert contrast(style_colour(style(palette)), QColor(window)) >= 4.5


def test_error_text_keeps_red_on_dark_window() -> None:
    palette = QPalette()
    palette.setColor(Role.Window, QColor("#353535"))
    colour = style_colour(error_style(palette))

    # Lightening keeps the hue of #b00020 (349 degrees), so the text still reads as red.
    assert colour.hslHue() >= 340
    assert colour.lightness() > QColor("#b00020").lightness()


def test_no_text_colour_hard_coded_in_widgets() -> None:
    gui = Path(__file__).parents[2] / "exportdesk" / "gui"
    for path in sorted(gui.glob("*.py")):
        if path.name == "contrast.py":
            continue
        assert "color: #" not in path.read_text(encoding="utf-8"), path.name
