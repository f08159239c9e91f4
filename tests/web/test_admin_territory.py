"""Regions and offices made on the web: admins make and rename regions, admins and a region's lead make
and rename its offices, organizers set their office's clock on Settings. Names are unique whatever
their case, and every refusal names the field."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import AuditEvent, Office, Region, VolunteerDay
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_an_admin_creates_and_renames_regions(client, auth, world):
    auth.login("admin@test.example")
    page = client.get("/admin/territory").get_data(as_text=True)
    assert "North" in page and "Alpha" in page and "Europe/Helsinki" in page
    response = client.post("/admin/regions", data={"name": "  West Coast "})
    assert response.status_code == 302
    west = db.session.scalar(select(Region).where(Region.name == "West Coast"))
    assert west is not None
    clash = client.post("/admin/regions", data={"name": "north"})
    assert clash.status_code == 409 and "already a region named &#39;North&#39;" in clash.get_data(as_text=True)
    assert client.post(f"/regions/{west.id}/rename", data={"name": "Pacific"}).status_code == 302
    assert client.post(f"/regions/{west.id}/rename", data={"name": "SOUTH"}).status_code == 409
    too_long = client.post(f"/regions/{west.id}/rename", data={"name": "x" * 121})
    assert too_long.status_code == 400 and "at most 120 characters" in too_long.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Region, west.id).name == "Pacific"
    assert actions() == ["region.create", "region.rename"]


def test_a_lead_creates_an_office_in_their_region_with_the_clock_of_its_place(client, auth, world):
    auth.login("lead.north@test.example")
    region_page = client.get(f"/regions/{world.north.id}").get_data(as_text=True)
    assert f"/regions/{world.north.id}/offices/new" in region_page
    form = client.get(f"/regions/{world.north.id}/offices/new").get_data(as_text=True)
    assert 'value="Europe/Helsinki"' in form  # the region's offices' zone is suggested
    response = client.post(f"/regions/{world.north.id}/offices/new",
                           data={"name": "Kallio", "address": "Fleminginkatu 4", "lat": "60.1841", "lon": "24.9503",
                                 "time_zone": ""})
    assert response.status_code == 302
    kallio = db.session.scalar(select(Office).where(Office.name == "Kallio"))
    assert (kallio.region_id, kallio.time_zone, kallio.address) == (world.north.id, "Europe/Helsinki",
                                                                   "Fleminginkatu 4")
    # Other regions are not theirs; regions themselves are the admins'.
    assert client.post(f"/regions/{world.south.id}/offices/new", data={"name": "Elsewhere"}).status_code == 403
    assert client.post("/admin/regions", data={"name": "Mine"}).status_code == 403
    assert client.post(f"/regions/{world.north.id}/rename", data={"name": "Mine"}).status_code == 403
    assert "office.create" in actions()


def test_an_office_form_names_what_is_wrong_and_saves_nothing(client, auth, world):
    auth.login("admin@test.example")
    url = f"/regions/{world.south.id}/offices/new"
    cases = [({"name": ""}, 400, "give the office a name"),
             ({"name": "ALPHA"}, 409, "already an office named &#39;Alpha&#39;"),
             ({"name": "Delta", "lat": "60.1"}, 400, "give both the latitude and the longitude"),
             ({"name": "Delta", "lat": "91", "lon": "24"}, 400, "degrees from -90 to 90"),
             ({"name": "Delta", "lat": "north", "lon": "24"}, 400, "is not a number of degrees"),
             ({"name": "Delta", "time_zone": "Mars/Olympus"}, 400, "is not a time zone name"),
             ({"name": "Delta", "address": "x" * 300}, 400, "at most 255 characters")]
    for data, status, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == status, data
        assert message in response.get_data(as_text=True), data
    assert db.session.scalar(select(Office).where(Office.name == "Delta")) is None
    # No place and no zone: the office counts UTC days until its territory is imported.
    assert client.post(url, data={"name": "Delta"}).status_code == 302
    assert db.session.scalar(select(Office.time_zone).where(Office.name == "Delta")) is None


def test_leads_and_admins_rename_offices_and_organizers_do_not(client, auth, world):
    auth.login("organizer.a@test.example")
    assert "Rename or change the address" not in client.get(f"/offices/{world.office_a.id}").get_data(as_text=True)
    assert client.post(f"/offices/{world.office_a.id}/edit", data={"name": "Mine"}).status_code == 403
    auth.logout()
    auth.login("lead.north@test.example")
    assert "Rename or change the address" in client.get(f"/offices/{world.office_a.id}").get_data(as_text=True)
    assert client.post(f"/offices/{world.office_a.id}/edit", data={"name": "Bravo"}).status_code == 409
    assert client.post(f"/offices/{world.office_a.id}/edit",
                       data={"name": "Alpha North", "address": "Main street 1"}).status_code == 302
    assert client.post(f"/offices/{world.office_c.id}/edit", data={"name": "Taken over"}).status_code == 403
    db.session.expire_all()
    office = db.session.get(Office, world.office_a.id)
    assert (office.name, office.address) == ("Alpha North", "Main street 1")
    assert actions() == ["office.rename"]


def test_an_office_created_from_the_command_line_takes_its_clock_from_its_first_import(runner, app, tmp_path):
    from tests.factories import grid_blocks
    path = tmp_path / "blocks.geojson"
    grid_blocks(-118.25, 34.05, 2, 2, "la").to_file(path, driver="GeoJSON")
    result = runner.invoke(args=["import-blocks", str(path), "--office", "Echo Park", "--region", "West",
                                 "--id-field", "source_id"])
    assert result.exit_code == 0, result.output
    office = db.session.scalar(select(Office).where(Office.name == "Echo Park"))
    assert office.time_zone == "America/Los_Angeles" and 34 < office.lat < 34.1


def test_an_organizer_sets_the_office_clock_and_its_days_are_counted_again(client, auth, world):
    day = datetime.now(timezone.utc).date() - timedelta(days=1)
    late = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=23, minutes=30)
    contact = knock(doors_of(world.turf_a1)[0], world.canvass_north.id, recorded_at=late.isoformat())
    assert client.post("/api/v1/contacts", json={"contacts": [contact]},
                       headers=bearer(create_token("volunteer.a1@test.example"))).status_code == 200
    # 23:30 UTC is already tomorrow in Helsinki, the office's zone from its place.
    assert [d.day for d in db.session.scalars(select(VolunteerDay))] == [day + timedelta(days=1)]
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/settings").get_data(as_text=True)
    assert 'value="Europe/Helsinki"' in page and "America/Los_Angeles" in page  # the choices
    wrong = client.post(f"/offices/{world.office_a.id}/settings", data={**settings_form(), "time_zone": "Atlantis"})
    assert wrong.status_code == 400 and "&#39;Atlantis&#39; is not a time zone name" in wrong.get_data(as_text=True)
    response = client.post(f"/offices/{world.office_a.id}/settings",
                           data={**settings_form(), "time_zone": "Atlantic/Reykjavik"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Office, world.office_a.id).time_zone == "Atlantic/Reykjavik"
    assert [d.day for d in db.session.scalars(select(VolunteerDay))] == [day]  # Reykjavik keeps UTC
    assert actions()[-1] == "office.time_zone"


def settings_form() -> dict:
    return {"due_call_back": "2", "due_send_info": "3", "due_yard_sign": "7", "due_volunteer": "2",
            "neglect_days": "30", "idle_days": "7", "issues": "schools: school"}
