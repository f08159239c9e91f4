// Where each door of a walk list stands, and how far the walk has got, on the phone.
// The server decides (fieldops/domain/reknock.py and outcomes.py) and sends, with every walk list, each
// door's knock state, the canvass's re-knock rule (reknock_hours, max_attempts) and the outcome table
// (which outcome retries, finishes the door, opens the survey...). This file only applies that data to
// the knocks this phone made since the walk list was loaded: it names no outcome and sets no number of
// hours or knocks of its own. Used by canvass.js (a turf's page) and my-turfs.js (My turfs).
(function () {
  const MS_PER_HOUR = 3600 * 1000;

  function facts(walk) {
    return new Map((walk.outcomes || []).map((fact) => [fact.code, fact]));
  }

  function fact(walk, code) {
    return facts(walk).get(code) || null;
  }

  // A knock this phone made: one per visit, with the ids of the contacts saved at that visit.
  function visit(contacts) {
    return { ids: contacts.map((c) => c.id), canvass_id: contacts[0].canvass_id, outcome: contacts[0].outcome,
             at: Date.parse(contacts[0].recorded_at) };
  }

  // The knocks (visits) in the outbox, by door: the contacts of one visit share its time.
  function pendingVisits(pending) {
    const byDoor = new Map();
    pending.forEach((contact) => {
      const key = `${contact.door_id} ${contact.recorded_at}`;
      if (!byDoor.has(key)) byDoor.set(key, []);
      byDoor.get(key).push(contact);
    });
    const visits = new Map();
    byDoor.forEach((contacts) => {
      const doorId = contacts[0].door_id;
      visits.set(doorId, [...(visits.get(doorId) || []), visit(contacts)]);
    });
    return visits;
  }

  // This phone's knocks on a turf: those remembered after they synced (the cached walk list may not know
  // them yet) and those still in the outbox, once each. ``remembered`` is [[door id, [visit...]]...].
  function merge(remembered, pending) {
    const knocks = new Map((remembered || []).map(([doorId, visits]) => [Number(doorId), visits]));
    pendingVisits(pending || []).forEach((visits, doorId) => {
      const mine = knocks.get(doorId) || [];
      visits.forEach((v) => {
        if (!mine.some((m) => m.at === v.at)) mine.push(v);
      });
      knocks.set(doorId, mine);
    });
    return knocks;
  }

  // The phone's knocks at a door, in the walk list's canvass, that the walk list does not count yet.
  function unsynced(walk, door, visits) {
    const known = new Set(door.history.map((entry) => entry.id));
    return (visits || []).filter((v) => v.canvass_id === walk.canvass.id && !v.ids.some((id) => known.has(id)));
  }

  // The remembered knocks less those the walk list counts now (a walk list loaded after they synced).
  function prune(walk, knocks) {
    const kept = new Map(knocks);
    walk.doors.forEach((door) => {
      if (kept.has(door.id)) kept.set(door.id, unsynced(walk, door, kept.get(door.id)));
    });
    return kept;
  }

  // The door's state now: the server's, with this phone's later knocks applied by the canvass's rule.
  function doorState(walk, door, visits, now) {
    const server = door.knock;
    if (!server || !walk.canvass) return { state: "todo", attempts: 0, backAfter: null, last: null };
    const mine = unsynced(walk, door, visits).sort((a, b) => a.at - b.at);
    let attempts = server.attempts;
    let last = server.last_outcome ? { outcome: server.last_outcome, at: Date.parse(server.last_at) } : null;
    let backAfter = server.back_after ? Date.parse(server.back_after) : null;
    let finished = server.state === "done";
    if (mine.length) {
      attempts += mine.length;
      const latest = mine[mine.length - 1];
      if (!last || latest.at >= last.at) last = { outcome: latest.outcome, at: latest.at };
      const outcome = fact(walk, last.outcome);
      finished = !outcome || !outcome.retry || attempts >= walk.canvass.max_attempts;
      backAfter = finished ? null : last.at + walk.canvass.reknock_hours * MS_PER_HOUR;
    }
    if (finished) return { state: "done", attempts, backAfter: null, last };
    if (backAfter !== null && now < backAfter) return { state: "later", attempts, backAfter, last };
    return { state: "todo", attempts, backAfter: null, last };
  }

  // The one definition of a walk's progress (domain/reknock.py ``progress``), over the walk list's doors.
  function progress(walk, knocks, now) {
    const counts = { doors: walk.doors.length, done: 0, later: 0, attempted: 0 };
    walk.doors.forEach((door) => {
      const state = doorState(walk, door, knocks.get(door.id), now);
      if (state.state === "done") counts.done += 1;
      if (state.state === "later") counts.later += 1;
      if (state.attempts > 0) counts.attempted += 1;
    });
    return counts;
  }

  // The same words as My turfs' template (templates/my_turfs.html) for the same figures.
  function progressText(counts) {
    const done = t("%(done)s of %(doors)s doors done", { done: counts.done, doors: counts.doors });
    if (!counts.later) return done;
    const later = t("%(later)s to knock again later", { later: counts.later });
    return `${done} · ${later}`;
  }

  // What a door's line says: nothing while it is to do, else its last outcome and, for a door coming
  // back, when and which knock that will be.
  function statusText(walk, state) {
    if (state.state === "todo" || !state.last) return null;
    const outcome = fact(walk, state.last.outcome);
    const label = outcome ? outcome.label : state.last.outcome;
    if (state.state === "done") return label;
    const time = new Date(state.backAfter).toLocaleTimeString(document.documentElement.lang || [],
                                                              { hour: "2-digit", minute: "2-digit" });
    return t("%(outcome)s · back after %(time)s (knock %(attempt)s of %(attempts)s)",
             { outcome: label, time, attempt: state.attempts, attempts: walk.canvass.max_attempts });
  }

  // Remembered knocks live in localStorage per signed-in user and turf; sign-out.js removes every
  // "fieldops-knocks-" key.
  function storageKey(owner, turfId) {
    return `fieldops-knocks-${owner}-${turfId}`;
  }

  function remembered(owner, turfId) {
    try {
      return JSON.parse(localStorage.getItem(storageKey(owner, turfId)) || "[]");
    } catch (error) {
      return [];  // a damaged note of progress only costs the marks
    }
  }

  function remember(owner, turfId, knocks) {
    localStorage.setItem(storageKey(owner, turfId), JSON.stringify([...knocks]));
  }

  window.FieldopsKnocks = {
    fact, visit, merge, prune, doorState, progress, progressText, statusText, remembered, remember,
  };
})();
