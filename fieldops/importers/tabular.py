"""Lists as campaigns have them: a table file read whatever its encoding, separator or wrapping.

Voter-file exports rarely are what their extension says. VAN's reports download as ``.xls`` files
that are UTF-16 tab-separated text, often inside a ZIP; spreadsheets save CSV as UTF-8 with a BOM,
or as Latin-1 (Windows-1252) on older machines; European exports separate with semicolons. So the
encoding and the separator are sniffed from the bytes, never trusted from the name:

- a byte-order mark says UTF-8 or UTF-16; UTF-16 without one shows as a NUL in every other byte;
- else the file is UTF-8 if it decodes as UTF-8; else, if it holds UTF-8's own sequences elsewhere (a
  UTF-8 export with rows pasted from a Latin-1 one), UTF-8 with each stray byte read as Windows-1252
  where it stands; else it is read as Windows-1252 (a superset of Latin-1); both with a warning naming
  the first line to check;
- an empty file, or one with NULs and control characters (a picture, a PDF, a spreadsheet's own
  format), is refused in those words rather than in the parser's, as is a row with more cells than the
  header (the line is named);
- the separator is the one of ``,`` ``;`` tab ``|`` that splits the first lines into the same number
  of columns (``csv.Sniffer``), else a comma.

A ZIP holding one table is read through; holding several, it is refused with their names unless
``member`` names one. A real Excel workbook (binary) is refused with the advice to save it as CSV.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InvalidInput
from ..domain.text import N_

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".tab", ".xls")
SEPARATORS = ",;\t|"
SNIFF_BYTES = 64 * 1024
SEPARATOR_NAMES = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("pipe")}
# How a table was read, as the import summary and the mapping step say it (English kept in the job's result;
# the pages word it in the reader's language: fieldops.i18n.table_format_text).
TABLE_FORMAT = N_("%(encoding)s text, %(separator)s-separated")
NOT_UTF8 = N_("%(name)s is not UTF-8 (byte 0x%(byte)s on line %(line)s): read as Windows-1252 (Latin-1); check "
              "that names with accents came out right")
MIXED_UTF8 = N_("%(name)s is UTF-8 but has bytes that are not (the first, 0x%(byte)s, on line %(line)s): those "
                "were read as Windows-1252 (Latin-1), the rest as UTF-8; check the names on those lines")
STORED_WARNINGS = (NOT_UTF8, MIXED_UTF8)  # the sentences a summary keeps, which the pages word again (i18n.stored_text)
# A file joined from two sources (a UTF-8 export with rows pasted from a Latin-1 one): UTF-8 throughout, each
# byte that is no UTF-8 read as Windows-1252 where it stands, so neither half is garbled.
LATIN1_FALLBACK = "fieldops-latin1-fallback"
codecs.register_error(LATIN1_FALLBACK, lambda error: (
    error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end))
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Bytes no text table holds: NUL and the control characters other than tab, newlines, vertical tab (FileMaker's
# line break inside a cell), form feed, Ctrl-Z (the end of an old DOS file) and escape.
_CONTROL = bytes([*range(0, 9), *range(14, 26), *range(28, 32)])
PARSER_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


@dataclass
class TableFormat:
    encoding: str             # a Python codec name
    separator: str
    warnings: list[str] = field(default_factory=list)
    errors: str = "replace"   # what decoding does with a byte that is not of the encoding

    def describe(self) -> str:
        return TABLE_FORMAT % {"encoding": self.encoding, "separator": SEPARATOR_NAMES[self.separator]}


def open_table(path: str | Path, member: str | None = None) -> tuple[bytes, str]:
    """The table's bytes and its display name: the file itself, or the one table in a ZIP."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        return _from_zip(path, member)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(N_("is an Excel workbook, not text: open it and save it as CSV UTF-8"), file=path.name)
    return path.read_bytes(), path.name


def _from_zip(path: Path, member: str | None) -> tuple[bytes, str]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InvalidInput(N_("looks like a ZIP but can't be opened"), file=path.name) from None
    with archive:
        tables = [info for info in archive.infolist()
                  if not info.is_dir() and Path(info.filename).suffix.lower() in TABLE_SUFFIXES
                  and not Path(info.filename).name.startswith(".")]
        if member is not None:
            tables = [info for info in tables if Path(info.filename).name == member or info.filename == member]
            if not tables:
                raise InvalidInput(N_("holds no table named %(member)r"), member=member, file=path.name, field="member")
        if not tables and any(info.filename.startswith("xl/") for info in archive.infolist()):
            raise InvalidInput(N_("is an Excel workbook (.xlsx), not text: open it and save it as CSV UTF-8"),
                               file=path.name)
        if not tables:
            raise InvalidInput(N_("holds no table (.csv, .txt, .tsv or .xls)"), file=path.name)
        if len(tables) > 1:
            names = ", ".join(Path(info.filename).name for info in tables)
            raise InvalidInput(N_("holds several tables (%(names)s): say which to import"), names=names, file=path.name,
                               field="member")
        return archive.read(tables[0]), f"{path.name}/{Path(tables[0].filename).name}"


