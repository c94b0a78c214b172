"""The application icon, drawn at start, and one standard icon per job state."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QStyle

from exportdesk.jobs import JobState

_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)

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
    return QApplication.style().standardIcon(STATE_ICONS[state])


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
