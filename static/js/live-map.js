// The live map (election day): today's knocks and conversations by block, and each turf's last knock,
// refreshed every refresh_seconds from the JSON endpoint without reloading the page. The figures come from
// the server (fieldops/services/live.py); this file only draws them, and every label is set as text.
(function () {
  "use strict";
  const holder = document.getElementById("live-map");
  const source = document.getElementById("live-data");
  if (!holder || !source) return;
  const $ = (id) => document.getElementById(id);
  const url = source.dataset.url;
  let data = JSON.parse(source.textContent);

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  let map = null, layer = null, fitted = false;
  if (window.L) {
    map = L.map(holder, { scrollWheelZoom: false, zoomSnap: 0.25 });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      { maxZoom: 19, attribution: t("© OpenStreetMap contributors") }).addTo(map);
    layer = L.featureGroup().addTo(map);
  }

  function drawMap() {
    if (!map) return;
    layer.clearLayers();
    data.blocks.forEach((block) => {
      const tip = element("span");
      tip.append(document.createTextNode(t("Block %(id)s", { id: block.source_id || block.id })));
      tip.append(document.createElement("br"));
      tip.append(document.createTextNode(t("%(knocks)s knocks, %(conversations)s conversations",
        { knocks: block.knocks, conversations: block.conversations })));
      L.circleMarker([block.lat, block.lon], {
        radius: Math.min(22, 5 + 3 * Math.sqrt(block.knocks)), weight: 1, color: "#14532d",
        fillColor: block.conversations ? "#16a34a" : "#facc15", fillOpacity: 0.7,
      }).bindTooltip(tip).addTo(layer);
    });
    if (!fitted) {
      const bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.2)); fitted = true; }
      else {
        const office = data.offices.find((o) => o.lat !== null && o.lon !== null);
        map.setView(office ? [office.lat, office.lon] : [0, 0], office ? 13 : 2);
      }
    }
  }

  function drawTables() {
    $("live-knocks").textContent = String(data.knocks);
    $("live-conversations").textContent = String(data.conversations);
    $("live-updated").textContent = t("updated at %(time)s", { time: clock(data.generated_at) });
    $("live-turfs").tBodies[0].replaceChildren(...data.turfs.map((turf) => {
      const row = element("tr");
      row.dataset.turfId = turf.id;
      row.append(element("td", turf.name), element("td", String(turf.knocks), "num"),
        element("td", clock(turf.last_knock_at), "last-knock"));
      return row;
    }));
    $("live-no-turfs").hidden = data.turfs.length > 0;
    $("live-blocks").tBodies[0].replaceChildren(...data.blocks.map((block) => {
      const row = element("tr");
      row.dataset.blockId = block.id;
      row.append(element("td", block.source_id || String(block.id)), element("td", String(block.knocks), "num knocks"),
        element("td", String(block.conversations), "num conversations"));
      return row;
    }));
  }

  function draw() {
    drawTables();
    drawMap();
  }

  async function refresh() {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store",
                                          headers: { Accept: "application/json" } });
      if (!response.ok) {
        $("live-updated").textContent = t("Could not refresh (%(status)s): the figures shown are older.",
          { status: response.status });
        return;
      }
      data = await response.json();
      draw();
    } catch (error) {
      $("live-updated").textContent = t("Offline: the figures shown are older.");
    }
  }

  window.FieldopsLiveMap = { refresh, data: () => data };
  draw();
  setInterval(refresh, (data.refresh_seconds || 30) * 1000);
})();
