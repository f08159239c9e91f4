"""A long import says how far its writes got: a statewide file's people take a minute to write, and a bar
that stands still at 80% for that minute looks like a hung job (issue 21.4, the job's progress)."""
from __future__ import annotations

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import Person
from fieldops.services import bulk, imports, territory
from tests.importers.conftest import voter_rows


def test_the_writes_report_their_rows_as_they_go(app, world, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "REPORT_EVERY_ROWS", 10)
    source = tmp_path / "voters.csv"
    voter_rows(territory.office_blocks_frame(world.office_a)).to_csv(source, index=False)
    heard = []
    summary = imports.import_doors(source, world.office_a.name,
                                   progress=lambda step, *how_far, **_facts: heard.append((step, *how_far)))
    db.session.commit()
    people = [entry[1:] for entry in heard if entry[0] == "write people" and len(entry) == 3]
    total = summary.people_created
    assert total == db.session.scalar(select(func.count(Person.id))) == 48
    assert people == [(10, 48), (20, 48), (30, 48), (40, 48), (48, 48)]
    doors = [entry[1:] for entry in heard if entry[0] == "write doors" and len(entry) == 3]
    assert doors and doors[-1] == (summary.doors_created, summary.doors_created)
    # Imported again, every person is an update: those report too.
    heard.clear()
    imports.import_doors(source, world.office_a.name,
                         progress=lambda step, *how_far, **_facts: heard.append((step, *how_far)))
    again = [entry[1:] for entry in heard if entry[0] == "write people" and len(entry) == 3]
    assert again[-1] == (48, 48) and len(again) == 5