def sniff(data: bytes, name: str) -> TableFormat:
    """The encoding and separator of a table's bytes."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(N_("is an Excel workbook, not text: open it and save it as CSV UTF-8"), file=name)
    warnings: list[str] = []
    errors = "replace"
    if not data.strip(b" \t\r\n" + codecs.BOM_UTF8):
        raise InvalidInput(N_("is empty: it has no header and no rows"), file=name)
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif len(data) >= 4 and data[1:40:2].count(0) > 10:
        encoding = "utf-16-le"
    elif len(data) >= 4 and data[0:40:2].count(0) > 10:
        encoding = "utf-16-be"
    else:
        try:
            _decode_sample(data)
            encoding, errors = "utf-8", LATIN1_FALLBACK  # past a streamed file's sample, a stray byte is read so too
        except UnicodeDecodeError as error:
            facts = {"name": name, "byte": f"{data[error.start]:02x}", "line": data[:error.start].count(b"\n") + 1}
            if _has_utf8_letters(data):  # UTF-8 elsewhere: only the stray bytes are Latin-1
                encoding, errors = "utf-8", LATIN1_FALLBACK
                warnings.append(MIXED_UTF8 % facts)
            else:
                encoding = "cp1252"
                warnings.append(NOT_UTF8 % facts)
    if not encoding.startswith("utf-16"):
        _refuse_binary(data[:SNIFF_BYTES], name)
    head = data[:SNIFF_BYTES].decode(encoding, errors=errors)
    return TableFormat(encoding, _separator(head), warnings, errors)


def _has_utf8_letters(data: bytes) -> bool:
    """Whether the bytes hold UTF-8's own sequences for letters a list has (accented Latin, Greek, Cyrillic)
    or its punctuation (dashes, quotes, €): two Windows-1252 characters can form such a sequence by chance
    ("É" and a no-break space), but that one reads as an IPA letter, which no voter file holds."""
    for found in _UTF8_SEQUENCE.finditer(data, 0, SNIFF_BYTES * 16):
        character = found.group().decode("utf-8")
        if "\u00a0" <= character <= "\u024f" or "\u0370" <= character <= "\u052f" \
                or "\u2000" <= character <= "\u20cf":
            return True
    return False


def _decode_sample(data: bytes) -> None:
    """Decode as UTF-8 or raise; a character cut by the end of the bytes (a sample of a bigger file, the
    first megabyte the mapping step reads) is no sign of another encoding."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason != "unexpected end of data" or error.start < len(data) - 3:
            raise
        data[:error.start].decode("utf-8")


def _refuse_binary(head: bytes, name: str) -> None:
    """A text table holds no NUL and hardly a control character: anything else is a picture, a PDF, a
    spreadsheet saved in its own format, which the parser would read as nonsense or refuse in its own words."""
    if b"\x00" in head or len(head.translate(None, _CONTROL)) < len(head) * 0.98:
        raise InvalidInput(N_("is not a text table (a spreadsheet in its own format, a PDF or a picture?): save "
                              "it as CSV or tab-separated text and upload that"), file=name)


def unreadable(error: Exception, name: str) -> InvalidInput:
    """The parser's refusal in the organizer's words: a row with more cells than the header says which line;
    anything else keeps the parser's own words as the detail."""
    found = PARSER_LINE.search(str(error))
    if found:
        expected, line, cells = (int(n) for n in found.groups())
        return InvalidInput(N_("line %(line)s has %(cells)s cells where the header has %(expected)s: a quote "
                               "left open, or the separator inside a cell without quotes?"),
                            line=line, cells=cells, expected=expected, file=name)
    if isinstance(error, pd.errors.EmptyDataError):
        return InvalidInput(N_("is empty: it has no header and no rows"), file=name)
    return InvalidInput(N_("is not a readable table (%(value)s)"), value=str(error).strip()[:200], file=name)


def _separator(head: str) -> str:
    lines = head.splitlines()[:50]
    if len(lines) > 1 and not head.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut in the middle
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        counts = {sep: lines[0].count(sep) for sep in SEPARATORS} if lines else {}
        best = max(counts, key=counts.get) if counts else ","
        return best if counts.get(best) else ","


def read_table(path: str | Path, member: str | None = None) -> tuple[pd.DataFrame, TableFormat, str]:
    """Every cell as text (blank cells NaN), the format it was read in, and the table's display name."""
    data, name = open_table(path, member)
    table_format = sniff(data, name)
    text = data.decode(table_format.encoding, errors=table_format.errors)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=table_format.separator, dtype=str, keep_default_na=False,
                            na_values=[""], engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
        raise unreadable(error, name) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    return frame, table_format, name


