// The office coverage map's blocks and doors, drawn from the packed integers of fieldops/maps/packing.py:
// coordinates in 1e-5 degrees, each the difference from the one before. Blocks are coloured by the share
// of their doors knocked; doors are clustered and each opens its household's timeline; the units of a
// building (doors at one point) are one marker with their count.
(function () {
  "use strict";
  // The page's translations (static/js/i18n.js); a map drawn on a page without them speaks English.
  const t = (text, values) => (window.t ? window.t(text, values)
    : text.replace(/%\((\w+)\)s/g, (whole, name) => (values && name in values ? String(values[name]) : whole)));
  const unpack = (flat, stride) => window.fieldopsViewport.unpack(flat, stride);  // viewport-loader.js, loaded first

  function colour(doors, attempted, classes, noDoors) {
    if (!doors) return noDoors;
    const rate = attempted / doors;
    for (const [upper, fill] of classes) if (rate <= upper) return fill;
    return classes[classes.length - 1][1];
  }

  function table(rows) {
    const element = document.createElement("table");
    element.className = "popup-table";
    for (const [label, value] of rows) {
      const row = element.insertRow();
      const head = document.createElement("th");
      head.textContent = label;
      row.appendChild(head);
      row.insertCell().textContent = value;
    }
    return element;
  }

  function blockPopup(block) {
    const [, name, doors, attempted, reached] = block;
    return table([[t("Block"), name], [t("Doors"), doors], [t("Attempted"), attempted], [t("Reached"), reached],
                  [t("Coverage"), doors ? Math.round(100 * attempted / doors) + "%" : "-"]]);
  }

  function doorPopup(id, urlTemplate) {
    const link = document.createElement("a");
    link.href = urlTemplate.replace(/\/0$/, "/" + id);
    link.textContent = t("Household timeline");
    return link;
  }

  // A building's units share one point: one marker with their number, listing each unit's timeline.
  function buildingPopup(ids, urlTemplate) {
    const list = document.createElement("ol");
    list.className = "building-units";
    ids.forEach((id, n) => {
      const item = document.createElement("li");
      const link = doorPopup(id, urlTemplate);
      link.textContent = t("Unit %(n)s: household timeline", { n: n + 1 });
      item.appendChild(link);
      list.appendChild(item);
    });
    return list;
  }

  window.fieldopsCoverage = {
    draw(map, data) {
      const renderer = L.canvas({padding: 0.2});
      const blocks = L.featureGroup();
      for (const block of data.blocks) {
        const latlngs = block[5].map((rings) => rings.map((ring) => unpack(ring, 2)));
        L.polygon(latlngs, {renderer, fillColor: colour(block[2], block[3], data.classes, data.noDoors),
                            fillOpacity: 0.75, color: "#4b5563", weight: 0.5})
          .bindPopup(() => blockPopup(block)).addTo(blocks);
      }
      blocks.addTo(map);
      let doors = null;
      if (data.doors.length && L.markerClusterGroup) {
        doors = L.markerClusterGroup({chunkedLoading: true, disableClusteringAtZoom: 19});
        const icon = L.divIcon({className: "door-dot", iconSize: [8, 8]});
        const places = new Map();
        for (const [lat, lon, id] of unpack(data.doors, 3)) {
          const key = `${lat},${lon}`;
          if (!places.has(key)) places.set(key, {lat, lon, ids: []});
          places.get(key).ids.push(id);
        }
        doors.addLayers([...places.values()].map(({lat, lon, ids}) => ids.length === 1
          ? L.marker([lat, lon], {icon, keyboard: false}).bindPopup(() => doorPopup(ids[0], data.householdUrl))
          : L.marker([lat, lon], {keyboard: false, icon: L.divIcon({className: "building-dot", html: String(ids.length),
                                                                 iconSize: [22, 22]})})
              .bindPopup(() => buildingPopup(ids, data.householdUrl))));
        doors.addTo(map);
      }
      window.fieldopsMap = {map, blocks, doors};
    },

    // Viewport mode (fieldops/services/map_view.py): the page embeds nothing; on every move the map asks
    // data.dataUrl for what it shows: blocks with their coverage at street zoom, cells of blocks when
    // zoomed out, and the turfs' outlines.
    view(map, data) {
      const viewport = window.fieldopsViewport;  // static/js/viewport-loader.js
      const renderer = L.canvas({padding: 0.2});
      const blocks = L.featureGroup().addTo(map);
      const turfs = L.featureGroup().addTo(map);
      const doors = L.markerClusterGroup ? L.markerClusterGroup({chunkedLoading: true, disableClusteringAtZoom: 19})
        : L.featureGroup();
      doors.addTo(map);
      window.fieldopsMap = {map, blocks, doors, turfs, loaded: 0};
      const icon = L.divIcon({className: "door-dot", iconSize: [8, 8]});

      function cellPopup(cell) {
        return table([[t("Blocks"), cell.blocks], [t("Doors"), cell.doors], [t("Attempted"), cell.attempted],
                      [t("Reached"), cell.reached],
                      [t("Coverage"), cell.doors ? Math.round(100 * cell.attempted / cell.doors) + "%" : "-"]]);
      }

      function draw(answer) {
        blocks.clearLayers();
        turfs.clearLayers();
        doors.clearLayers();
        for (const block of answer.blocks) {
          L.polygon(viewport.shape(block.shape), {renderer, fillColor: block.fill, fillOpacity: 0.75, color: "#4b5563", weight: 0.5})
            .bindPopup(() => blockPopup([block.id, block.source_id, block.doors, block.attempted, block.reached]))
            .addTo(blocks);
        }
        for (const cell of answer.cells) {
          L.rectangle([[cell.bounds[0], cell.bounds[1]], [cell.bounds[2], cell.bounds[3]]],
                      {renderer, fillColor: cell.fill, fillOpacity: 0.75, color: "#9ca3af", weight: 0.3})
            .bindPopup(() => cellPopup(cell)).addTo(blocks);
        }
        for (const turf of answer.turfs) {
          const tip = document.createElement("span");
          tip.textContent = turf.name;
          L.polygon(viewport.shape(turf.shape), {fill: false, color: "#111827", weight: 2}).bindTooltip(tip).addTo(turfs);
        }
        if (answer.doors.length) {
          const places = new Map();
          for (const [lat, lon, id] of unpack(answer.doors, 3)) {
            const key = `${lat},${lon}`;
            if (!places.has(key)) places.set(key, {lat, lon, ids: []});
            places.get(key).ids.push(id);
          }
          const markers = [...places.values()].map(({lat, lon, ids}) => ids.length === 1
            ? L.marker([lat, lon], {icon, keyboard: false}).bindPopup(() => doorPopup(ids[0], data.householdUrl))
            : L.marker([lat, lon], {keyboard: false, icon: L.divIcon({className: "building-dot",
                                                                      html: String(ids.length), iconSize: [22, 22]})})
              .bindPopup(() => buildingPopup(ids, data.householdUrl)));
          if (doors.addLayers) doors.addLayers(markers); else markers.forEach((m) => m.addTo(doors));
        }
        window.fieldopsMap.loaded += 1;
        window.fieldopsMap.mode = answer.mode;
      }

      if (data.extent) map.fitBounds(data.extent, {animate: false});
      viewport.follow(map, data.dataUrl, draw,
                      (n) => t("%(n)s blocks in view, grouped: zoom in to see each block.", {n}));
    },
  };
})();
