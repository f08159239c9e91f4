"""The live map: today's knocks and conversations by block, and the last knock per turf, for an office
or a region. "Today" is each office's own day (``Office.time_zone``), by the phones' clocks
(``Contact.recorded_at``); a conversation is a knock whose outcome reached someone (``domain.outcomes``).
The page polls it every ``REFRESH_SECONDS``: it reads only today's contacts, by the contacts' time index.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import case, func, select

from ..domain.outcomes import REACHED_CODES
from ..domain.time_zones import day_starts, today
from ..extensions import db
from ..models import Block, Contact, Door, Office, Region, Turf
from .portable import aware

REFRESH_SECONDS = 30


def _office_today(office: Office, now: datetime) -> dict:
    day = today(now, office.time_zone)
    start = day_starts(day, office.time_zone)
    end = day_starts(day + timedelta(days=1), office.time_zone)
    todays = (Contact.office_id == office.id, Contact.recorded_at >= start, Contact.recorded_at < end)
    reached = func.sum(case((Contact.outcome.in_(sorted(REACHED_CODES)), 1), else_=0))
    per_block = (select(Door.block_id.label("block_id"), func.count().label("knocks"), reached.label("talks"),
                        func.max(Contact.recorded_at).label("last_at"))
                 .select_from(Contact).join(Door, Door.id == Contact.door_id).where(*todays)
                 .group_by(Door.block_id).subquery())
    blocks = [
        {"id": row.id, "source_id": row.source_id, "office_id": office.id, "lat": row.centroid_lat,
         "lon": row.centroid_lon, "knocks": int(row.knocks), "conversations": int(row.talks or 0),
         "last_knock_at": aware(row.last_at).isoformat()}
        for row in db.session.execute(
            select(Block.id, Block.source_id, Block.centroid_lat, Block.centroid_lon, per_block.c.knocks,
                   per_block.c.talks, per_block.c.last_at)
            .join(per_block, per_block.c.block_id == Block.id).order_by(Block.id))]
    turfs = [
        {"id": row.id, "name": row.name, "office_id": office.id, "knocks": int(row.knocks),
         "last_knock_at": aware(row.last_at).isoformat()}
        for row in db.session.execute(
            select(Turf.id, Turf.name, func.count().label("knocks"), func.max(Contact.recorded_at).label("last_at"))
            .select_from(Contact).join(Turf, Turf.id == Contact.turf_id).where(*todays)
            .group_by(Turf.id, Turf.name).order_by(func.max(Contact.recorded_at).desc(), Turf.id))]
    return {"id": office.id, "name": office.name, "day": day.isoformat(), "time_zone": office.time_zone,
            "lat": office.lat, "lon": office.lon, "blocks": blocks, "turfs": turfs,
            "knocks": sum(b["knocks"] for b in blocks), "conversations": sum(b["conversations"] for b in blocks)}


def _payload(offices: list[Office], now: datetime, scope: dict) -> dict:
    parts = [_office_today(office, now) for office in offices]
    return {
        **scope, "generated_at": now.isoformat(), "refresh_seconds": REFRESH_SECONDS,
        "knocks": sum(p["knocks"] for p in parts), "conversations": sum(p["conversations"] for p in parts),
        "offices": [{k: v for k, v in p.items() if k not in ("blocks", "turfs")} for p in parts],
        "blocks": [b for p in parts for b in p["blocks"]],
        "turfs": sorted((t for p in parts for t in p["turfs"]), key=lambda turf: turf["last_knock_at"], reverse=True),
    }


def office_live(office: Office, now: datetime | None = None) -> dict:
    """Today's knocks and conversations by block in the office, and each turf's last knock today."""
    return _payload([office], now or datetime.now(timezone.utc), {"scope": "office", "office_id": office.id,
                                                                   "name": office.name})


def region_live(region: Region, now: datetime | None = None) -> dict:
    """The same for every office of the region, each on its own day."""
    offices = list(db.session.scalars(select(Office).where(Office.region_id == region.id).order_by(Office.name)))
    return _payload(offices, now or datetime.now(timezone.utc), {"scope": "region", "region_id": region.id,
                                                                  "name": region.name})
