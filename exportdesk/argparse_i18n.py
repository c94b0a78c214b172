"""argparse's own texts ("usage: ", "options", "error: ", "invalid choice: …") in the current language.

argparse looks up each of its texts with gettext through two module-level names, `argparse._`
and `argparse.ngettext` (the same in CPython 3.11.7, 3.12.1 and 3.13.0). Inside
`argparse_in_current_language()` both names point at exportdesk.i18n.tr(), so these texts come
from exportdesk_ru.ts like every other message and no gettext .mo file is needed.

ARGPARSE_TEXTS lists, for pyside6-lupdate, the texts a user of `exportdesk` can meet. A text not
listed there, such as an error in building a parser, stays in English. A translation keeps
argparse's %-placeholders (`%s`, `%(prog)s`, `%(value)r`), because argparse fills them in
after the lookup. tests/unit/test_cli_language.py checks that every listed text is still
looked up by the argparse of the running Python, so a changed wording in a new Python
version fails the test instead of silently showing English.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from exportdesk.i18n import QT_TR_NOOP, tr

ARGPARSE_TEXTS = (
    QT_TR_NOOP("usage: "),
    QT_TR_NOOP("positional arguments"),
    QT_TR_NOOP("options"),
    QT_TR_NOOP("show this help message and exit"),
    QT_TR_NOOP("%(prog)s: error: %(message)s\n"),
    QT_TR_NOOP("argument %(argument_name)s: %(message)s"),
    QT_TR_NOOP("the following arguments are required: %s"),
    QT_TR_NOOP("one of the arguments %s is required"),
    QT_TR_NOOP("invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TR_NOOP("invalid %(type)s value: %(value)r"),
    QT_TR_NOOP("unrecognized arguments: %s"),
    QT_TR_NOOP("not allowed with argument %s"),
    QT_TR_NOOP("ignored explicit argument %r"),
    QT_TR_NOOP("expected one argument"),
    QT_TR_NOOP("expected at most one argument"),
    QT_TR_NOOP("expected at least one argument"),
    QT_TR_NOOP("ambiguous option: %(option)s could match %(matches)s"),
    QT_TR_NOOP("unexpected option string: %s"),
    QT_TR_NOOP("unknown parser %(parser_name)r (choices: %(choices)s)"),
)

# The singular msgid of each argparse ngettext() call that a user can meet.
ARGPARSE_PLURAL_TEXTS = ("expected %s argument",)


def _gettext(message: str | None) -> str | None:
    # Python 3.11 and 3.12 pass None as the description of add_subparsers() without one.
    if not message:
        return message
    return tr(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        # The forms keep %s for argparse, and Qt picks the form from n.
        return tr("expected %s argument(s)", None, n)
    return singular if n == 1 else plural


@contextmanager
def argparse_in_current_language() -> Iterator[None]:
    """Show argparse's own texts in the current language of exportdesk.i18n while the block runs.

    Build the parser, parse and call parser.error() inside the block: argparse looks texts up
    at each of these steps. The names are swapped for the whole process, so no other thread
    should use argparse meanwhile. An argparse without these names keeps its English texts.
    """
    saved = {name: getattr(argparse, name) for name in ("_", "ngettext") if hasattr(argparse, name)}
    if len(saved) < 2:
        yield
        return
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(argparse, name, value)
