"""Two imports into one office at once are served one after the other (issue 15): the second waits for the
first to commit, then runs, and both land; never a raw IntegrityError.

Each import runs in its own thread as one unit of work, as two workers or a worker and a command would.
The first is held open after writing its blocks (before its commit) while the second starts.
"""
from __future__ import annotations

import json
import threading
import time

import shapely
from sqlalchemy import func, select

from fieldops import unit_of_work
from fieldops.extensions import db
from fieldops.models import Block, Door
from fieldops.services import imports, territory

ORIGIN = (24.95, 60.30)  # away from the world's offices


def block_file(tmp_path, name: str, numbers: range):
    features = [{"type": "Feature", "properties": {"GEOID20": f"race-{n}", "HOUSING20": n},
                 "geometry": shapely.geometry.mapping(shapely.box(ORIGIN[0] + n * 0.001, ORIGIN[1],
                                                                  ORIGIN[0] + (n + 1) * 0.001, ORIGIN[1] + 0.001))}
                for n in numbers]
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def door_file(tmp_path, name: str, numbers: range):
    rows = ["id,street,house_number,lat,lon"] + [
        f"{name}-{n},Race street,{n},{ORIGIN[1] + 0.0005},{ORIGIN[0] + n * 0.001 + 0.0005}" for n in numbers]
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n")
    return path


def run_both(app, monkeypatch, first, second, hold_in: str):
    """Run ``first`` and ``second`` (each a callable) at once; the first pauses in ``territory.<hold_in>``."""
    original = getattr(territory, hold_in)
    holder: dict[str, threading.Thread] = {}

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        if threading.current_thread() is holder.get("first"):
            time.sleep(1.5)  # written, not committed: the second import starts meanwhile
        return result

    monkeypatch.setattr(territory, hold_in, held)
    outcomes: dict[str, object] = {}

    def runner(label, work):
        with app.app_context():
            try:
                outcomes[label] = unit_of_work.run(work)
            except Exception as error:  # noqa: BLE001  (what the test is about)
                outcomes[label] = error
            finally:
                db.session.remove()

    threads = {label: threading.Thread(target=runner, args=(label, work))
               for label, work in (("first", first), ("second", second))}
    holder["first"] = threads["first"]
    threads["first"].start()
    time.sleep(0.5)
    threads["second"].start()
    for thread in threads.values():
        thread.join(60)
    db.session.commit()
    return outcomes


def test_two_block_imports_into_one_office_land_one_after_the_other(app, monkeypatch, world, tmp_path):
    first = block_file(tmp_path, "first.geojson", range(0, 10))
    second = block_file(tmp_path, "second.geojson", range(5, 15))
    outcomes = run_both(app, monkeypatch, lambda: imports.import_blocks(first, "Alpha"),
                        lambda: imports.import_blocks(second, "Alpha"), hold_in="locate_office")
    assert not isinstance(outcomes["first"], Exception), outcomes["first"]
    assert not isinstance(outcomes["second"], Exception), outcomes["second"]
    assert (outcomes["first"].blocks_created, outcomes["first"].blocks_updated) == (10, 0)
    assert (outcomes["second"].blocks_created, outcomes["second"].blocks_updated) == (5, 5)  # it saw the first's
    ids = db.session.scalars(select(Block.source_id).where(Block.source_id.like("race-%"))).all()
    assert sorted(ids) == sorted(f"race-{n}" for n in range(15))


def test_two_door_imports_into_one_office_land_one_after_the_other(app, monkeypatch, world, tmp_path):
    unit_of_work.run(imports.import_blocks, block_file(tmp_path, "blocks.geojson", range(0, 10)), "Alpha")
    first, second = door_file(tmp_path, "a.csv", range(0, 10)), door_file(tmp_path, "b.csv", range(0, 10))
    before = db.session.scalar(select(func.count(Door.id)))
    outcomes = run_both(app, monkeypatch, lambda: imports.import_doors(first, "Alpha"),
                        lambda: imports.import_doors(second, "Alpha"), hold_in="refresh_door_counts")
    assert not isinstance(outcomes["first"], Exception), outcomes["first"]
    assert not isinstance(outcomes["second"], Exception), outcomes["second"]
    # Both files name the same ten addresses: the second's households join the first's doors.
    assert outcomes["first"].doors_created == 10
    assert outcomes["second"].doors_created + outcomes["second"].doors_updated == 10
    assert db.session.scalar(select(func.count(Door.id))) == before + 10
