// The volunteer's phone page: the turf's doors in walking order, the household's story, and the contact form.
// Works offline: the walk list comes from the network or the service worker's cache, and contacts go to the
// signed-in volunteer's outbox (outbox.js) before anything else. Where each door stands comes from the walk
// list's data, applied by knocks.js to this phone's own knocks: no outcome or re-knock rule is written here.
// Text from the server is always set with textContent (on the map too), never as HTML.
(function () {
  const app = document.getElementById("canvass-app");
  if (!app) return;
  const outbox = window.FieldopsOutbox;
  const knocks = window.FieldopsKnocks;
  const atDoor = window.FieldopsPeople;         // people at the door, and the script's languages
  const conditions = window.FieldopsConditions;  // branching: which questions are shown
  const $ = (id) => document.getElementById(id);
  const walking = app.dataset.walking === "yes";
  const owner = outbox.owner();
  const turfId = app.dataset.turfId;
  let walk = null;          // the walk list from the server (or the cache)
  let current = null;       // the door open in the door view
  let localKnocks = new Map();  // door id -> [{ids, outcome, at}]: knocks made on this phone, in this canvass
  let markers = new Map();
  let map = null;
  let here = null;          // where the volunteer stood when they last tapped for it: {lat, lon, accuracy}
  let hereMarker = null;
  let surveyLanguage = "en";  // the language the open door's script and questions are shown in

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function outcomeFact(code) {
    return knocks.fact(walk, code);
  }

  function stateOf(door) {
    return knocks.doorState(walk, door, localKnocks.get(door.id), Date.now());
  }

  function statusOf(door) {
    return knocks.statusText(walk, stateOf(door));
  }

  function nextDoor() {
    return walk.doors.find((door) => stateOf(door).state === "todo") || null;
  }

  // ---- where I am, and the nearest door to it ---------------------------------------------------------
  // The position is asked for only when the volunteer taps "Show where I am" or "Next nearest door", and
  // stays on this page (it is not sent anywhere). It needs no network: the walk list is already here.
  // A day as the page's language writes it (fieldops/web/local_time.py does the same on the pages):
  // English keeps the ISO form; "2026-11-20" is "20.11.2026" in Finnish. A plain date has no clock to move.
  function day(text) {
    if (!text) return "";
    const language = document.documentElement.lang || "en";
    if (language === "en") return String(text).slice(0, 10);
    const plain = String(text).length === 10;
    const moment = new Date(plain ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(moment.getTime())) return String(text).slice(0, 10);
    return moment.toLocaleDateString(language, plain ? { timeZone: "UTC" } : {});
  }

  // A yes/no question's buttons: the values sent stay "Yes" and "No", the words shown are the page's.
  const YES_NO = { Yes: t("Yes"), No: t("No") };
  const WHERE_REFUSED = t("Location is not allowed for this page, so the phone cannot show where you are. Allow location for this site in the browser's settings, or keep to the planned order.");
  const WHERE_UNAVAILABLE = t("This phone cannot tell where it is just now (no GPS fix). Try again outside, or keep to the planned order.");

  function whereNote(text) {
    $("where-note").textContent = text || "";
    $("where-note").hidden = !text;
  }

  function locate() {
    if (!navigator.geolocation) {
      whereNote(t("This browser cannot tell where you are: keep to the planned order."));
      return Promise.resolve(null);
    }
    whereNote(t("Finding where you are…"));
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition((p) => {
        here = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy };
        whereNote("");
        drawHere();
        resolve(here);
      }, (error) => {
        whereNote(error && error.code === 1 ? WHERE_REFUSED : WHERE_UNAVAILABLE);
        resolve(null);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 15000 });
    });
  }

  function drawHere() {
    if (!map || !here) return;
    if (hereMarker) hereMarker.remove();
    hereMarker = L.layerGroup([
      L.circle([here.lat, here.lon], { radius: Math.min(here.accuracy || 0, 200), weight: 0, fillColor: "#2563eb", fillOpacity: 0.15 }),
      L.circleMarker([here.lat, here.lon], { radius: 7, weight: 3, color: "#fff", fillColor: "#2563eb", fillOpacity: 1 })
        .bindTooltip(element("span", t("You are here"))),
    ]).addTo(map);
    if (!map.getBounds().contains([here.lat, here.lon])) {
      map.fitBounds(L.latLngBounds(walk.doors.map((d) => [d.lat, d.lon])).extend([here.lat, here.lon]), { padding: [12, 12] });
    }
  }

  // Metres in a straight line (the turf is a few streets: a flat projection is exact enough).
  function metresBetween(a, b) {
    const k = Math.cos(((a.lat + b.lat) / 2) * Math.PI / 180);
    const dx = (a.lon - b.lon) * k, dy = a.lat - b.lat;
    return Math.sqrt(dx * dx + dy * dy) * 111195;
  }

  // Crossing a busy street costs what the walk order charges for it (the walk list says how much, and
  // which stretch of such a street and which side each door is on): the volunteer stands on the side of
  // the door nearest to them, whatever its state.
  function crossing(standing, door) {
    const cost = walk.walking ? walk.walking.busy_crossing_m : 0;
    if (!cost || !standing || !standing.crossing || !door.crossing) return 0;
    return standing.crossing[0] === door.crossing[0] && standing.crossing[1] !== door.crossing[1] ? cost : 0;
  }

  // The nearest door still to knock now (the same "to do" as the planned next door: the server's facts,
  // applied by knocks.js), by straight-line metres plus any busy street to cross; the walking order
  // breaks a tie, so a building's units come in order.
  function nearestDoor(from) {
    const placed = walk.doors.filter((door) => door.lat != null && door.lon != null);
    let standing = null, standingMetres = Infinity;
    placed.forEach((door) => {
      const metres = metresBetween(from, door);
      if (metres < standingMetres) { standing = door; standingMetres = metres; }
    });
    let best = null, bestCost = Infinity, bestMetres = 0;
    placed.forEach((door) => {
      if (stateOf(door).state !== "todo") return;
      const metres = metresBetween(from, door);
      const cost = metres + crossing(standing, door);
      if (cost < bestCost - 0.5) { best = door; bestCost = cost; bestMetres = metres; }
    });
    return best ? { door: best, metres: bestMetres, crosses: crossing(standing, best) > 0 } : null;
  }

  async function openNearest() {
    const from = await locate();
    if (!from) return;
    const nearest = nearestDoor(from);
    if (!nearest) { whereNote(t("No door is left to knock now.")); return; }
    openDoor(nearest.door, (nearest.crosses ? t("The nearest door to you still to knock: about %(m)s m away, across the street.", { m: Math.round(nearest.metres) })
      : t("The nearest door to you still to knock: about %(m)s m away.", { m: Math.round(nearest.metres) })));
  }

  function names(door) {
    return door.people.map((p) => (p.age ? `${p.name} (${p.age})` : p.name)).join(", ");
  }

  // The progress line, wherever the volunteer is: recounted after every save, and every minute (doors
  // come back when their hours are up).
  function renderProgress() {
    if (!walk) return;
    const counts = knocks.progress(walk, localKnocks, Date.now());
    const walkLength = t("%(m)s m walk", { m: Math.round(walk.turf.route_metres) });  // outside the template: pybabel reads it there
    $("progress").textContent = `${knocks.progressText(counts)} · ${walkLength}`;
    $("door-progress").textContent = t("%(done)s of %(doors)s done", { done: counts.done, doors: counts.doors });
  }

  // ---- the list view -------------------------------------------------------------------------------
  function renderList() {
    const list = $("door-list");
    list.replaceChildren();
    let building = null;
    walk.doors.forEach((door, index) => {
      const status = statusOf(door);
      if (door.building && door.building.key !== building) {
        // A building shows once, its units under it; its note says how to get in.
        const header = element("li", null, "building-head");
        const units = t("%(n)s units", { n: door.building.units });
        header.append(element("strong", `${door.building.label} · ${units}`));
        if (door.building.note) header.append(element("span", door.building.note, "building-note"));
        list.append(header);
      }
      building = door.building ? door.building.key : null;
      const item = element("li", null, door.building ? "unit" : null);
      const button = element("button", null, "door-button" + (status ? " done" : ""));
      button.type = "button";
      button.append(element("span", `${index + 1}. ${door.label}`, "door-address"));
      if (door.people.length) button.append(element("span", door.people.map((p) => p.name).join(", "), "door-people"));
      const spoken = atDoor.languageLine(walk, door);  // "Speaks Spanish" (people-at-door.js)
      if (spoken) button.append(element("span", spoken, "door-languages"));
      if (status) button.append(element("span", status, "door-status"));
      else if (door.history.length) button.append(element("span", t("Last: %(outcome)s, %(date)s", { outcome: door.history[0].outcome_label, date: day(door.history[0].recorded_at) }), "door-people"));
      const open = door.promises.filter((p) => !p.kept_on).length;
      if (open) button.append(element("span", (open === 1 ? t("1 promise open") : t("%(n)s promises open", { n: open })), "door-promise"));
      button.addEventListener("click", () => openDoor(door));
      item.append(button);
      list.append(item);
    });
    renderProgress();
    const next = nextDoor();
    $("next-door").hidden = !next;
    if (next) {
      $("next-open").replaceChildren(element("span", next.label, "door-address"),
        element("span", next.people.map((p) => p.name).join(", ") || t("No names on file"), "door-people"));
      $("next-open").onclick = () => openDoor(next);
    }
    renderMap(next);
    drawHere();
    renderScript(next);
  }

  // The script with the volunteer's name and the street of the next door filled in.
  function scriptFor(door, language) {
    const script = $("script-text");
    if (!script) return "";
    const text = (walk && language && atDoor.languages.script(walk, language)) || script.dataset.script;
    return text.replace(/\{name\}/g, app.dataset.volunteer)
      .replace(/\{street\}/g, door && door.street ? door.street : t("your street"));
  }

  function renderScript(door) {
    if ($("script-text")) $("script-text").textContent = scriptFor(door);
  }

  function renderMap(next) {
    if (!window.L || !walk.doors.length) return;
    if (!map) {
      map = L.map("mini-map", { zoomControl: false, attributionControl: true });
      L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        { maxZoom: 19, attribution: t("© OpenStreetMap contributors") }).addTo(map);
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
      const open = doors.filter((door) => stateOf(door).state !== "done");
      const marker = L.circleMarker([first.lat, first.lon], {
        radius: isNext ? 9 : (doors.length > 1 ? 7 : 5), weight: isNext ? 3 : 1,
        color: isNext ? "#1d4ed8" : "#14532d",
        fillColor: open.length ? (isNext ? "#60a5fa" : "#22c55e") : "#9ca3af", fillOpacity: 0.9,
      }).addTo(map);
      // Leaflet puts a string tooltip in as HTML: street names come from imported files, so the
      // tooltip is a node whose text is set, never markup.
      const tip = doors.length > 1 ? t("%(building)s: %(open)s of %(units)s units to knock", { building: first.building.label, open: open.length, units: doors.length })
        : first.label;
      marker.bindTooltip(element("span", tip));
      marker.on("click", () => openDoor(isNext ? next : (open[0] || first)));
      doors.forEach((door) => markers.set(door.id, marker));
    });
  }

  // ---- the door view: what to know before knocking, the form, then the whole story ---------------
  function openDoor(door, nearby) {
    current = door;
    $("door-nearby").textContent = nearby || "";
    $("door-nearby").hidden = !nearby;
    $("list-view").hidden = true;
    $("door-view").hidden = false;
    $("door-address").textContent = door.label;
    $("door-building").hidden = !(door.building && door.building.note);
    $("door-building").textContent = door.building && door.building.note ? t("Building: %(note)s", { note: door.building.note }) : "";
    $("door-who").textContent = door.people.length ? names(door) : t("No names on file for this door.");
    if (atDoor.languageLine(walk, door)) $("door-who").textContent += ` · ${atDoor.languageLine(walk, door)}`;
    const open = door.promises.filter((p) => !p.kept_on);
    $("door-open-promises").replaceChildren(...open.map((p) => element("li",
      (p.person ? t("Promised: %(promise)s for %(person)s, due %(date)s", { promise: p.label, person: p.person, date: day(p.due_date) })
        : t("Promised: %(promise)s, due %(date)s", { promise: p.label, date: day(p.due_date) })))));
    $("door-open-promises").hidden = !open.length;
    surveyLanguage = atDoor.languages.pick(walk, door);
    if ($("door-script-text")) $("door-script-text").textContent = scriptFor(door, surveyLanguage);
    // The story is folded under one line, so the outcome buttons are on the door's first screen.
    const last = door.history[0];
    $("door-story-summary").textContent = door.history.length
      ? t("What we heard before (%(n)s) · %(outcome)s %(date)s", { n: door.history.length, outcome: last.outcome_label, date: day(last.recorded_at) })
      : t("What we heard before: nothing yet");
    $("door-story").open = false;
    const people = $("door-people");
    people.replaceChildren(...(door.people.length ? door.people.map((p) => element("li", p.age ? `${p.name} (${p.age})` : p.name))
      : [element("li", t("No names on file for this door."), "muted")]));
    const promises = $("door-promises");
    promises.replaceChildren(...(door.promises.length ? door.promises.map((p) => element("li",
      (p.person ? t("%(promise)s for %(person)s, promised %(date)s", { promise: p.label, person: p.person, date: day(p.made_on) })
        : t("%(promise)s, promised %(date)s", { promise: p.label, date: day(p.made_on) })) + ": " +
      (p.kept_on ? t("kept %(date)s", { date: day(p.kept_on) }) + (p.result ? " (" + p.result + ")" : "") : t("open, due %(date)s", { date: day(p.due_date) })),
      p.kept_on ? "kept" : "door-promise"))
      : [element("li", t("None."), "muted")]));
    const history = $("door-history");
    history.replaceChildren(...(door.history.length ? door.history.map(historyItem)
      : [element("li", t("We have not knocked here before."), "muted")]));
    $("door-timeline").href = app.dataset.householdUrl.replace(/\/0$/, "/" + door.id);
    if (walking) {
      resetForm(door);
      atDoor.open(walk, door, () => renderSurvey(door));
    }
    renderProgress();
    // The door's first screen starts with the door, just under the sync bar.
    const top = $("door-view").getBoundingClientRect().top + window.scrollY - $("sync-bar").offsetHeight - 8;
    window.scrollTo(0, Math.max(0, top));
  }

  function historyItem(entry) {
    const item = element("li");
    const who = entry.person ? " " + t("with %(person)s", { person: entry.person }) : "";
    item.append(element("strong", `${day(entry.recorded_at)} · ${entry.outcome_label}${who}`));
    item.append(element("span", ` · ${entry.by || t("someone")} · ${entry.canvass}`, "muted"));
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

  // The questions still asked: the server marks those an organizer has hidden.
  function asked() {
    return questions().filter((question) => !question.hidden);
  }

  function questionLabel(key) {
    const question = questions().find((q) => q.key === key);
    return question ? question.label : key;
  }

  function formatAnswer(value) {
    if (value === true) return YES_NO.Yes;
    if (value === false) return YES_NO.No;
    return String(value);
  }

  function perPerson() {
    return Boolean(walk.canvass && walk.canvass.per_person);
  }

  // One survey for the household (who answered, if they said), or, when the organizer asked for
  // per-person answers, one per resident spoken with.
  function resetForm(door) {
    const form = $("contact-form");
    form.reset();
    $("share-location").checked = localStorage.getItem("fieldops-share-location") === "yes";
    $("form-error").hidden = true;
    $("survey").hidden = true;
    renderSurvey(door);
    atDoor.barrierLanguage(null);
    atDoor.languages.switcher(walk, surveyLanguage, (language) => {
      surveyLanguage = language;
      if ($("door-script-text")) $("door-script-text").textContent = scriptFor(door, language);
      const shown = $("survey").hidden;
      const outcome = $("contact-form").querySelector("input[name=outcome]:checked");
      resetForm(door);
      if (outcome) outcome.checked = true;
      $("survey").hidden = shown;
    });
  }

  // The survey's boxes, for the door's residents and those just added at it (people-at-door.js; named by
  // the UUID the phone made until the server has them): rebuilt when someone is added.
  function renderSurvey(door) {
    const holder = $("survey-people");
    holder.replaceChildren();
    const residents = [...door.people, ...atDoor.staged()];
    if (perPerson() && residents.length) {
      residents.forEach((person, index) => holder.append(personSurvey(person, index)));
    } else {
      holder.append(householdSurvey({ ...door, people: residents }));
    }
    holder.querySelectorAll(".person-survey").forEach(applyBranching);
  }

  // Branching (the questions' "show_if" data): a question shows only while the earlier answers match; one
  // hidden again loses its answer, as the server would drop it.
  function applyBranching(box) {
    const given = {};
    asked().forEach((question) => {
      const wrap = box.querySelector(`.question[data-key="${question.key}"]`);
      if (!wrap) return;
      const show = conditions.matches(question.show_if, given);
      wrap.hidden = !show;
      if (!show) {
        wrap.querySelectorAll("input[type=radio]").forEach((input) => { input.checked = false; });
        wrap.querySelectorAll("input[type=text]").forEach((input) => { input.value = ""; });
      } else {
        Object.assign(given, answerOf(wrap));
      }
    });
  }

  function householdSurvey(door) {
    const box = element("fieldset", null, "person-survey household-survey");
    box.append(element("legend", t("The household's answers")));
    if (door.people.length) {
      box.append(element("p", t("Who answered?"), "question-label"));
      const row = element("div", null, "choices answered-by");
      [...door.people, { id: "", name: t("Not said") }].forEach((person) => {
        const label = element("label", null, "pill");
        const input = document.createElement("input");
        input.type = "radio";
        input.name = "answered-by";
        input.value = String(person.id);
        input.checked = person.id === "";
        label.append(input, element("span", person.name));
        row.append(label);
      });
      box.append(row);
    }
    // Hidden questions are no longer asked; their earlier answers still show by their labels.
    asked().forEach((question) => box.append(questionField(question, 0)));
    return box;
  }

  function personSurvey(person, index) {
    const box = element("fieldset", null, "person-survey");
    box.dataset.personId = String(person.id);
    box.append(element("legend", person.name));
    const spoke = element("label", null, "check");
    const tick = document.createElement("input");
    tick.type = "checkbox";
    tick.className = "spoke-with";
    tick.checked = index === 0;
    spoke.append(tick, document.createTextNode(" " + t("Spoke with them")));
    box.append(spoke);
    asked().forEach((question) => box.append(questionField(question, index)));
    return box;
  }

  function questionField(question, index) {
    const name = `q-${index}-${question.key}`;
    const wrap = element("div", null, "question");
    wrap.dataset.key = question.key;
    wrap.dataset.kind = question.kind;
    const label = atDoor.languages.label(walk, surveyLanguage, question);
    wrap.append(element("p", label, "question-label"));
    // A choice shows in the door's language; its value, what is stored, stays the canvass's own choice.
    const shownChoices = question.kind === "choice" ? atDoor.languages.choiceLabels(walk, surveyLanguage, question) : null;
    const choices = question.kind === "scale" ? Array.from({ length: question.max - question.min + 1 }, (_, i) => String(question.min + i))
      : question.kind === "yes_no" ? ["Yes", "No"] : question.kind === "choice" ? question.choices : null;
    if (choices) {
      const row = element("div", null, question.kind === "choice" ? "choices" : "scale");
      choices.forEach((choice, i) => {
        const pill = element("label", null, "pill");
        const input = document.createElement("input");
        input.type = "radio";
        input.name = name;
        input.value = choice;
        pill.append(input, element("span", shownChoices ? shownChoices[i] : (question.kind === "yes_no" ? YES_NO[choice] : choice)));
        row.append(pill);
      });
      wrap.append(row);
    } else {
      const input = document.createElement("input");
      input.type = "text";
      input.name = name;
      input.maxLength = 1000;
      input.setAttribute("aria-label", label);
      wrap.append(input);
    }
    return wrap;
  }

  function answerOf(wrap) {
    const answers = {};
    const key = wrap.dataset.key;
    const kind = wrap.dataset.kind;
    const picked = wrap.querySelector("input[type=radio]:checked");
    const text = wrap.querySelector("input[type=text]");
    if (kind === "scale" && picked) answers[key] = Number(picked.value);
    else if (kind === "yes_no" && picked) answers[key] = picked.value === "Yes";
    else if (kind === "choice" && picked) answers[key] = picked.value;
    else if (kind === "text" && text && text.value.trim()) answers[key] = text.value.trim();
    return answers;
  }

  function answersOf(box) {
    const answers = {};
    box.querySelectorAll(".question").forEach((wrap) => {
      if (!wrap.hidden) Object.assign(answers, answerOf(wrap));  // a question not shown has no answer
    });
    return answers;
  }

  // A canvass whose survey is not optional (its "survey_optional" data): each shown question but free text.
  function unansweredShown(answers) {
    if (!walk.canvass || walk.canvass.survey_optional !== false) return false;
    const shown = conditions.shown(asked(), answers);
    return asked().some((q) => shown.has(q.key) && q.kind !== "text" && !(q.key in answers));
  }

  // The survey's contacts: one for the household, or one per resident spoken with (each with their own
  // answers); none when nobody was ticked.
  function surveyed() {
    const holder = $("survey-people");
    const household = holder.querySelector(".household-survey");
    if (household) {
      const picked = household.querySelector("input[name=answered-by]:checked");
      return [{ person_id: picked && picked.value ? personRef(picked.value) : null, answers: answersOf(household) }];
    }
    return [...holder.querySelectorAll(".person-survey")]
      .filter((box) => box.querySelector(".spoke-with").checked)
      .map((box) => ({ person_id: personRef(box.dataset.personId), answers: answersOf(box) }));
  }

  // A resident's id as the server takes it: a number, or the UUID of someone added at the door.
  function personRef(value) {
    return /^\d+$/.test(value) ? Number(value) : value;
  }

  function position() {
    if (!$("share-location").checked || !navigator.geolocation) return Promise.resolve(null);
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy_m: p.coords.accuracy }),
        () => resolve(null), { enableHighAccuracy: true, timeout: 5000, maximumAge: 60000 });
    });
  }

  function refuse(text) {
    $("form-error").textContent = text;
    $("form-error").hidden = false;
  }

  async function save(event) {
    event.preventDefault();
    const form = $("contact-form");
    const outcome = form.querySelector("input[name=outcome]:checked");
    if (!outcome) return refuse(t("Tap what happened at the door first."));
    if (!walk.canvass) return refuse(t("This turf has no canvass yet: ask your organizer."));
    $("save-contact").disabled = true;
    localStorage.setItem("fieldops-share-location", $("share-location").checked ? "yes" : "no");
    const where = await position();
    const door = current;
    const base = {
      door_id: door.id, canvass_id: walk.canvass.id, outcome: outcome.value,
      recorded_at: new Date().toISOString(), note: $("contact-note").value.trim(),
      follow_ups: [...form.querySelectorAll("input[name=follow_ups]:checked")].map((i) => i.value),
      do_not_contact: $("do-not-contact").checked,
      lat: where ? where.lat : null, lon: where ? where.lon : null, accuracy_m: where ? where.accuracy_m : null,
      address: door.label,
    };
    const fact = outcomeFact(outcome.value);
    if (fact && fact.asks_language && atDoor.barrierChoice()) base.language = atDoor.barrierChoice();
    const contacts = (fact && fact.opens_survey ? surveyed() : [])
      .map((answered) => ({ ...base, id: outbox.uuid(), ...answered }));
    if (contacts.some((c) => unansweredShown(c.answers))) {
      $("save-contact").disabled = false;
      return refuse(t("This canvass's survey is not optional: answer each question shown."));
    }
    if (!contacts.length) contacts.push({ ...base, id: outbox.uuid(), person_id: null, answers: {} });
    // The note and the promises go with the first contact of the visit only; so do the people added or
    // corrected at the door (people-at-door.js).
    contacts.slice(1).forEach((c) => { c.note = ""; c.follow_ups = []; });
    Object.assign(contacts[0], atDoor.collect());
    try {
      await outbox.add(contacts);
    } catch (error) {
      refuse(t("Could not keep the contact on this phone: %(error)s", { error: error.message }));
      $("save-contact").disabled = false;
      return;
    }
    atDoor.saved(contacts[0]);
    localKnocks.set(door.id, [...(localKnocks.get(door.id) || []), knocks.visit(contacts)]);
    knocks.remember(owner, turfId, localKnocks);
    $("save-contact").disabled = false;
    $("saved-note").textContent = t("Saved: %(outcome)s at %(door)s.", { outcome: fact ? fact.label : outcome.value, door: door.label });
    const next = nextDoor();
    if (next) openDoor(next); else showList();
  }

  function showList() {
    $("door-view").hidden = true;
    $("list-view").hidden = false;
    renderList();
    window.scrollTo(0, 0);
    if (map) setTimeout(() => map.invalidateSize(), 0);
  }

  function showSync(state, pending, rejected) {
    const bar = $("sync-bar");
    const count = $("sync-count");
    const waiting = state.pending;
    let text = waiting === 1 ? t("1 contact waiting to sync") : waiting ? t("%(n)s contacts waiting to sync", { n: waiting }) : t("All contacts synced");
    if (state.status === "offline" || !navigator.onLine) text += " · " + (waiting ? t("offline, sent once online") : t("offline"));
    else if (state.status === "retrying" && waiting) text += " · " + t("will retry shortly");
    else if (state.status === "signed-out") text += ` · ${state.message}`;
    count.textContent = text;
    bar.className = "sync-bar" + (waiting ? " waiting" : " synced");
    $("rejected-box").hidden = !rejected.length;
    $("rejected-list").replaceChildren(...rejected.map((c) => element("li", `${c.address || t("door %(id)s", { id: c.door_id })}: ${c.error}`)));
  }

  // A chase canvass's doors that left the list since, and why: the server counts them (walk.dropped, by
  // reason) and names the reason (walk.drop_reasons); the phone only shows it.
  function renderDropped() {
    const note = $("dropped-note");
    if (!note) return;
    const dropped = (walk && walk.dropped) || {};
    const parts = Object.keys(dropped).filter((reason) => dropped[reason] > 0)
      .map((reason) => `${dropped[reason]} ${(walk.drop_reasons || {})[reason] || reason}`);
    note.textContent = parts.join(" · ");
    note.hidden = !parts.length;
  }

  // After a sync (or "Sync now"), fetch the walk list again: a chase list may have lost doors whose people voted.
  let lastStatus = "idle";
  async function refresh() {
    let response;
    try {
      response = await fetch(app.dataset.walklistUrl, { credentials: "same-origin", cache: "no-store" });
    } catch (error) {
      return;  // offline: keep the list this phone has
    }
    if (!response.ok) return;
    walk = await response.json();
    atDoor.overlay(walk, await outbox.pending());
    if (walk.canvass) localKnocks = knocks.prune(walk, localKnocks);
    renderDropped();
    if (!$("list-view").hidden) renderList(); else renderProgress();
  }
  window.FieldopsRefreshWalk = refresh;

  async function load() {
    let response;
    try {
      response = await fetch(app.dataset.walklistUrl, { credentials: "same-origin" });
    } catch (error) {
      $("progress").textContent = t("Offline, and this walk list was not saved on this phone yet.");
      return;
    }
    if (!response.ok) {
      $("progress").textContent = response.status === 503 ? t("Offline, and this walk list was not saved on this phone yet.")
        : t("Could not load the walk list (%(status)s).", { status: response.status });
      return;
    }
    walk = await response.json();
    // What this phone's outbox still holds (people added or corrected) shows on the list at once.
    atDoor.overlay(walk, await outbox.pending());
    if (walk.canvass) {
      localKnocks = knocks.prune(walk, localKnocks);
      knocks.remember(owner, turfId, localKnocks);
    }
    renderDropped();
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
  $("show-me").addEventListener("click", () => { locate(); });
  $("next-nearest").addEventListener("click", openNearest);
  $("sync-now").addEventListener("click", () => { outbox.syncNow().then(() => { if (walk) refresh(); }); });
  if (walking) {
    $("contact-form").addEventListener("submit", save);
    $("contact-form").addEventListener("input", (event) => {
      const box = event.target.closest(".person-survey");
      if (box && event.target.type === "text") applyBranching(box);
    });
    $("contact-form").addEventListener("change", (event) => {
      const box = event.target.closest(".person-survey");
      if (box) applyBranching(box);
      if (event.target.name !== "outcome") return;
      const fact = outcomeFact(event.target.value);
      $("survey").hidden = !(fact && fact.opens_survey);
      atDoor.barrierLanguage(fact);
      $("saved-note").textContent = "";  // read: the next door has begun
    });
  }
  outbox.onChange(showSync);
  outbox.onChange((state) => {  // a sync just ended well: the walk list may have changed on the server
    if (lastStatus === "syncing" && state.status === "idle" && walk) refresh();
    lastStatus = state.status;
  });
  setInterval(() => { if (walk && !$("list-view").hidden) renderList(); else renderProgress(); }, 60000);
  outbox.pending().then((pending) => { localKnocks = knocks.merge(knocks.remembered(owner, turfId), pending); })
    .then(load).then(() => {
      outbox.start({ url: app.dataset.contactsUrl, csrf: app.dataset.csrf });
      registerWorker();
    });
})();
