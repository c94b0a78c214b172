"""The application icon, drawn at start, and one standard icon per job state."""

from __future__ import annotations

import functools

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QStyle

from exportdesk.gui.contrast import ICON_CONTRAST, contrast_ratio
from exportdesk.jobs import JobState

_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
# A state icon counts as visible when at least half of its opaque pixels reach 3:1 contrast.
ICON_CHECK_SIZE = 16
MIN_VISIBLE_SHARE = 0.5

# Standard icons with different shapes, so a state reads without colour as well as by its label.
STATE_ICONS: dict[JobState, QStyle.StandardPixmap] = {
    JobState.QUEUED: QStyle.StandardPixmap.SP_MediaPause,
    JobState.RUNNING: QStyle.StandardPixmap.SP_MediaPlay,
    JobState.READY: QStyle.StandardPixmap.SP_DialogApplyButton,
    JobState.FAILED: QStyle.StandardPixmap.SP_MessageBoxCritical,
    JobState.CANCELLED: QStyle.StandardPixmap.SP_DialogCancelButton,
    JobState.EXPIRED: QStyle.StandardPixmap.SP_TrashIcon,
}


def state_icon(state: JobState) -> QIcon:
    """Return the state's icon, recoloured where it would be hard to see on the list's background."""
    palette = QApplication.palette()
    colours = (QPalette.ColorRole.Base, QPalette.ColorRole.Text, QPalette.ColorRole.HighlightedText)
    return _state_icon(state, *(palette.color(role).rgba() for role in colours))


def _silhouette(pixmap: QPixmap, colour: QColor) -> QPixmap:
    shape = QPixmap(pixmap)
    painter = QPainter(shape)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(shape.rect(), colour)
    painter.end()
    return shape


@functools.lru_cache(maxsize=64)
def _state_icon(state: JobState, base_rgba: int, text_rgba: int, selected_text_rgba: int) -> QIcon:
    """Return the style's icon, or its silhouette in the text colour when it lacks contrast.

    Fusion's black play and pause icons, for example, vanish on a dark background. A selected
    row shows the silhouette in the selected text colour, because the style's tint of the
    icon towards the selection colour left 2.8:1. The result is cached by state and colours.
    """
    standard = QApplication.style().standardIcon(STATE_ICONS[state])
    keep = visible_share(standard.pixmap(ICON_CHECK_SIZE, ICON_CHECK_SIZE), QColor.fromRgba(base_rgba)) >= MIN_VISIBLE_SHARE
    icon = QIcon()
    for size in (16, 24, 32):
        pixmap = standard.pixmap(size, size)
        icon.addPixmap(pixmap if keep else _silhouette(pixmap, QColor.fromRgba(text_rgba)), QIcon.Mode.Normal)
        icon.addPixmap(_silhouette(pixmap, QColor.fromRgba(selected_text_rgba)), QIcon.Mode.Selected)
    return icon


def visible_share(pixmap: QPixmap, background: QColor) -> float:
    """Return the share of the pixmap's opaque pixels that reach 3:1 contrast drawn on `background`."""
    image = pixmap.toImage()
    opaque = 0
    visible = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            alpha = pixel.alphaF()
            if alpha < 0.5:
                continue
            opaque += 1
            # Blend the pixel over the background, as painting it does.
            drawn = QColor.fromRgbF(
                pixel.redF() * alpha + background.redF() * (1 - alpha),
                pixel.greenF() * alpha + background.greenF() * (1 - alpha),
                pixel.blueF() * alpha + background.blueF() * (1 - alpha),
            )
            if contrast_ratio(drawn, background) >= ICON_CONTRAST:
                visible += 1
    return visible / opaque if opaque else 0.0


def _draw_app_pixmap(size: int) -> QPixmap:
    """Draw a blue rounded tile with a white arrow pointing down into a tray."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 16.0

    tile = QPainterPath()
    tile.addRoundedRect(QRectF(0.5 * unit, 0.5 * unit, 15 * unit, 15 * unit), 3 * unit, 3 * unit)
    painter.fillPath(tile, QColor("#1f6fb2"))

    white = QColor("#ffffff")
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(white)
    painter.drawRect(QRectF(6.8 * unit, 2.8 * unit, 2.4 * unit, 5.2 * unit))
    arrow_head = QPolygonF(
        [QPointF(4.2 * unit, 7.6 * unit), QPointF(11.8 * unit, 7.6 * unit), QPointF(8 * unit, 11.2 * unit)]
    )
    painter.drawPolygon(arrow_head)

    tray_pen = QPen(white, 1.5 * unit)
    tray_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    tray_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(tray_pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    tray = QPolygonF(
        [QPointF(3.2 * unit, 10 * unit), QPointF(3.2 * unit, 13 * unit), QPointF(12.8 * unit, 13 * unit), QPointF(12.8 * unit, 10 * unit)]
    )
    painter.drawPolyline(tray)
    painter.end()
    return pixmap


def app_icon() -> QIcon:
    """Return the ExportDesk icon with a pixmap for each common size."""
    icon = QIcon()
    for size in _ICON_SIZES:
        icon.addPixmap(_draw_app_pixmap(size))
    return icon
