// People at the door, on the phone: add a resident, correct a misspelt name, mark someone as not living here,
// and say which language a household speaks at a Language barrier. Offline like every contact: the changes are
// staged for the door open now and ride with the visit's first contact in the same outbox (outbox.js), as its
// "people_added" (each with a UUID made here, so a repeated sync adds nobody twice) and "people_changed". The
// server checks them with the contact (fieldops/domain/people.py) and answers for each in the contact's result.
// Until then the walk list shown here carries them (overlay), also after a reload without a connection.
// Also: the language a door's script and questions are shown in (the canvass's "translations" data).
// Every text the volunteer reads is in TEXT, for the translation catalogs; server text is set as textContent.
(function () {
  const TEXT = {
    heading: t("People here"),
    add: t("Add a resident"),
    correct: t("Correct the name"),
    gone: t("Not living here"),
    undo: t("Undo"),
    firstName: t("First name"),
    lastName: t("Last name"),
    phone: t("Phone (optional)"),
    email: t("E-mail (optional)"),
    birthYear: t("Year of birth (optional)"),
    language: t("Preferred language (optional)"),
    noLanguage: t("Not said"),
    consentPhone: t("Agrees to be contacted by phone"),
    consentEmail: t("Agrees to be contacted by e-mail"),
    saveAdd: t("Add"),
    saveCorrect: t("Keep the correction"),
    cancel: t("Cancel"),
    staged: t("Saved with this visit:"),
    addedLine: (name) => t("New resident: %(name)s", { name: name }),
    correctedLine: (was, now) => t("Name: %(was)s → %(now)s", { was: was, now: now }),
    goneLine: (name) => t("%(name)s: not living here", { name: name }),
    needName: t("Give a first or a last name."),
    needPhone: t("Consent to phone calls needs a phone number."),
    needEmail: t("Consent to e-mails needs an e-mail address."),
    pending: t("not synced yet"),
    whichLanguage: t("Which language do they speak?"),
    showIn: (name) => t("Shown in %(language)s", { language: name }),
    switchTo: (name) => t("Switch to %(language)s", { language: name }),
    speaks: (names) => t("Speaks %(languages)s", { languages: names }),
    resident: t("Resident"),
  };
  const $ = (id) => document.getElementById(id);
  let staged = { added: [], changed: new Map() };  // for the door open now
  let door = null;
  let walk = null;
  let onChange = () => {};

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function fullName(first, last) {
    return [first, last].filter(Boolean).join(" ") || TEXT.resident;
  }

  // The statuses the buttons send, from the walk list (fieldops/domain/people.py PHONE_STATUSES).
  function status(list, name) {
    return ((list || walk || {}).person_statuses || {})[name];
  }

  function languageName(code) {
    return (walk && walk.language_names && walk.language_names[code]) || code;
  }

  // ---- what the outbox still holds, applied to a walk list (cached or fresh) -----------------------------
  function applyChange(target, change) {
    const person = target.people.find((p) => p.id === change.person_id);
    if (!person) return;
    if (change.status && change.status !== status(walk, "lives_here")) {
      target.people = target.people.filter((p) => p !== person);
      return;
    }
    if (change.first_name !== undefined) person.first_name = change.first_name;
    if (change.last_name !== undefined) person.last_name = change.last_name;
    person.name = fullName(person.first_name, person.last_name);
  }

  function applyAdded(target, added) {
    if (target.people.some((p) => p.id === added.id)) return;
    target.people.push({ id: added.id, name: fullName(added.first_name, added.last_name), first_name: added.first_name,
                         last_name: added.last_name, language: added.language, added: true, pending: true });
    if (added.language && !(target.languages || []).includes(added.language)) {
      target.languages = [...(target.languages || []), added.language];
    }
  }

  function overlay(list, pending) {
    walk = list;
    const byId = new Map(list.doors.map((d) => [d.id, d]));
    pending.forEach((contact) => {
      const target = byId.get(contact.door_id);
      if (!target) return;
      (contact.people_added || []).forEach((added) => applyAdded(target, added));
      (contact.people_changed || []).forEach((change) => applyChange(target, change));
    });
    return list;
  }

  // ---- the door's panel ----------------------------------------------------------------------------
  function open(list, current, changed) {
    walk = list;
    door = current;
    onChange = changed || onChange;
    staged = { added: [], changed: new Map() };
    render();
  }

  function render() {
    const box = $("door-people-edit");
    if (!box || !door) return;
    box.replaceChildren(element("h3", TEXT.heading));
    const list = element("ul", null, "plain people-edit");
    door.people.forEach((person) => {
      const item = element("li", null, "person-line");
      const change = staged.changed.get(person.id);
      const shown = change && (change.first_name !== undefined || change.last_name !== undefined)
        ? fullName(change.first_name ?? person.first_name, change.last_name ?? person.last_name) : person.name;
      item.append(element("span", shown + (person.language ? ` · ${languageName(person.language)}` : "") +
        (person.pending ? ` (${TEXT.pending})` : ""), change && change.status === status(walk, "not_living_here") ? "struck" : null));
      if (typeof person.id === "number") {
        const row = element("span", null, "person-actions");
        row.append(button(TEXT.correct, () => correctForm(item, person), "link correct-name"));
        if (change && change.status === status(walk, "not_living_here")) row.append(button(TEXT.undo, () => { unstage(person.id, "status"); }, "link"));
        else row.append(button(TEXT.gone, () => stage(person.id, { status: status(walk, "not_living_here") }), "link not-living-here"));
        item.append(row);
      }
      list.append(item);
    });
    staged.added.forEach((added) => list.append(element("li", TEXT.addedLine(fullName(added.first_name, added.last_name)), "person-line added")));
    box.append(list);
    box.append(button(TEXT.add, () => addForm(box), "add-resident"));
    renderStaged();
  }

  function button(text, action, className) {
    const node = element("button", text, className);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  function input(labelText, type, name, extra) {
    const id = `person-${name}`;
    const label = element("label", labelText);
    label.htmlFor = id;
    const field = document.createElement(type === "select" ? "select" : "input");
    if (type !== "select") field.type = type;
    field.id = id;
    field.name = name;
    Object.assign(field, extra || {});
    return [label, field];
  }

  function check(labelText, name) {
    const label = element("label", null, "check");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = `person-${name}`;
    label.append(box, document.createTextNode(" " + labelText));
    return label;
  }

  function languageSelect(name, labelText) {
    const [label, select] = input(labelText, "select", name);
    select.append(new Option(TEXT.noLanguage, ""));
    Object.entries((walk && walk.language_names) || {}).forEach(([code, title]) => select.append(new Option(title, code)));
    return [label, select];
  }

  // The panel sits inside the contact form: Enter in one of its fields must not save the visit.
  function keepEnter(form) {
    form.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  }

  function addForm(box) {
    if ($("person-form")) return;
    const form = element("div", null, "person-form card");
    form.id = "person-form";
    keepEnter(form);
    form.append(...input(TEXT.firstName, "text", "first_name", { maxLength: 80, autocomplete: "off" }),
      ...input(TEXT.lastName, "text", "last_name", { maxLength: 80, autocomplete: "off" }),
      ...input(TEXT.phone, "tel", "phone", { maxLength: 40 }),
      ...input(TEXT.email, "email", "email", { maxLength: 254 }),
      ...input(TEXT.birthYear, "number", "birth_year", { min: 1900, max: new Date().getFullYear() }),
      ...languageSelect("language", TEXT.language),
      check(TEXT.consentPhone, "consent_phone"), check(TEXT.consentEmail, "consent_email"));
    const error = element("p", null, "flash flash-error");
    error.hidden = true;
    error.id = "person-error";
    const row = element("div", null, "button-row");
    row.append(button(TEXT.saveAdd, () => {
      const value = (name) => $(`person-${name}`).value.trim();
      const added = {
        id: window.FieldopsOutbox.uuid(), first_name: value("first_name") || null, last_name: value("last_name") || null,
        phone: value("phone") || null, email: value("email") || null,
        birth_year: value("birth_year") ? Number(value("birth_year")) : null, language: value("language") || null,
        consent_phone: $("person-consent_phone").checked, consent_email: $("person-consent_email").checked,
      };
      const problem = !added.first_name && !added.last_name ? TEXT.needName
        : added.consent_phone && !added.phone ? TEXT.needPhone : added.consent_email && !added.email ? TEXT.needEmail : null;
      if (problem) { error.textContent = problem; error.hidden = false; return; }
      staged.added.push(added);
      render();
      onChange();
    }, "primary save-resident"), button(TEXT.cancel, () => form.remove()));
    form.append(error, row);
    box.append(form);
    $("person-first_name").focus();
  }

  function correctForm(item, person) {
    if (item.querySelector(".person-form")) return;
    const form = element("div", null, "person-form card");
    keepEnter(form);
    const [firstLabel, first] = input(TEXT.firstName, "text", `first_name-${person.id}`, { maxLength: 80, value: person.first_name || "" });
    const [lastLabel, last] = input(TEXT.lastName, "text", `last_name-${person.id}`, { maxLength: 80, value: person.last_name || "" });
    const row = element("div", null, "button-row");
    row.append(button(TEXT.saveCorrect, () => {
      const change = {};
      if (first.value.trim() !== (person.first_name || "")) change.first_name = first.value.trim() || null;
      if (last.value.trim() !== (person.last_name || "")) change.last_name = last.value.trim() || null;
      if (Object.keys(change).length) stage(person.id, change); else render();
    }, "primary keep-correction"), button(TEXT.cancel, () => form.remove()));
    form.append(firstLabel, first, lastLabel, last, row);
    item.append(form);
    first.focus();
  }

  function stage(personId, fields) {
    staged.changed.set(personId, { ...(staged.changed.get(personId) || { person_id: personId }), ...fields });
    render();
    onChange();
  }

  function unstage(personId, field) {
    const change = staged.changed.get(personId);
    if (!change) return;
    delete change[field];
    if (Object.keys(change).length === 1) staged.changed.delete(personId);
    render();
    onChange();
  }

  function renderStaged() {
    const box = $("door-people-staged");
    if (!box) return;
    const lines = [
      ...staged.added.map((a) => TEXT.addedLine(fullName(a.first_name, a.last_name))),
      ...[...staged.changed.values()].map((change) => {
        const person = door.people.find((p) => p.id === change.person_id);
        const name = person ? person.name : String(change.person_id);
        if (change.status === status(walk, "not_living_here")) return TEXT.goneLine(name);
        return TEXT.correctedLine(name, fullName(change.first_name ?? person.first_name, change.last_name ?? person.last_name));
      }),
    ];
    box.hidden = !lines.length;
    box.replaceChildren(element("strong", TEXT.staged), ...lines.map((line) => element("div", line)));
  }

  // The residents added at this door now, for the survey's "who answered" (named by their UUID).
  function stagedPeople() {
    return staged.added.map((added) => ({ id: added.id, name: fullName(added.first_name, added.last_name) }));
  }

  // What the visit's first contact carries; the walk list shown here takes the changes at once.
  function collect() {
    return { people_added: staged.added.slice(), people_changed: [...staged.changed.values()] };
  }

  function saved(contact) {
    if (!door) return;
    (contact.people_added || []).forEach((added) => applyAdded(door, added));
    (contact.people_changed || []).forEach((change) => applyChange(door, change));
    staged = { added: [], changed: new Map() };
  }

  // ---- a Language barrier: which language, when the door has none on file ------------------------------
  function barrierLanguage(fact) {
    const box = $("barrier-language");
    if (!box) return;
    const asks = Boolean(fact && fact.asks_language) && !(door && (door.languages || []).length);
    box.hidden = !asks;
    const select = $("barrier-language-select");
    if (asks && select.options.length <= 1) {
      Object.entries((walk && walk.language_names) || {}).forEach(([code, title]) => select.append(new Option(title, code)));
    }
    if (!asks) select.value = "";
  }

  function barrierChoice() {
    const box = $("barrier-language");
    return box && !box.hidden && $("barrier-language-select").value ? $("barrier-language-select").value : null;
  }

  // ---- the language of the script and questions -------------------------------------------------------
  function available(list) {
    return ["en", ...Object.keys((list.canvass && list.canvass.translations) || {})];
  }

  // The household's language when the volunteer speaks it, else the volunteer's, else English.
  function pick(list, current) {
    const offered = available(list);
    const mine = list.volunteer_languages || [];
    const theirs = [...(current.languages || []), ...current.people.map((p) => p.language).filter(Boolean)];
    return theirs.find((code) => mine.includes(code) && offered.includes(code))
      || mine.find((code) => offered.includes(code)) || "en";
  }

  function part(list, code) {
    return (list.canvass && list.canvass.translations && list.canvass.translations[code]) || null;
  }

  function label(list, code, question) {
    const text = part(list, code) && part(list, code).questions && part(list, code).questions[question.key];
    return (text && text.label) || question.label;
  }

  function choiceLabels(list, code, question) {
    const text = part(list, code) && part(list, code).questions && part(list, code).questions[question.key];
    return (text && text.choices) || question.choices;
  }

  function script(list, code) {
    return (part(list, code) && part(list, code).script) || null;
  }

  function switcher(list, code, choose) {
    walk = list;
    const node = $("survey-language");
    if (!node) return;
    const offered = available(list);
    node.hidden = offered.length < 2;
    if (node.hidden) return;
    const next = offered[(offered.indexOf(code) + 1) % offered.length];
    $("survey-language-now").textContent = TEXT.showIn(languageName(code));
    node.textContent = TEXT.switchTo(languageName(next));
    node.onclick = () => choose(next);
  }

  // The door's languages, for its line on the list and its first screen; null when none is known.
  function languageLine(list, current) {
    const codes = current.languages || [];
    if (!codes.length) return null;
    const names = (list.language_names) || {};
    return TEXT.speaks(codes.map((code) => names[code] || code).join(", "));
  }

  window.FieldopsPeople = {
    TEXT, overlay, languageLine, staged: stagedPeople, open, collect, saved, barrierLanguage, barrierChoice,
    languages: { available, pick, label, choiceLabels, script, switcher },
  };
})();
