"""Checks on an uploaded zip before anything reads it: members that would land outside the archive's
folder (zip-slip) and archives that expand past the upload limit (a zip bomb).

Nothing is ever extracted (GDAL reads members through ``/vsizip/``), but a member named
``../../x.shp`` is still refused: no honest export writes one. The expanded size is what the archive's
directory declares; a reader stops at the declared size, so a lying directory gains nothing.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import InvalidInput
from ..domain.text import N_

MB = 1024 * 1024


def expanded_limit() -> int:
    """The most bytes an archive may expand to: the running app's upload limit (``MAX_UPLOAD_MB``)."""
    try:
        from flask import current_app
        return int(current_app.config.get("MAX_CONTENT_LENGTH") or 0) or 200 * MB
    except RuntimeError:  # no app: a script reading a file
        return int(os.environ.get("MAX_UPLOAD_MB", "200")) * MB


def check_zip(path: str | Path, limit: int | None = None) -> list[str]:
    """The archive's member names, once checked; InvalidInput naming the file otherwise."""
    path = Path(path)
    name = path.name
    limit = limit or expanded_limit()
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    total = 0
    for member in members:
        parts = PurePosixPath(member.filename.replace("\\", "/"))
        if parts.is_absolute() or ".." in parts.parts or ":" in member.filename:
            raise InvalidInput(N_("holds %(value)r, a file that would land outside the archive's folder: export the archive again"),
                               value=member.filename[:80], file=name)
        total += member.file_size
        if total > limit:
            raise InvalidInput(N_("expands to more than %(count)s MB, the upload limit (it is %(count2)s MB zipped): send the files "
                                  "unzipped or smaller"),
                               count=limit // MB, count2=format(path.stat().st_size / MB, '.1f'),
                               file=name)
    return [member.filename for member in members]
