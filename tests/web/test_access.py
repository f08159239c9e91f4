"""Who sees what, through the pages: volunteers their turfs, organizers their office, leads their region."""
from __future__ import annotations

import pytest


def test_anonymous_is_sent_to_sign_in(client, world):
    for path in ["/", f"/offices/{world.office_a.id}", f"/turfs/{world.turf_a1.id}", "/my/turfs",
                 f"/regions/{world.north.id}"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"]


def test_volunteer_sees_own_turf_but_not_another(client, auth, world):
    auth.login("volunteer.a1@test.example")
    own = client.get(f"/turfs/{world.turf_a1.id}")
    assert own.status_code == 200
    assert "Alpha street" in own.get_data(as_text=True)
    other = client.get(f"/turfs/{world.turf_a2.id}")
    assert other.status_code in (403, 404)
    assert "Alpha street" not in other.get_data(as_text=True)


def test_volunteer_cannot_open_office_pages(client, auth, world):
    auth.login("volunteer.a1@test.example")
    assert client.get(f"/offices/{world.office_a.id}").status_code == 403


def test_organizer_sees_own_office_not_another(client, auth, world):
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}")
    assert page.status_code == 200
    assert "Alpha 1" in page.get_data(as_text=True)
    other = client.get(f"/offices/{world.office_b.id}")
    assert other.status_code == 403
    assert "Bravo 1" not in other.get_data(as_text=True)
    assert client.get(f"/turfs/{world.turf_b1.id}").status_code == 403
    assert client.get(f"/turfs/{world.turf_a2.id}").status_code == 200


def test_lead_sees_own_region_only(client, auth, world):
    auth.login("lead.north@test.example")
    region = client.get(f"/regions/{world.north.id}")
    assert region.status_code == 200
    text = region.get_data(as_text=True)
    assert "Alpha" in text and "Bravo" in text and "Charlie" not in text
    assert client.get(f"/regions/{world.south.id}").status_code == 403
    assert client.get(f"/offices/{world.office_c.id}").status_code == 403
    assert client.get(f"/offices/{world.office_b.id}").status_code == 200


def test_admin_sees_every_region(client, auth, world):
    auth.login("admin@test.example")
    listing = client.get("/regions").get_data(as_text=True)
    assert "North" in listing and "South" in listing
    assert client.get(f"/offices/{world.office_c.id}").status_code == 200


def test_unknown_records_are_404(client, auth, world):
    auth.login("admin@test.example")
    assert client.get("/offices/99999").status_code == 404
    assert client.get("/turfs/99999").status_code == 404


@pytest.mark.parametrize("email, landing", [
    ("volunteer.a1@test.example", "/my/turfs"),
    ("organizer.a@test.example", "/offices/"),
    ("lead.north@test.example", "/regions/"),
    ("admin@test.example", "/regions"),
])
def test_each_role_lands_on_its_start_page(client, auth, world, email, landing):
    auth.login(email)
    response = client.get("/")
    assert response.status_code == 302
    assert landing in response.headers["Location"]


def test_my_turfs_lists_only_assigned_turfs(client, auth, world):
    auth.login("volunteer.a1@test.example")
    text = client.get("/my/turfs").get_data(as_text=True)
    assert "Alpha 1" in text and "Alpha 2" not in text
