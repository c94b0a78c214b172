"""Scroll areas that scroll one way only and keep the content's minimum size the other way.

`VerticalScrollArea` is never narrower than its content, and `HorizontalScrollArea` never lower.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class _OneWayScrollArea(QScrollArea):
    """Base of the two scroll areas: `content` resizable, no frame, one scroll bar never shown."""

    def __init__(self, content: QWidget, parent: QWidget | None, hidden_bar: Qt.Orientation) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        if hidden_bar is Qt.Orientation.Horizontal:
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        else:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        # The content is not in a layout of ours, so a change of its size hints must be passed on.
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


class VerticalScrollArea(_OneWayScrollArea):
    """Show `content` at full width, with a vertical scroll bar when the screen is too low for it.

    A dialog taller than the screen, e.g. at 200 % scaling on a 1920 x 1080 screen, keeps every
    field within reach this way instead of running off the bottom of the screen.
    """

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(content, parent, hidden_bar=Qt.Orientation.Horizontal)

    def _extra_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        return QSize(content.minimumSizeHint().width() + self._extra_width(), hint.height())

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint()
        return QSize(hint.width() + self._extra_width(), hint.height() + 2 * self.frameWidth())


class HorizontalScrollArea(_OneWayScrollArea):
    """Show `content` at full height, with a horizontal scroll bar when the window is too narrow for it.

    The window's minimum width then no longer includes the content's, while the content keeps
    its own minimum height, so a splitter cannot squeeze it into a strip.
    """

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(content, parent, hidden_bar=Qt.Orientation.Vertical)

    def _extra_height(self) -> int:
        # Room for the scroll bar is kept at every width, so the minimum height does not depend on the width.
        return self.horizontalScrollBar().sizeHint().height() + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        return QSize(hint.width(), content.minimumSizeHint().height() + self._extra_height())

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint()
        return QSize(hint.width() + 2 * self.frameWidth(), hint.height() + self._extra_height())
