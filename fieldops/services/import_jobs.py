"""Imports as background jobs: the upload page submits one, a worker runs the import the CLI runs.

The uploaded file travels with the job (``jobs.UPLOAD``, in the database) and the rejected rows
come back the same way (``REJECTS``), so the worker may run on any host. Each function is the
``work`` of a kind in ``job_kinds.KINDS``: one transaction, all or nothing.
"""
from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import FieldopsError, InvalidInput, NotFound, words_of
from ..importers import columns as columns_module
from ..importers import doors as doors_importer
from ..importers import tabular
from ..extensions import db
from ..models import Job, Office, User
from . import imports, jobs, voted
from ..domain.text import N_

REJECTS = "rejects"  # the job's file of rejected rows, with the reason per row
KIND_OF = {"blocks": "import-blocks", "doors": "import-doors", "osm": "import-osm", "voted": "import-voted"}
# The job's title: "<what> from <file>", stored in English; the jobs' pages word it in the reader's language.
WHAT = {"blocks": N_("Blocks"), "doors": N_("Doors and people"), "osm": N_("OpenStreetMap territory"),
        "voted": N_("Has voted")}


def submit_import(what: str, office: Office, user: User, filename: str, stream: IO[bytes], *,
                  id_field: str | None = None, doors_field: str | None = None, layer: str | None = None,
                  confirm_columns: bool = False, receive_after: bool = False) -> Job:
    """Queue the import of an uploaded file (``what``: blocks, doors or osm) into the office. With
    ``confirm_columns`` (door files) the job is held until ``confirm_columns`` gives its column mapping.
    With ``receive_after`` (the upload page) a big file is stored after the answer (``jobs.submit``), but a
    held ZIP now: the mapping step reads its table, and a ZIP's directory is at its end."""
    params = {"id_field": id_field, "doors_field": doors_field, "layer": layer} if what == "blocks" else {}
    hold = confirm_columns and what == "doors"
    if hold and receive_after:
        receive_after = stream.read(2) != b"PK"
        stream.seek(0)
    return jobs.submit(KIND_OF[what], title=f"{WHAT[what]} from {filename}", office=office, user=user,
                       params=params, upload=(filename, stream), hold=hold, receive_after=receive_after)


@dataclass
class ColumnPreview:
    """A held door file's columns as the mapping step shows them: each with a few of its values and the
    field we guessed (``columns.guess_mapping``), and how the file was read."""
    filename: str
    table_format: str
    warnings: list[str]
    columns: list[dict[str, Any]]  # {"name", "samples": [...], "guess": field or ""}
    failure: InvalidInput | None = None  # the file can't be read as a table: why (the job is refused with it)


def column_preview(job: Job, sample_rows: int = 5, scan_rows: int = 500) -> ColumnPreview:
    """Read the head of a held door file (its first ``scan_rows`` rows within the first megabyte; a ZIP
    whole) for the mapping step: each column's first ``sample_rows`` values that are not blank."""
    filename = jobs.file_name(job, jobs.UPLOAD) or "upload"
    head = jobs.file_head(job, jobs.UPLOAD)
    try:
        if head.startswith(b"PK"):
            with jobs.file_on_disk(job, jobs.UPLOAD) as path:
                frame, table_format, _name = tabular.read_table(path)
        else:
            frame, table_format = tabular.read_head(head, filename, scan_rows, whole=len(head) < jobs.CHUNK_BYTES)
    except InvalidInput as error:
        return ColumnPreview(filename, "", [], [], failure=error)
    columns = [str(c) for c in frame.columns]
    guess = columns_module.guess_mapping(columns)
    # A column none of ours is kept as tags unless the organizer says "not used", as the import does.
    tags = set(doors_importer.extra_columns([c for c in columns if c not in guess]))
    out = [{"name": c, "guess": guess.get(c, columns_module.KEEP_AS_TAG if c in tags else columns_module.NOT_USED),
            "samples": [str(v) for v in frame[c].dropna().head(sample_rows).tolist()]} for c in columns]
    return ColumnPreview(filename, table_format.describe(), table_format.warnings, out)


def refuse_held(job: Job, refusal: FieldopsError) -> bool:
    """End a held door import that will never run, with why: its file can't be read as a table (the mapping
    step's preview refused it), or the organizer discarded it. Its upload goes; the job's page and the jobs
    list say failed, and why, instead of waiting for columns nobody can confirm. False if it was no longer held
    (confirmed meanwhile, in another tab)."""
    return jobs.fail(job.key, refusal.message, {"error_words": words_of(refusal)}, held=True)


