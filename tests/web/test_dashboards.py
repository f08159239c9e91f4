"""Dashboards show the numbers ``flask coverage --json`` prints, and only to those who may see them."""
from __future__ import annotations

import json
import re

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Canvass, Office
from tests.factories import load_demo


def figures_on_page(html: str) -> dict:
    return {name: value for name, value in re.findall(r'data-figure="(\w+)">([^<]+)<', html)}


def test_office_dashboard_equals_the_command_on_the_demo(client, auth, runner, app):
    load_demo("a demo password")
    canvass = db.session.scalar(select(Canvass).where(Canvass.name.like("Neighbourhood%")))
    office = db.session.scalar(select(Office).where(Office.name == "Kaartinkaupunki"))
    auth.login("organizer.kaartinkaupunki@fieldops.example", "a demo password")
    page = client.get(f"/offices/{office.id}/dashboard?canvass_id={canvass.id}").get_data(as_text=True)
    cli = json.loads(runner.invoke(args=["coverage", "--office", "Kaartinkaupunki", "--canvass", canvass.name,
                                         "--json"]).stdout)
    shown = figures_on_page(page)
    pacing = {key: shown.pop(key) for key in ("done", "conversations", "pace_needed", "pace_7d", "projected_finish")}
    assert shown == {"doors": str(cli["doors"]), "attempted": str(cli["attempted"]), "reached": str(cli["reached"]),
                     "coverage": f"{cli['coverage'] * 100:.1f}%", "contact_rate": f"{cli['contact_rate'] * 100:.1f}%"}
    # The demo sets each office a goal: the page paces toward the same one as the command.
    assert pacing["done"].endswith(f"/ {cli['goal_doors']}") and pacing["pace_needed"] == str(cli["pace_needed"])
    assert pacing["pace_7d"] == str(cli["pace_7d"]) and pacing["projected_finish"] == str(cli["projected_finish"])
    assert cli["attempted"] > 0
    for turf in cli["turfs"]:
        assert f">{turf['name']}</a>" in page
    assert "<svg class=\"chart\"" in page and "window.fieldopsMap" not in page and "folium-map" in page


def test_dashboards_are_scoped(client, auth, world):
    auth.login("lead.south@test.example")
    assert client.get(f"/regions/{world.north.id}/compare").status_code == 403
    assert client.get(f"/offices/{world.office_a.id}/dashboard").status_code == 403
    page = client.get(f"/regions/{world.south.id}/compare")
    assert page.status_code == 200 and page.get_data(as_text=True).count('<tr><td><a href="/offices/') == 1
    auth.logout()
    auth.login("organizer.a@test.example")
    assert client.get(f"/offices/{world.office_a.id}/dashboard").status_code == 200
    assert client.get(f"/offices/{world.office_b.id}/dashboard").status_code == 403
    assert client.get(f"/offices/{world.office_a.id}/dashboard?start=tomorrow").status_code == 400
