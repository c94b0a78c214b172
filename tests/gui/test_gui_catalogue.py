"""Texts that the window keeps in constants and translates later have a Russian translation.

tests/unit/test_translations.py checks every text that lupdate finds. This module checks that
the constants' texts are among them, i.e. that each is marked with QT_TR_NOOP().
"""

from __future__ import annotations

from exportdesk.gui.csv_options import DELIMITER_CHOICES, ENCODING_CHOICES, LINE_END_CHOICES
from exportdesk.gui.download import _FILE_FILTERS
from exportdesk.gui.job_actions import _JOB_ACTION_TEXT
from exportdesk.gui.job_filter import STATE_FILTER_LABELS
from exportdesk.gui.job_model import COLUMN_TITLES
from exportdesk.gui.labels import FORMAT_EXPLANATIONS, FORMAT_LABELS, PROFILE_EXPLANATIONS, PROFILE_LABELS
from exportdesk.gui.settings_dialog import LANGUAGE_CHOICES
from exportdesk.i18n import CONTEXT, translator


def test_indirect_texts_are_translated() -> None:
    russian = translator("ru")
    assert russian is not None
    texts = list(COLUMN_TITLES.values()) + list(PROFILE_LABELS.values()) + list(PROFILE_EXPLANATIONS.values())
    texts += [text.title for text in _JOB_ACTION_TEXT.values()] + [text.description for text in _JOB_ACTION_TEXT.values()]
    texts += [label for key, label in LANGUAGE_CHOICES if key == "system"]
    texts += list(FORMAT_LABELS.values()) + list(FORMAT_EXPLANATIONS.values())
    texts += list(STATE_FILTER_LABELS.values()) + list(_FILE_FILTERS.values())
    # The delimiter symbols are shown as they are, and only their word labels are translated.
    texts += [label for label, _value in DELIMITER_CHOICES if label.isalpha()]
    texts += [label for label, _value in LINE_END_CHOICES + ENCODING_CHOICES]
    assert [text for text in texts if not russian.translate(CONTEXT, text)] == []
