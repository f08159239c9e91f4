"""The rejects file: the rows an import set aside, one per line with its line number and its reason, for the
organizer to fix and import again. One writer for block, voter and has-voted files, and one reader that
words the file in the downloader's language.

The file holds each reason in English, the words of the import's own label (a catalog msgid), so a file
written by ``flask import-doors --rejects`` reads as it is, and the download page translates the two column
names and each known reason for whoever downloads it (``in_language``). Text a spreadsheet would run as a
formula is written as text (``domain.spreadsheets``): a rejected row is the file's own data, hostile or not.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd

from ..domain.spreadsheets import safe_cell
from ..domain.text import N_

ROW, REASON = N_("row"), N_("reason")  # the first two columns, named so in English
_BATCH_ROWS = 2000  # rows translated per chunk of the download


def write_rejects(rejects: pd.DataFrame, path: str | Path, labels: Mapping[str, str],
                  own: pd.DataFrame | None = None) -> None:
    """Write ``rejects`` (columns "row", "reason" as codes, then the row's own columns) to ``path``, reasons
    as their labels. ``own``, when given, is each row as its file has it (in the order of ``rejects``) and
    takes the place of the other columns: a file's own "row" or "reason" column is kept, after ours."""
    head = pd.DataFrame({ROW: rejects["row"].to_numpy(),
                         REASON: [str(labels.get(code, code)) for code in rejects["reason"]]})
    rest = own if own is not None else rejects.drop(columns=["row", "reason"])
    out = pd.concat([head, rest.reset_index(drop=True)], axis=1)  # by position: names may repeat
    out.map(safe_cell).to_csv(path, index=False)


def in_language(chunks: Iterable[bytes], words: Mapping[str, str]) -> Iterator[bytes]:
    """A rejects file's bytes again with its first two column names and each reason worded by ``words``
    (English label: the reader's words; ``reader_words`` makes it); every other cell as it was. Streams: a few
    thousand rows at a time. The words are given, not looked up here: the download streams after its request
    has ended, when the reader's language can no longer be asked for."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    rows = csv.reader(_lines(chunks))
    header = next(rows, None)
    if header is None:
        return
    writer.writerow([words.get(name, name) if n < 2 and name in (ROW, REASON) else name
                     for n, name in enumerate(header)])
    reason_at = 1 if header[1:2] == [REASON] else None  # ours; a file's own "reason" column stays as it is
    for n, row in enumerate(rows, start=1):
        if reason_at is not None and reason_at < len(row):
            row[reason_at] = words.get(row[reason_at], row[reason_at])
        writer.writerow(row)
        if n % _BATCH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def reader_words(reasons: Iterable[str], say: Callable[[str], str]) -> dict[str, str]:
    """The words ``in_language`` puts in a rejects file: its two column names and these reasons (English
    labels), each as ``say`` words it in the reader's language."""
    return {text: say(text) for text in (ROW, REASON, *reasons)}


def _lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """UTF-8 text lines (with their ends) from byte chunks cut anywhere, for ``csv.reader``."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    rest = ""
    for chunk in chunks:
        rest += decoder.decode(chunk)
        *whole, rest = rest.split("\n")
        for line in whole:
            yield line + "\n"
    rest += decoder.decode(b"", final=True)
    if rest:
        yield rest
