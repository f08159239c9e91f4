// The turf page's map: the turf's blocks, the outline of its doors in blocks shared with other turfs, its
// doors numbered in walking order (the walk list's order, from fieldops/services/turf_map.py) and the
// route between them. Fed by the JSON in #turf-map-data; every label is set as text, never as HTML.
(function () {
  "use strict";
  const holder = document.getElementById("turf-map");
  const source = document.getElementById("turf-map-data");
  if (!holder || !source || !window.L) return;
  const data = JSON.parse(source.textContent);

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  const map = L.map(holder, { scrollWheelZoom: false, zoomSnap: 0.25 });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    { maxZoom: 19, attribution: t("© OpenStreetMap contributors") }).addTo(map);
  const everything = L.featureGroup().addTo(map);
  const blocks = data.blocks.map((block) => L.polygon(block.rings, {
    color: "#14532d", weight: 1, fillColor: "#bbf7d0", fillOpacity: 0.35,
  }).bindTooltip(element("span", t("Block %(id)s", { id: block.id }))).addTo(everything));
  const parts = data.parts.length ? L.polygon(data.parts, {
    color: "#14532d", weight: 2, dashArray: "6 4", fillColor: "#bbf7d0", fillOpacity: 0.25,
  }).addTo(everything) : null;
  const route = data.route.length > 1
    ? L.polyline(data.route, { color: "#1d4ed8", weight: 3, opacity: 0.8 }).addTo(everything) : null;
  const marks = data.marks.map((mark) => {
    // A divIcon given a node (not a string) keeps the number as text.
    const icon = L.divIcon({ className: "turf-mark", html: element("span", mark.text), iconSize: null });
    const marker = L.marker([mark.lat, mark.lon], { icon, keyboard: false, title: "" }).addTo(everything);
    const tip = element("span");
    // A building of many units: its first and last few, not a column down the screen.
    const labels = mark.labels.length > 8
      ? [...mark.labels.slice(0, 3), "… " + t("%(n)s more", { n: mark.labels.length - 6 }) + " …", ...mark.labels.slice(-3)]
      : mark.labels;
    labels.forEach((label, n) => {
      if (n) tip.append(document.createElement("br"));
      tip.append(document.createTextNode(label));
    });
    marker.bindTooltip(tip);
    return marker;
  });
  const bounds = everything.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 18 });
  window.fieldopsTurfMap = { map, blocks, parts, route, marks };
})();
