// The volunteer's phone page: the turf's doors in walking order, the household's story, and the contact form.
// Works offline: the walk list comes from the network or the service worker's cache, and contacts go to the
// outbox (outbox.js) before anything else. Text from the server is always set with textContent, never as HTML.
(function () {
  const app = document.getElementById("canvass-app");
  if (!app) return;
  const outbox = window.FieldopsOutbox;
  const $ = (id) => document.getElementById(id);
  const walking = app.dataset.walking === "yes";
  let walk = null;          // the walk list from the server (or the cache)
  let current = null;       // the door open in the door view
  const localKnocks = new Map();  // door id -> [{id, outcome, at}]: knocks made on this phone, in this canvass
  let markers = new Map();
  let map = null;

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function outcomeLabel(code) {
    const input = document.querySelector(`input[name=outcome][value="${code}"]`);
    return input ? input.parentElement.textContent.trim() : code.replace(/_/g, " ");
  }

  // The door's knocks in this canvass (the server's and this phone's, once each), and where that
  // leaves it: the rule of fieldops/domain/reknock.py. Not home and Come back later doors come back
  // after the canvass's hours, up to its number of attempts; any other outcome finishes the door.
  function knocksInThisCanvass(door) {
    const canvassId = walk.canvass ? walk.canvass.id : null;
    const since = walk.turf.knocks_since ? Date.parse(walk.turf.knocks_since) : 0;
    const knocks = new Map();
    door.history.filter((h) => h.canvass_id === canvassId && Date.parse(h.recorded_at) >= since)
      .forEach((h) => knocks.set(h.id, { outcome: h.outcome, at: Date.parse(h.recorded_at) }));
    (localKnocks.get(door.id) || []).forEach((k) => knocks.set(k.id, k));
    return [...knocks.values()];
  }

  function doneInThisCanvass(door) {
    const knocks = knocksInThisCanvass(door);
    if (!knocks.length || !walk.canvass) return null;
    const last = knocks.reduce((a, b) => (a.at >= b.at ? a : b));
    const label = outcomeLabel(last.outcome);
    const retry = last.outcome === "not_home" || last.outcome === "come_back";
    if (!retry || knocks.length >= walk.canvass.max_attempts) return label;
    const back = last.at + walk.canvass.reknock_hours * 3600 * 1000;
    if (Date.now() >= back) return null;  // back on the list
    const time = new Date(back).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return `${label} · back after ${time} (knock ${knocks.length} of ${walk.canvass.max_attempts})`;
  }

  function nextDoor() {
    return walk.doors.find((door) => !doneInThisCanvass(door)) || null;
  }

  // ---- the list view -------------------------------------------------------------------------------
  function renderList() {
    const list = $("door-list");
    list.replaceChildren();
    let done = 0;
    let building = null;
    walk.doors.forEach((door, index) => {
      const status = doneInThisCanvass(door);
      if (status) done += 1;
      if (door.building && door.building.key !== building) {
        // A building shows once, its units under it; its note says how to get in.
        const header = element("li", null, "building-head");
        header.append(element("strong", `${door.building.label} · ${door.building.units} units`));
        if (door.building.note) header.append(element("span", door.building.note, "building-note"));
        list.append(header);
      }
      building = door.building ? door.building.key : null;
      const item = element("li", null, door.building ? "unit" : null);
      const button = element("button", null, "door-button" + (status ? " done" : ""));
      button.type = "button";
      button.append(element("span", `${index + 1}. ${door.address}`, "door-address"));
      if (door.people.length) button.append(element("span", door.people.map((p) => p.name).join(", "), "door-people"));
      if (status) button.append(element("span", status, "door-status"));
      else if (door.history.length) button.append(element("span", `Last: ${door.history[0].outcome_label}, ${door.history[0].recorded_at.slice(0, 10)}`, "door-people"));
      const open = door.promises.filter((p) => !p.kept_on).length;
      if (open) button.append(element("span", `${open} promise${open === 1 ? "" : "s"} open`, "door-promise"));
      button.addEventListener("click", () => openDoor(door));
      item.append(button);
      list.append(item);
    });
    $("progress").textContent = `${done} of ${walk.doors.length} doors done · ${Math.round(walk.turf.route_metres)} m walk`;
    const next = nextDoor();
    $("next-door").hidden = !next;
    if (next) {
      $("next-open").replaceChildren(element("span", next.address, "door-address"),
        element("span", next.people.map((p) => p.name).join(", ") || "No names on file", "door-people"));
      $("next-open").onclick = () => openDoor(next);
    }
    renderMap(next);
    renderScript(next);
  }

  // The script with the volunteer's name and the street of the next door filled in.
  function scriptFor(door) {
    const script = $("script-text");
    if (!script) return "";
    return script.dataset.script.replace(/\{name\}/g, app.dataset.volunteer)
      .replace(/\{street\}/g, door && door.street ? door.street : "your street");
  }

  function renderScript(door) {
    if ($("script-text")) $("script-text").textContent = scriptFor(door);
  }

  function renderMap(next) {
    if (!window.L || !walk.doors.length) return;
    if (!map) {
      map = L.map("mini-map", { zoomControl: false, attributionControl: true });
      L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        { maxZoom: 19, attribution: "© OpenStreetMap contributors" }).addTo(map);
      map.fitBounds(L.latLngBounds(walk.doors.map((d) => [d.lat, d.lon])), { padding: [12, 12] });
    }
    markers.forEach((marker) => marker.remove());
    markers = new Map();
    // One marker per building (with its number of units left to knock), one per house.
    const places = new Map();
    walk.doors.forEach((door) => {
      const key = door.building ? door.building.key : `door ${door.id}`;
      if (!places.has(key)) places.set(key, []);
      places.get(key).push(door);
    });
    places.forEach((doors) => {
      const first = doors[0];
      const isNext = next && doors.some((door) => door.id === next.id);
      const open = doors.filter((door) => !doneInThisCanvass(door));
      const marker = L.circleMarker([first.lat, first.lon], {
        radius: isNext ? 9 : (doors.length > 1 ? 7 : 5), weight: isNext ? 3 : 1,
        color: isNext ? "#1d4ed8" : "#14532d",
        fillColor: open.length ? (isNext ? "#60a5fa" : "#22c55e") : "#9ca3af", fillOpacity: 0.9,
      }).addTo(map);
      if (doors.length > 1) {
        marker.bindTooltip(`${first.building.label}: ${open.length} of ${doors.length} units to knock`);
      }
      marker.on("click", () => openDoor(isNext ? next : (open[0] || first)));
      doors.forEach((door) => markers.set(door.id, marker));
    });
  }

  // ---- the door view: the household's story and the form -----------------------------------------
  function openDoor(door) {
    current = door;
    $("list-view").hidden = true;
    $("door-view").hidden = false;
    $("door-address").textContent = door.address;
    $("door-building").hidden = !(door.building && door.building.note);
    $("door-building").textContent = door.building && door.building.note ? `Building: ${door.building.note}` : "";
    if ($("door-script-text")) $("door-script-text").textContent = scriptFor(door);
    const people = $("door-people");
    people.replaceChildren(...(door.people.length ? door.people.map((p) => element("li", p.age ? `${p.name} (${p.age})` : p.name))
      : [element("li", "No names on file for this door.", "muted")]));
    const promises = $("door-promises");
    promises.replaceChildren(...(door.promises.length ? door.promises.map((p) => element("li",
      `${p.label}${p.person ? " for " + p.person : ""}, promised ${p.made_on}: ` +
      (p.kept_on ? `kept ${p.kept_on}${p.result ? " (" + p.result + ")" : ""}` : `open, due ${p.due_date}`),
      p.kept_on ? "kept" : "door-promise"))
      : [element("li", "None.", "muted")]));
    const history = $("door-history");
    history.replaceChildren(...(door.history.length ? door.history.map(historyItem)
      : [element("li", "We have not knocked here before.", "muted")]));
    $("door-timeline").href = app.dataset.householdUrl.replace(/\/0$/, "/" + door.id);
    if (walking) resetForm(door);
    window.scrollTo(0, 0);
  }

  function historyItem(entry) {
    const item = element("li");
    const who = entry.person ? ` with ${entry.person}` : "";
    item.append(element("strong", `${entry.recorded_at.slice(0, 10)} · ${entry.outcome_label}${who}`));
    item.append(element("span", ` · ${entry.by || "someone"} · ${entry.canvass}`, "muted"));
    const answers = Object.entries(entry.answers || {});
    if (answers.length) {
      item.append(element("div", answers.map(([key, value]) => `${questionLabel(key)}: ${formatAnswer(value)}`).join(" · "), "answers"));
    }
    if (entry.note) item.append(element("div", `“${entry.note}”`, "note"));
    return item;
  }

  function questions() {
    return walk.canvass ? walk.canvass.questions : [];
  }

  function questionLabel(key) {
    const question = questions().find((q) => q.key === key);
    return question ? question.label : key;
  }

  function formatAnswer(value) {
    if (value === true) return "yes";
    if (value === false) return "no";
    return String(value);
  }

  function resetForm(door) {
    const form = $("contact-form");
    form.reset();
    $("share-location").checked = localStorage.getItem("fieldops-share-location") === "yes";
    $("form-error").hidden = true;
    $("survey").hidden = true;
    const holder = $("survey-people");
    holder.replaceChildren();
    const people = door.people.length ? door.people : [{ id: null, name: "The household" }];
    people.forEach((person, index) => holder.append(personSurvey(person, index, door.people.length > 0)));
  }

  function personSurvey(person, index, named) {
    const box = element("fieldset", null, "person-survey");
    box.dataset.personId = person.id === null ? "" : String(person.id);
    box.append(element("legend", person.name));
    if (named) {
      const spoke = element("label", null, "check");
      const tick = document.createElement("input");
      tick.type = "checkbox";
      tick.className = "spoke-with";
      tick.checked = index === 0;
      spoke.append(tick, document.createTextNode(" Spoke with them"));
      box.append(spoke);
    }
    // Hidden questions are no longer asked; their earlier answers still show by their labels.
    questions().filter((question) => !question.hidden).forEach((question) => box.append(questionField(question, index)));
    return box;
  }

  function questionField(question, index) {
    const name = `q-${index}-${question.key}`;
    const wrap = element("div", null, "question");
    wrap.dataset.key = question.key;
    wrap.dataset.kind = question.kind;
    wrap.append(element("p", question.label, "question-label"));
    const choices = question.kind === "scale" ? Array.from({ length: question.max - question.min + 1 }, (_, i) => String(question.min + i))
      : question.kind === "yes_no" ? ["Yes", "No"] : question.kind === "choice" ? question.choices : null;
    if (choices) {
      const row = element("div", null, question.kind === "choice" ? "choices" : "scale");
      choices.forEach((choice) => {
        const label = element("label", null, "pill");
        const input = document.createElement("input");
        input.type = "radio";
        input.name = name;
        input.value = choice;
        label.append(input, element("span", choice));
        row.append(label);
      });
      wrap.append(row);
    } else {
      const input = document.createElement("input");
      input.type = "text";
      input.name = name;
      input.maxLength = 1000;
      input.setAttribute("aria-label", question.label);
      wrap.append(input);
    }
    return wrap;
  }

  function answersOf(box) {
    const answers = {};
    box.querySelectorAll(".question").forEach((wrap) => {
      const key = wrap.dataset.key;
      const kind = wrap.dataset.kind;
      const picked = wrap.querySelector("input[type=radio]:checked");
      const text = wrap.querySelector("input[type=text]");
      if (kind === "scale" && picked) answers[key] = Number(picked.value);
      else if (kind === "yes_no" && picked) answers[key] = picked.value === "Yes";
      else if (kind === "choice" && picked) answers[key] = picked.value;
      else if (kind === "text" && text && text.value.trim()) answers[key] = text.value.trim();
    });
    return answers;
  }

  function position() {
    if (!$("share-location").checked || !navigator.geolocation) return Promise.resolve(null);
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy_m: p.coords.accuracy }),
        () => resolve(null), { enableHighAccuracy: true, timeout: 5000, maximumAge: 60000 });
    });
  }

  async function save(event) {
    event.preventDefault();
    const form = $("contact-form");
    const outcome = form.querySelector("input[name=outcome]:checked");
    if (!outcome) {
      $("form-error").textContent = "Tap what happened at the door first.";
      $("form-error").hidden = false;
      return;
    }
    if (!walk.canvass) {
      $("form-error").textContent = "This turf has no canvass yet: ask your organizer.";
      $("form-error").hidden = false;
      return;
    }
    $("save-contact").disabled = true;
    localStorage.setItem("fieldops-share-location", $("share-location").checked ? "yes" : "no");
    const where = await position();
    const base = {
      door_id: current.id, canvass_id: walk.canvass.id, outcome: outcome.value,
      recorded_at: new Date().toISOString(), note: $("contact-note").value.trim(),
      follow_ups: [...form.querySelectorAll("input[name=follow_ups]:checked")].map((i) => i.value),
      do_not_contact: $("do-not-contact").checked,
      lat: where ? where.lat : null, lon: where ? where.lon : null, accuracy_m: where ? where.accuracy_m : null,
      address: current.address,
    };
    const contacts = [];
    if (outcome.value === "talked") {
      // One contact per person spoken with, so each person's answers stay theirs; the note and promises
      // go with the first.
      [...$("survey-people").querySelectorAll(".person-survey")].forEach((box) => {
        const tick = box.querySelector(".spoke-with");
        if (tick && !tick.checked) return;
        contacts.push({ ...base, id: outbox.uuid(), person_id: box.dataset.personId ? Number(box.dataset.personId) : null,
                        answers: answersOf(box) });
      });
    }
    if (!contacts.length) contacts.push({ ...base, id: outbox.uuid(), person_id: null, answers: {} });
    contacts.slice(1).forEach((c) => { c.note = ""; c.follow_ups = []; });
    try {
      await outbox.add(contacts);
    } catch (error) {
      $("form-error").textContent = `Could not keep the contact on this phone: ${error.message}`;
      $("form-error").hidden = false;
      $("save-contact").disabled = false;
      return;
    }
    localKnocks.set(current.id, [...(localKnocks.get(current.id) || []),
                                 { id: contacts[0].id, outcome: outcome.value, at: Date.parse(base.recorded_at) }]);
    rememberLocal();
    $("save-contact").disabled = false;
    const next = nextDoor();
    if (next) openDoor(next); else showList();
  }

  function showList() {
    $("door-view").hidden = true;
    $("list-view").hidden = false;
    renderList();
    if (map) setTimeout(() => map.invalidateSize(), 0);
  }

  // Knocks made on this phone count until the server's walk list knows them (by contact id, once).
  function rememberLocal() {
    localStorage.setItem(`fieldops-knocks-${app.dataset.turfId}`, JSON.stringify([...localKnocks]));
  }

  function restoreLocal(pending) {
    try {
      JSON.parse(localStorage.getItem(`fieldops-knocks-${app.dataset.turfId}`) || "[]")
        .forEach(([id, knocks]) => localKnocks.set(id, knocks));
    } catch (error) { /* a damaged note of progress only costs the marks */ }
    pending.forEach((contact) => {
      const knocks = localKnocks.get(contact.door_id) || [];
      if (!knocks.some((k) => k.id === contact.id)) {
        knocks.push({ id: contact.id, outcome: contact.outcome, at: Date.parse(contact.recorded_at) });
      }
      localKnocks.set(contact.door_id, knocks);
    });
  }

  function showSync(state, pending, rejected) {
    const bar = $("sync-bar");
    const count = $("sync-count");
    const waiting = state.pending;
    let text = waiting ? `${waiting} contact${waiting === 1 ? "" : "s"} waiting to sync` : "All contacts synced";
    if (state.status === "offline" || !navigator.onLine) text += waiting ? " · offline, will send when back online" : " · offline";
    else if (state.status === "retrying" && waiting) text += " · will retry shortly";
    else if (state.status === "signed-out") text += ` · ${state.message}`;
    count.textContent = text;
    bar.className = "sync-bar" + (waiting ? " waiting" : " synced");
    $("rejected-box").hidden = !rejected.length;
    $("rejected-list").replaceChildren(...rejected.map((c) => element("li", `${c.address || "door " + c.door_id}: ${c.error}`)));
  }

  async function load() {
    let response;
    try {
      response = await fetch(app.dataset.walklistUrl, { credentials: "same-origin" });
    } catch (error) {
      $("progress").textContent = "Offline, and this walk list was not saved on this phone yet.";
      return;
    }
    if (!response.ok) {
      $("progress").textContent = response.status === 503 ? "Offline, and this walk list was not saved on this phone yet."
        : `Could not load the walk list (${response.status}).`;
      return;
    }
    walk = await response.json();
    showList();
  }

  async function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register(app.dataset.swUrl, { scope: "/" });
      await navigator.serviceWorker.ready;
      // Keep this page and its walk list for offline use even though they loaded before the worker.
      const cache = await caches.open((await caches.keys()).find((n) => n.startsWith("fieldops-")) || "fieldops-page");
      await cache.addAll([location.pathname, app.dataset.walklistUrl]);
      document.documentElement.dataset.offlineReady = "yes";
    } catch (error) {
      document.documentElement.dataset.offlineReady = "no";
    }
  }

  $("back-to-list").addEventListener("click", showList);
  $("sync-now").addEventListener("click", () => outbox.syncNow());
  if (walking) {
    $("contact-form").addEventListener("submit", save);
    $("contact-form").addEventListener("change", (event) => {
      if (event.target.name === "outcome") $("survey").hidden = event.target.value !== "talked";
    });
  }
  outbox.onChange(showSync);
  outbox.pending().then(restoreLocal).then(load).then(() => {
    outbox.start({ url: app.dataset.contactsUrl, csrf: app.dataset.csrf });
    registerWorker();
  });
})();
