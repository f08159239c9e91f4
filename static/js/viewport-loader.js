// What the office maps share in viewport mode (fieldops/services/map_view.py): on every move the map asks its
// data URL for what the view shows (blocks at street zoom, cells of blocks when zoomed out, turf outlines),
// drops an answer a later move has overtaken, and says in a note on the map when blocks are grouped or turf
// outlines hidden. The coverage map (coverage-map.js) and the turf editor (turf-editor.js) each draw the answer
// their own way. Loaded before either.
(function () {
  "use strict";
  const SCALE = 1e5;
  // The page's translations (static/js/i18n.js); a map drawn on a page without them speaks English.
  const t = (text, values) => (window.t ? window.t(text, values)
    : text.replace(/%\((\w+)\)s/g, (whole, name) => (values && name in values ? String(values[name]) : whole)));

  // The packed integers of fieldops/maps/packing.py: [lat0, lon0, (extra...), dlat1, dlon1, (extra...), ...]
  // (1e-5 degrees, each the difference from the one before) -> [[lat, lon, extra...], ...]
  function unpack(flat, stride = 2) {
    const points = [];
    let lat = 0, lon = 0;
    for (let i = 0; i + stride <= flat.length; i += stride) {
      lat += flat[i];
      lon += flat[i + 1];
      points.push([lat / SCALE, lon / SCALE, ...flat.slice(i + 2, i + stride)]);
    }
    return points;
  }

  // A packed shape (polygons of rings) as Leaflet latlngs.
  function shape(packed) {
    return packed.map((rings) => rings.map((ring) => unpack(ring, 2)));
  }

  // Follow the map's viewport: ``draw(answer)`` draws each answer; ``grouped(n)`` is the note shown when the
  // n blocks in view come as cells (the caller's own words, in t()). Loads once now. Returns the note's element.
  function follow(map, dataUrl, draw, grouped) {
    const note = L.control({position: "bottomleft"});
    note.onAdd = () => {
      const div = L.DomUtil.create("div", "map-note");
      div.setAttribute("aria-live", "polite");
      return div;
    };
    note.addTo(map);
    let asked = 0;

    async function load() {
      const b = map.getBounds();
      const url = new URL(dataUrl, window.location.href);
      url.searchParams.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, v)).toFixed(5)).join(","));
      url.searchParams.set("zoom", String(map.getZoom()));
      const mine = ++asked;
      let answer;
      try {
        const response = await fetch(url, {credentials: "same-origin"});
        if (!response.ok) throw new Error(String(response.status));
        answer = await response.json();
      } catch (error) {
        note.getContainer().textContent = t("Could not load the map: %(error)s", {error: error.message});
        return;
      }
      if (mine !== asked) return;  // a later move already asked again
      let text = answer.mode === "cells" ? grouped(answer.blocks_in_view.toLocaleString()) : "";
      if (answer.turfs_hidden) {
        text += (text ? " " : "") + t("%(n)s turfs in view: zoom in to see their outlines.",
                                      {n: answer.turfs_hidden.toLocaleString()});
      }
      note.getContainer().textContent = text;
      draw(answer);
    }

    map.on("moveend", load);
    load();
    return note.getContainer();
  }

  window.fieldopsViewport = {unpack, shape, follow};
})();
