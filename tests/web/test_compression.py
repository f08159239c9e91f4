"""Defect 8: answers go out compressed, and versioned static files are cached for a year.

The figures (bytes sent for the demo's 166-door walk list and for Leaflet) are printed; run with -s to
read them. bench/RESULTS.md records them.
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import brotli
from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Turf
from fieldops.web.assets import IMMUTABLE, StaticVersions
from tests.factories import create_token, load_demo


def test_the_demo_walk_list_comes_compressed_when_asked(app, client):
    load_demo("demo-password-1")
    turf = db.session.scalar(select(Turf).where(Turf.name == "Kluuvi 001"))
    token = create_token("aino@fieldops.example")
    url = f"/api/v1/turfs/{turf.id}/walklist"
    plain = client.get(url, headers={"Authorization": f"Bearer {token}"})
    zipped = client.get(url, headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"})
    brotlied = client.get(url, headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip" and brotlied.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    walk = json.loads(gzip.decompress(zipped.data))
    assert walk == plain.get_json() == json.loads(brotli.decompress(brotlied.data))
    assert len(walk["doors"]) == turf.door_count
    print(f"\nwalk list of {len(walk['doors'])} doors: {len(plain.data):,} bytes, gzip {len(zipped.data):,}, "
          f"brotli {len(brotlied.data):,}")
    assert len(zipped.data) < len(plain.data) / 5


def test_leaflet_comes_compressed_and_cached_for_a_year_under_its_version(app, client):
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", client.get("/sw.js").get_data(as_text=True)).group(1))
    leaflet = next(url for url in shell if "leaflet.js" in url)
    assert re.fullmatch(r"/static/vendor/leaflet/leaflet\.js\?v=[0-9a-f]{12}", leaflet), leaflet
    on_disk = Path(app.static_folder, "vendor/leaflet/leaflet.js").read_bytes()
    zipped = client.get(leaflet, headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Cache-Control"] == IMMUTABLE
    assert gzip.decompress(zipped.data) == on_disk
    again = client.get(leaflet, headers={"Accept-Encoding": "gzip"})
    assert again.data == zipped.data  # compressed once, then kept
    print(f"\nleaflet.js: {len(on_disk):,} bytes, gzip {len(zipped.data):,}")
    assert len(zipped.data) < len(on_disk) / 3
    # An old version's URL, or none, is not promised to last.
    stale = client.get("/static/vendor/leaflet/leaflet.js?v=000000000000")
    assert stale.status_code == 200 and stale.headers["Cache-Control"] != IMMUTABLE
    assert client.get("/static/vendor/leaflet/leaflet.js").headers["Cache-Control"] != IMMUTABLE


def test_pages_ask_for_versioned_static_files_and_the_offline_shell_keeps_them(app, client, auth, world):
    auth.login("volunteer.a1@test.example")
    page = client.get(f"/canvass/{world.turf_a1.id}").get_data(as_text=True)
    asked = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
    assert asked and all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in asked), asked
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", client.get("/sw.js").get_data(as_text=True)).group(1))
    # What the phone page loads from the offline shell is kept under the very URL the page asks for.
    kept = {url.split("?")[0] for url in shell}
    from_shell = {url for url in asked if url.split("?")[0] in kept}
    assert len(from_shell) >= 4 and from_shell <= set(shell)
    for url in shell:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.startswith("/static/"):
            assert response.headers["Cache-Control"] == IMMUTABLE, url


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "app.css").write_text("body { color: black }")
    versions = StaticVersions(str(tmp_path))
    first = versions.of("app.css")
    (tmp_path / "app.css").write_text("body { color: green }")
    assert versions.of("app.css") != first and len(first) == 12
    assert versions.of("missing.css") is None and versions.of("../etc/passwd") is None
    (tmp_path / "vendor").mkdir()
    assert versions.of("vendor") is None  # a folder prefix, as the maps use, stays as it is