def read_head(data: bytes, name: str, rows: int = 5, *, whole: bool = False) -> tuple[pd.DataFrame, TableFormat]:
    """The header and first ``rows`` rows of a table from its first bytes (a preview: unless the bytes are
    the ``whole`` file, their last line may be cut, so it is dropped)."""
    table_format = sniff(data, name)
    if table_format.encoding.startswith("utf-16") and len(data) % 2:
        data = data[:-1]
    text = _first_records(data.decode(table_format.encoding, errors=table_format.errors),
                          table_format.separator, rows, whole)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=table_format.separator, dtype=str, nrows=rows,
                            keep_default_na=False, na_values=[""], engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
        raise unreadable(error, name) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    return frame, table_format


def _first_records(text: str, separator: str, rows: int, whole: bool) -> str:
    """The header and first ``rows`` records of ``text``, whole records only. A record may span lines (an
    address with a line break, quoted), so lines are counted by the csv module's records, and unless the
    text is the ``whole`` file its last record is dropped: the bytes may end inside a quoted cell."""
    lines = text.split("\n")
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    ends: list[int] = []  # the line each record ends on
    try:
        for _record in reader:
            ends.append(reader.line_num)
            if len(ends) > rows + 1:
                break
    except csv.Error:  # a cell past the csv module's limit: the parser will say what it makes of it
        pass
    if not whole and 1 < len(ends) <= rows + 1:
        ends.pop()
    if not ends:
        return text
    return "\n".join(lines[:ends[min(len(ends), rows + 1) - 1]])


STREAM_BYTES = 64 * 1024 * 1024  # files larger than this are read a chunk of rows at a time


def iter_table(path: str | Path, member: str | None = None, chunk_rows: int = 250_000,
               stream_bytes: int | None = None):
    """(format, display name, chunks): the table as frames of at most ``chunk_rows`` rows of text cells.

    A file (or ZIP member) up to ``stream_bytes`` is read whole (``read_table``: every byte checked for
    the encoding); a larger one is sniffed from its first bytes and decoded as a stream, so a 5-million
    row export never sits in memory whole. In a stream a stray byte that is not of the sniffed encoding
    is read as Windows-1252 (UTF-8) or replaced (U+FFFD, the others) rather than refused."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    size = path.stat().st_size
    if head.startswith(b"PK"):
        archive = zipfile.ZipFile(path)
        _data, name = _zip_member_name(archive, path, member)
        info = archive.getinfo(_data)
        size, opener = info.file_size, (lambda: archive.open(info))
    else:
        name, opener = path.name, (lambda: path.open("rb"))
    if size <= (STREAM_BYTES if stream_bytes is None else stream_bytes):
        frame, table_format, name = read_table(path, member)
        return table_format, name, (frame.iloc[start:start + chunk_rows] for start in range(0, max(len(frame), 1),
                                                                                            chunk_rows))
    with opener() as raw:
        sample = raw.read(SNIFF_BYTES)
    table_format = sniff(sample, name)

    def chunks():
        with opener() as raw:
            text = io.TextIOWrapper(raw, encoding=table_format.encoding, errors=table_format.errors, newline="")
            try:
                reader = pd.read_csv(text, sep=table_format.separator, dtype=str, keep_default_na=False,
                                     na_values=[""], engine="c", chunksize=chunk_rows)
                for frame in reader:
                    frame.columns = [str(column).strip() for column in frame.columns]
                    yield frame
            except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
                raise unreadable(error, name) from None
    return table_format, name, chunks()


def rows_numbered(path: str | Path, numbers, member: str | None = None, chunk_rows: int = 250_000) -> pd.DataFrame:
    """The table's own rows at these line ``numbers`` (line 1 is the header), every cell as the file has it
    under the file's own column names, indexed by their line number. A rejects file is made of these: what
    the organizer fixes is the file's row, not our reading of it. Streams as ``iter_table`` does, keeping
    only the rows asked for."""
    wanted = np.unique(np.asarray(list(numbers), dtype=np.int64))
    _format, _name, chunks = iter_table(path, member, chunk_rows)
    parts, first_row, columns = [], 2, None
    for frame in chunks:
        columns = frame.columns if columns is None else columns
        lines = np.arange(first_row, first_row + len(frame))
        keep = np.isin(lines, wanted)
        if keep.any():
            parts.append(frame[keep].set_axis(lines[keep]))
        first_row += len(frame)
    return pd.concat(parts) if parts else pd.DataFrame(columns=columns)


def _zip_member_name(archive: zipfile.ZipFile, path: Path, member: str | None) -> tuple[str, str]:
    """The one table of a ZIP (or the named one): its name inside the archive and its display name."""
    tables = [info for info in archive.infolist()
              if not info.is_dir() and Path(info.filename).suffix.lower() in TABLE_SUFFIXES
              and not Path(info.filename).name.startswith(".")]
    if member is not None:
        tables = [info for info in tables if Path(info.filename).name == member or info.filename == member]
    if len(tables) != 1:
        _from_zip(path, member)  # raises the one clear error for none, several or not named
    return tables[0].filename, f"{path.name}/{Path(tables[0].filename).name}"
