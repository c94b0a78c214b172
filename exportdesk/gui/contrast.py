"""WCAG 2.x contrast between colours, and colour adjustments that reach a required contrast.

WCAG 2.1 requires 4.5:1 between text and its background (success criterion 1.4.3) and 3:1
for the parts of an icon needed to understand it (1.4.11).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

TEXT_CONTRAST = 4.5
ICON_CONTRAST = 3.0


def relative_luminance(color: QColor) -> float:
    """Return the relative luminance of an sRGB colour, 0 for black to 1 for white."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.red()) + 0.7152 * linear(color.green()) + 0.0722 * linear(color.blue())


def contrast_ratio(first: QColor, second: QColor) -> float:
    """Return the contrast ratio of two opaque colours, from 1 (equal) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def with_contrast(color: QColor, against: QColor, minimum: float) -> QColor:
    """Return `color`, made darker or lighter in steps until it has `minimum` contrast with `against`.

    It moves away from `against`: darker on a light colour, lighter on a dark one, so the hue
    stays and the result is black or white at worst.
    """
    darken = relative_luminance(against) > 0.18
    adjusted = QColor(color)
    for _ in range(100):
        if contrast_ratio(adjusted, against) >= minimum:
            return adjusted
        hue, saturation, lightness, alpha = adjusted.getHslF()
        lightness = max(0.0, lightness - 0.02) if darken else min(1.0, lightness + 0.02)
        adjusted = QColor.fromHslF(max(hue, 0.0), saturation, lightness, alpha)
    return QColor("#000000") if darken else QColor("#ffffff")


def readable_selection(palette: QPalette) -> QPalette:
    """Return a palette that sets only Highlight, to a colour its HighlightedText reaches 4.5:1 on.

    Fusion's light palette draws white text on #308cc6, which is only 3.7:1, so the selected
    row is darkened to a blue of the same hue.
    """
    # Only Highlight is set, so the other roles still follow the application's palette.
    # NOTE: a palette change while the window is open keeps this Highlight until a restart.
    adjusted = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        text = palette.color(group, QPalette.ColorRole.HighlightedText)
        highlight = palette.color(group, QPalette.ColorRole.Highlight)
        adjusted.setColor(group, QPalette.ColorRole.Highlight, with_contrast(highlight, text, TEXT_CONTRAST))
    return adjusted


# The colours of error and warning text on a light window. `error_style` and `warning_style`
# make them lighter where the window is dark, such as #b00020, which is 1.67:1 on #353535.
ERROR_TEXT = QColor("#b00020")
WARNING_TEXT = QColor("#8a5a00")


def readable_text_color(color: QColor, palette: QPalette) -> QColor:
    """Return `color` adjusted to 4.5:1 against the palette's window colour, which labels are drawn on."""
    return with_contrast(color, palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Window), TEXT_CONTRAST)


def error_style(palette: QPalette) -> str:
    """Return the style sheet of an error label drawn with `palette`."""
    # NOTE: the colour is chosen when the style is set, so a palette change shows on the next message.
    return f"color: {readable_text_color(ERROR_TEXT, palette).name()};"


def warning_style(palette: QPalette) -> str:
    """Return the style sheet of a warning label drawn with `palette`."""
    return f"color: {readable_text_color(WARNING_TEXT, palette).name()};"
