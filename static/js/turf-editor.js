// The office map's turf editor: draw a shape or click blocks to make a turf, or add and remove a turf's blocks.
// The map itself is built by Folium (fieldops/maps/office_map.py viewport_office_map), which leaves it and the
// URL of its data in window.fieldopsMap; this script asks that URL for the blocks and turfs in view on every
// move (fieldops/services/map_view.py): blocks at street zoom, cells of blocks when zoomed out.
(function () {
  const panel = document.getElementById("turf-editor");
  const registry = window.fieldopsMap;
  if (!panel || !registry) return;
  const { map } = registry;
  const blocks = L.featureGroup().addTo(map);
  const turfs = L.featureGroup().addTo(map);
  registry.blocks = blocks;
  registry.turfs = turfs;
  registry.loaded = 0;
  const status = document.getElementById("editor-status");
  const selectionBox = document.getElementById("editor-selection");
  const summary = document.getElementById("selection-summary");
  const nameInput = document.getElementById("selection-name");
  const nameLabel = document.getElementById("selection-name-label");
  const saveButton = document.getElementById("selection-save");

  // One selection at a time: a new turf (blocks to take) or an existing turf (blocks to add and remove).
  let selection = null;
  const blockLayers = new Map();
  const blockDoors = new Map();  // every block seen so far: a selection outlives a move of the map

  function doorsOf(ids) {
    let total = 0;
    ids.forEach((id) => { total += blockDoors.get(id) || 0; });
    return total;
  }

  function baseStyle(props) {
    return { fillColor: props.fill, fillOpacity: 0.7, color: props.edge, weight: props.free ? 2 : 0.5,
             dashArray: props.free ? "4 3" : null };
  }

  function highlight() {
    blockLayers.forEach((layer, id) => {
      layer.setStyle(baseStyle(layer.feature.properties));
      if (!selection) return;
      if (selection.add.has(id)) layer.setStyle({ color: "#1d4ed8", weight: 4, dashArray: null });
      else if (selection.remove.has(id)) layer.setStyle({ color: "#b91c1c", weight: 4, dashArray: "2 4" });
      else if (selection.turfId && layer.feature.properties.turf_id === selection.turfId) {
        layer.setStyle({ color: "#1d4ed8", weight: 2 });
      }
    });
  }

  function show(message) {
    status.textContent = message;
  }

  function render() {
    highlight();
    if (!selection) {
      selectionBox.hidden = true;
      return;
    }
    selectionBox.hidden = false;
    if (selection.turfId) {
      nameLabel.hidden = true;
      nameInput.hidden = true;
      summary.textContent = t("Editing %(turf)s: adding %(added)s blocks (%(added_doors)s doors), removing %(removed)s blocks (%(removed_doors)s doors). Click blocks to change.",
        { turf: selection.turfName, added: selection.add.size, added_doors: doorsOf(selection.add),
          removed: selection.remove.size, removed_doors: doorsOf(selection.remove) });
      saveButton.textContent = t("Save changes");
    } else {
      nameLabel.hidden = false;
      nameInput.hidden = false;
      const values = { blocks: selection.add.size, doors: doorsOf(selection.add), taken: selection.taken };
      summary.textContent = selection.taken
        ? t("%(blocks)s blocks, %(doors)s doors (%(taken)s blocks already in turfs were left out). Click blocks to add or remove them.", values)
        : t("%(blocks)s blocks, %(doors)s doors. Click blocks to add or remove them.", values);
      saveButton.textContent = t("Save turf");
    }
    saveButton.disabled = selection.add.size === 0 && selection.remove.size === 0;
  }

  function startNew(ids, taken) {
    selection = { turfId: null, add: new Set(ids), remove: new Set(), taken: taken || 0 };
    if (!nameInput.value) nameInput.value = panel.dataset.nextName;
    render();
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": panel.dataset.csrf },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || t("the server answered %(status)s", { status: response.status }));
    return data;
  }

  // Drawing: a polygon previews the free blocks whose centres it covers.
  const drawn = new L.FeatureGroup().addTo(map);
  map.addControl(new L.Control.Draw({
    draw: { polygon: { allowIntersection: false, showArea: false }, polyline: false, rectangle: false,
            circle: false, marker: false, circlemarker: false },
    edit: false,
  }));
  // While a shape is being drawn its clicks place corners; they must not also pick blocks.
  let drawing = false;
  map.on(L.Draw.Event.DRAWSTART, () => { drawing = true; });
  map.on(L.Draw.Event.DRAWSTOP, () => { drawing = false; });
  map.on(L.Draw.Event.CREATED, async (event) => {
    drawn.clearLayers();
    drawn.addLayer(event.layer);
    show(t("Finding the blocks inside…"));
    try {
      const found = await post(panel.dataset.previewUrl, { polygon: event.layer.toGeoJSON().geometry });
      drawn.clearLayers();
      if (!found.blocks.length) {
        show(found.taken ? t("Every block inside already belongs to a turf.") : t("No block has its centre inside that shape."));
        selection = null;
        render();
        return;
      }
      show(t("Check the blocks in blue, name the turf and save it."));
      startNew(found.blocks, found.taken);
    } catch (error) {
      show(t("Could not preview: %(error)s", { error: error.message }));
    }
  });

  // Clicking: toggles a block in the current selection.
  function clickable(layer) {
    layer.on("click", () => {
      if (drawing) return;
      const props = layer.feature.properties;
      const id = props.id;
      if (selection && selection.turfId) {
        if (props.turf_id === selection.turfId) {
          if (selection.remove.has(id)) selection.remove.delete(id); else selection.remove.add(id);
        } else if (props.free) {
          if (selection.add.has(id)) selection.add.delete(id); else selection.add.add(id);
        } else {
          show(t("That block belongs to %(turf)s.", { turf: props.turf }));
          return;
        }
      } else if (props.free) {
        if (!selection) startNew([], 0);
        if (selection.add.has(id)) selection.add.delete(id); else selection.add.add(id);
        if (!selection.add.size) selection = null;
      } else {
        show(t('That block belongs to %(turf)s. Use "Add or remove blocks" in the list to edit that turf.', { turf: props.turf }));
        return;
      }
      render();
    });
  }

  document.querySelectorAll("button.edit-blocks").forEach((button) => {
    button.addEventListener("click", () => {
      selection = { turfId: Number(button.dataset.turfId), turfName: button.dataset.turfName,
                    add: new Set(), remove: new Set() };
      show(t("Editing %(turf)s: click its blocks to remove them, or free blocks to add them.", { turf: button.dataset.turfName }));
      render();
      const bounds = button.dataset.bounds ? JSON.parse(button.dataset.bounds) : null;
      if (bounds) map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]], { maxZoom: 17 });
      panel.scrollIntoView({ behavior: "smooth", block: "nearest" });
    });
  });

  document.getElementById("selection-cancel").addEventListener("click", () => {
    selection = null;
    show(t("Cancelled. Draw a shape or click free blocks to start again."));
    render();
  });

  saveButton.addEventListener("click", async () => {
    saveButton.disabled = true;
    show(t("Saving…"));
    try {
      if (selection.turfId) {
        const url = panel.dataset.blocksUrl.replace("/0/", `/${selection.turfId}/`);
        await post(url, { add: [...selection.add], remove: [...selection.remove] });
      } else {
        await post(panel.dataset.createUrl, { blocks: [...selection.add], name: nameInput.value.trim() });
      }
      show(t("Saved. Reloading the map…"));
      window.location.reload();
    } catch (error) {
      show(t("Not saved: %(error)s", { error: error.message }));
      saveButton.disabled = false;
    }
  });

  // Labels on turfs once zoomed in far enough to read them. Leaflet puts a string in as HTML, and a turf's
  // name is whatever an organizer typed: the label is a node whose text is set, never markup.
  function textNode(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function labelTurfs() {
    const readable = map.getZoom() >= 15;
    turfs.eachLayer((layer) => {
      if (readable && !layer.fieldopsLabel) {
        layer.fieldopsLabel = L.tooltip({ permanent: true, direction: "center", className: "turf-label" })
          .setContent(textNode(layer.feature.properties.label)).setLatLng(layer.getBounds().getCenter());
        map.addLayer(layer.fieldopsLabel);
      } else if (!readable && layer.fieldopsLabel) {
        map.removeLayer(layer.fieldopsLabel);
        layer.fieldopsLabel = null;
      }
    });
  }
  const latlngs = window.fieldopsViewport.shape;  // static/js/viewport-loader.js, loaded first

  function draw(answer) {
    turfs.eachLayer((layer) => { if (layer.fieldopsLabel) map.removeLayer(layer.fieldopsLabel); });
    blocks.clearLayers();
    turfs.clearLayers();
    blockLayers.clear();
    for (const block of answer.blocks) {
      const layer = L.polygon(latlngs(block.shape), baseStyle(block));
      layer.feature = { type: "Feature", properties: block };
      layer.bindTooltip(textNode(t("Block %(block)s · %(doors)s doors · turf: %(turf)s",
                                   { block: block.source_id, doors: block.doors, turf: block.turf })));
      clickable(layer);
      blockLayers.set(block.id, layer);
      blockDoors.set(block.id, block.doors);
      layer.addTo(blocks);
    }
    for (const cell of answer.cells) {
      L.rectangle([[cell.bounds[0], cell.bounds[1]], [cell.bounds[2], cell.bounds[3]]],
                  { fillColor: cell.fill, fillOpacity: 0.7, color: cell.free ? registry.freeEdge || "#ea580c" : "#9ca3af",
                    weight: cell.free ? 1 : 0.3 })
        .bindTooltip(textNode(t("%(blocks)s blocks, %(doors)s doors, %(free)s in no turf",
                                { blocks: cell.blocks, doors: cell.doors, free: cell.free })))
        .addTo(blocks);
    }
    for (const turf of answer.turfs) {
      const layer = L.polygon(latlngs(turf.shape), { fill: false, weight: 3, color: turf.colour });
      layer.feature = { type: "Feature", properties: turf };
      layer.bindTooltip(textNode(turf.label));
      layer.addTo(turfs);
    }
    turfs.bringToFront();
    registry.mode = answer.mode;
    labelTurfs();
    render();
    registry.loaded += 1;
  }

  map.on("zoomend", labelTurfs);
  window.fieldopsViewport.follow(map, registry.dataUrl, draw,
                                 (n) => t("%(n)s blocks in view, grouped: zoom in to pick blocks.", { n }));
  render();
})();
