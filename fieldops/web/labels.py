"""Words the pages show for values stored in English (a turf's state): one translation for every page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain.outcomes import OUTCOMES as OUTCOME_TABLE

TURF_STATES = {"draft": _l("draft"), "open": _l("open"), "checked_out": _l("checked out"),
               "completed": _l("completed"), "archived": _l("archived")}
# The workspace map's outline legend: a turf in each state.
TURF_STATE_LEGEND = {"draft": _l("draft turf"), "open": _l("open turf"), "checked_out": _l("checked out turf"),
                     "completed": _l("completed turf"), "archived": _l("archived turf")}
ROLES = {"admin": _l("admin"), "lead": _l("regional lead"), "organizer": _l("organizer"),
         "team_leader": _l("team leader"), "volunteer": _l("volunteer")}
# The volunteer ladder's stages (domain/volunteers.py keys them).
STAGES = {"prospect": _l("Prospect"), "first_shift": _l("First shift"), "regular": _l("Regular"), "leader": _l("Leader")}
# The outcomes' names, in the page's language: the labels of domain/outcomes.py (marked there for the catalogs),
# which stay English for the API and exports.
OUTCOMES = {outcome.code: _l(outcome.label) for outcome in OUTCOME_TABLE}