DISCARDED = N_("discarded before it started: nothing was imported")


def discard_held(job: Job) -> bool:
    """The organizer does not want this import after all (the wrong file, the wrong office); False if it had
    been confirmed meanwhile and runs."""
    return refuse_held(job, FieldopsError(DISCARDED))


def confirm_columns(job: Job, mapping: dict[str, str]) -> Job:
    """Queue a held door import with the organizer's mapping ({file column: field, "tag" for kept as a tag,
    "" for not used}), checked first: a field needed and mapped to nothing, or two columns for one field, is
    refused."""
    chosen = [field for field in mapping.values() if field and field != columns_module.KEEP_AS_TAG]
    repeated = sorted({field for field in chosen if chosen.count(field) > 1})
    if repeated:
        raise InvalidInput(N_("two columns are read as %(value)r: choose one"), value=repeated[0], field=repeated[0])
    doors_importer.file_mapping(list(mapping), jobs.file_name(job, jobs.UPLOAD) or "upload", None,
                                {c: f for c, f in mapping.items()})
    return jobs.release(job, {"mapping": mapping})


def _office(job: Job) -> Office:
    office = db.session.get(Office, job.office_id) if job.office_id else None
    if office is None:
        raise NotFound(N_("the office of this import no longer exists"))
    return office


def import_blocks_job(job: Job, progress) -> dict[str, Any]:
    office = _office(job)
    with _rejects_file(job, office) as rejects, jobs.file_on_disk(job, jobs.UPLOAD) as path:
        summary = imports.import_blocks(path, office.name, id_field=job.params.get("id_field") or None,
                                        doors_field=job.params.get("doors_field") or None,
                                        layer=job.params.get("layer") or None, rejects_path=rejects,
                                        actor_id=job.created_by_id, progress=progress)
        _keep_rejects(job, office, summary, rejects)
    return asdict(summary)


@contextmanager
def _rejects_file(job: Job, office: Office):
    """A path for the import to write its rejected rows to, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="fieldops-rejects-"))
    try:
        yield folder / "rejects.csv"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _keep_rejects(job: Job, office: Office, summary: imports.ImportSummary, rejects: Path) -> None:
    """The rejected rows go with the job, for the page to offer them."""
    if summary.rejects_file:
        with open(rejects, "rb") as handle:
            jobs.save_file(job, REJECTS, f"rejects-{office.name}.csv", handle)
        summary.rejects_file = REJECTS


def import_doors_job(job: Job, progress) -> dict[str, Any]:
    office = _office(job)
    folder = Path(tempfile.mkdtemp(prefix="fieldops-rejects-"))
    try:
        rejects = folder / "rejects.csv"
        with jobs.file_on_disk(job, jobs.UPLOAD) as path:
            summary = imports.import_doors(path, office.name, rejects_path=rejects, actor_id=job.created_by_id,
                                           mapping=job.params.get("mapping") or None, progress=progress)
        if summary.rejects_file:
            with open(rejects, "rb") as handle:
                jobs.save_file(job, REJECTS, f"rejects-{office.name}.csv", handle)
            summary.rejects_file = REJECTS
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return asdict(summary)


def import_osm_job(job: Job, progress) -> dict[str, Any]:
    office = _office(job)
    with jobs.file_on_disk(job, jobs.UPLOAD) as path:
        summary = imports.import_osm(path, office.name, actor_id=job.created_by_id, progress=progress)
    return asdict(summary)


def import_voted_job(job: Job, progress) -> dict[str, Any]:
    """A has-voted file: marks who voted, then rebuilds the office's chase walk lists (one transaction)."""
    office = _office(job)
    with _rejects_file(job, office) as rejects, jobs.file_on_disk(job, jobs.UPLOAD) as path:
        summary = voted.import_voted(path, office.name, rejects_path=rejects, actor_id=job.created_by_id,
                                     progress=progress)
        if summary.rejects_file:
            with open(rejects, "rb") as handle:
                jobs.save_file(job, REJECTS, f"rejects-voted-{office.name}.csv", handle)
            summary.rejects_file = REJECTS
    return asdict(summary)
