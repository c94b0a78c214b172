"""Russian for Qt's own texts that the qtbase_ru.qm shipped with PySide6 lacks.

Qt 6 gave two labels of its file dialog mnemonics ("&Look in:", "Files of &type:"), and the
Russian catalogue in PySide6 has only their older texts, so the Save dialog showed them in
English. ExportDesk's catalogue carries them in Qt's own context, and Qt finds them there
because `apply_language` installs ExportDesk's translator as well. Nothing imports this
module: pyside6-lupdate reads the marks below.
"""

from PySide6.QtCore import QT_TRANSLATE_NOOP

FILE_DIALOG_TEXTS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
