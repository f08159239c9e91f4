"""The volunteer's phone speaks their language: the page, the walk list's outcome labels, promises and
language names, the scripts' strings and the service worker's offline page."""
from __future__ import annotations

import json
import re

from fieldops.extensions import db
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token


def test_the_walk_list_carries_outcomes_promises_and_languages_in_finnish(client, world):
    token = create_token("volunteer.a1@test.example")
    door_id = doors_of(world.turf_a1)[0]
    talked = knock(door_id, world.canvass_north.id, outcome="talked", answers={}, follow_ups=["call_back"])
    assert client.post("/api/v1/contacts", json={"contacts": [talked]},
                       headers=bearer(token)).get_json()["results"][0]["status"] == "created"
    url = f"/api/v1/turfs/{world.turf_a1.id}/walklist"
    walk = client.get(url, headers={**bearer(token), "Accept-Language": "fi-FI,fi;q=0.9"}).get_json()
    labels = {o["code"]: o["label"] for o in walk["outcomes"]}
    assert labels["not_home"] == "Ei kotona" and labels["talked"] == "Keskusteltiin"
    assert labels["left_literature"] == "Jätettiin esite"
    door = next(d for d in walk["doors"] if d["id"] == door_id)
    assert door["history"][0]["outcome_label"] == "Keskusteltiin"
    assert door["promises"][0]["label"] == "Soita takaisin"
    assert walk["language_names"]["sv"] == "Ruotsi" and walk["language_names"]["es"] == "Espanja"
    assert [o["code"] for o in walk["outcomes"]] == [o["code"] for o in client.get(url, headers=bearer(token))
                                                     .get_json()["outcomes"]]  # codes never change
    english = client.get(url, headers={**bearer(token), "Accept-Language": "en"}).get_json()
    assert {o["code"]: o["label"] for o in english["outcomes"]}["not_home"] == "Not home"
    spanish = client.get(url, headers={**bearer(token), "Accept-Language": "es-US,es;q=0.9"}).get_json()
    assert {o["code"]: o["label"] for o in spanish["outcomes"]}["not_home"] == "No estaba en casa"


def test_the_volunteers_own_setting_makes_the_phone_page_swedish(client, auth, world):
    world.users.volunteer_a1.locale = "sv"
    db.session.commit()
    auth.login("volunteer.a1@test.example")
    page = client.get(f"/canvass/{world.turf_a1.id}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "<span>Inte hemma</span>" in page and "Spara och gå till nästa dörr" in page
    assert "Ring tillbaka" in page  # the promises' kinds
    scripts = json.loads(re.search(r'<script type="application/json" id="fieldops-text">(.*?)</script>', page,
                                   re.S).group(1))
    assert scripts["Saved: %(outcome)s at %(door)s."] == "Sparat: %(outcome)s vid %(door)s."
    assert scripts["Add a resident"] == "Lägg till en boende"


def test_the_service_worker_keeps_the_translations_and_says_offline_in_spanish(client, auth, world):
    auth.login("volunteer.a1@test.example")
    body = client.get("/sw.js", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "/static/js/i18n.js" in body
    offline = ("No tienes conexión y esta página no se guardó en este teléfono. Abre tus zonas una vez con "
               "conexión para tenerlas disponibles sin conexión.")
    assert json.dumps(offline) in body  # a JavaScript string in the worker
    assert "You are offline" not in body


def test_my_turfs_speaks_finnish_with_the_walks_progress(client, auth, world):
    auth.login("volunteer.a1@test.example")
    page = client.get("/my/turfs", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "<h1>Omat alueeni</h1>" in page and "Alpha 1" in page
    assert "0/40 ovea käyty" in page  # the same words knocks.js writes once the phone has knocked


def test_the_public_shift_sign_up_speaks_the_browsers_language(client, world):
    from tests.factories import make_shift
    shift = make_shift(world, capacity=2)
    db.session.commit()
    page = client.get(f"/s/{shift.token}", headers={"Accept-Language": "es-US,es;q=0.9"}).get_data(as_text=True)
    assert f"Sal a tocar puertas con {world.office_a.name}" in page
    assert "Quedan 2 lugares." in page and ">Inscribirme</button>" in page
    assert "Nos reunimos en Alpha street 1, Testville." in page
    done = client.post(f"/s/{shift.token}", data={"name": "Maija Meikäläinen", "email": "maija@example.org"},
                       headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Tack, Maija Meikäläinen: du är anmäld." in done and "Lägg till i din kalender (.ics)" in done
    full = client.get(f"/s/{shift.token}", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "1 paikka jäljellä." in full


def test_the_team_leaders_page_speaks_swedish(client, auth, world):
    from tests.factories import build_teams
    teams = build_teams(world)
    auth.login("leader.a1@test.example")
    page = client.get(f"/teams/{teams.north.id}", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "<h2>Medlemmar</h2>" in page and "(teamledare)" in page and "Alpha 1" in page
    assert ">Dela ut</button>" in page or "Ta tillbaka från" in page
    assert "neighborhood team" not in page and "Members" not in page


def test_doors_at_one_address_are_told_apart_in_the_readers_language(client, world):
    """'door 2 of 3 at this address' is built by the pure domain, in words the walk list translates."""
    from fieldops.models import Door
    token = create_token("volunteer.a1@test.example")
    first, second = (db.session.get(Door, door_id) for door_id in doors_of(world.turf_a1)[:2])
    second.street, second.house_number, second.unit, second.name = first.street, first.house_number, None, None
    first.unit = first.name = None
    db.session.commit()
    url = f"/api/v1/turfs/{world.turf_a1.id}/walklist"
    finnish = client.get(url, headers={**bearer(token), "Accept-Language": "fi"}).get_json()
    english = client.get(url, headers={**bearer(token), "Accept-Language": "en"}).get_json()
    which = {d["id"]: d["which"] for d in finnish["doors"]}
    assert which[first.id] == "ovi 1/2 tässä osoitteessa" and which[second.id] == "ovi 2/2 tässä osoitteessa"
    assert {d["id"]: d["which"] for d in english["doors"]}[second.id] == "door 2 of 2 at this address"
