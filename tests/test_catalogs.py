"""The catalogs are complete: every string the code, the templates and the scripts translate is in the
Spanish, Finnish and Swedish catalogs with a real translation, and translated templates hold no bare text.

Templates are brought into the catalogs one by one; ``TRANSLATED_TEMPLATES`` lists those done, and the
test fails when one of them gains text outside ``_()``/``{% trans %}``.
"""
from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("es", "fi", "sv")
# Words that are the same in a language as in English (names, codes): no translation needed.
SAME_IN_EVERY_LANGUAGE = {"Fieldops", "OK", "CSV", "API", "E-mail", "UTC", "OSDI", "JSON"}
# Words a language writes as English does ("No" in Spanish, a language's own name).
SAME_IN_LANGUAGE = {"es": {"No", "no"}, "fi": {"Somali", "Tagalog"}, "sv": {"Tagalog", "Team %(name)s"}}
TRANSLATED_TEMPLATES = (
    "base.html", "auth/login.html", "auth/forgot.html", "auth/reset.html", "account/account.html",
    "account/_tokens.html", "admin/audit.html", "admin/office_form.html", "admin/territory.html",
    "dashboards/_filter.html", "error.html", "field/finish_join.html", "field/follow_ups.html", "field/join.html",
    "households/search.html", "jobs/_progress.html", "jobs/list.html", "jobs/status.html", "region.html",
    "regions.html", "relationships/_reach.html", "relationships/committee_codes.html",
    "relationships/follow_ups.html", "relationships/idle_turfs.html", "relationships/neglected.html",
    "relationships/review.html", "turfs/_sheet_legend.html", "turfs/paper.html", "jobs/kinds/import.html",
    "field/phone.html", "my_turfs.html", "shifts/sign_up.html", "teams/team.html",
    # organizers' and team leaders' pages, and the mails (helper L3)
    "turf.html", "turfs/workspace.html", "turfs/print.html", "field/volunteer.html", "field/volunteers.html",
    "relationships/settings.html", "teams/list.html", "teams/none.html", "shifts/list.html",
    "shifts/shift.html", "recruits/list.html", "recruits/qr.html", "volunteers/people.html",
    "volunteers/timeline.html", "people/review.html",
    "mail/join.txt", "mail/join_existing.txt", "mail/password_reset.txt",
    "mail/password_reset_by_organizer.txt", "mail/recruit_invite.txt", "mail/shift_reminder.txt",
    "mail/shift_signed_up.txt",
    # background auto-cuts and exports (issue 21.4)
    "jobs/kinds/cut-turfs.html", "jobs/kinds/export-contacts.html", "dashboards/_export_job.html",
    # the dashboards, canvasses, household timeline, targets and import pages (helper L4)
    "dashboards/live.html", "dashboards/office.html", "dashboards/region.html", "field/canvass_edit.html",
    "field/canvasses.html", "households/timeline.html", "jobs/kinds/default.html", "jobs/kinds/import-voted.html",
    "office.html", "targets/canvass.html", "territory/columns.html", "territory/import.html",
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "--no-location",
                    "-F", "babel.cfg", "-k", "_l", "-k", "t", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return {message.id if isinstance(message.id, str) else message.id[0] for message in read_po(handle) if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(extracted, language):
    with (ROOT / "fieldops" / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    # A plural message counts as translated only with every one of the language's forms filled.
    translated = {(m.id if isinstance(m.id, str) else m.id[0]): (m.string if isinstance(m.string, str) or all(m.string)
                                                                 else "") for m in catalog if m.id}
    missing = sorted(msgid for msgid in extracted if not translated.get(msgid))
    assert missing == [], f"{language}: {len(missing)} strings without a translation, e.g. {missing[:5]}"
    copied = sorted(msgid for msgid in extracted if translated[msgid] == msgid
              and msgid not in SAME_IN_EVERY_LANGUAGE | SAME_IN_LANGUAGE.get(language, set()))
    assert copied == [], f"{language}: strings 'translated' as the English, e.g. {copied[:5]}"
    stale = sorted(msgid for msgid, text in translated.items() if msgid not in extracted and text)
    assert len(stale) <= 20, f"{language}: translations of strings no longer used: update the catalog"


class _BareText(HTMLParser):
    """Text and user-facing attributes left in a template after its Jinja is removed."""
    ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value and re.search(r"[A-Za-z]{2}", value):
                self.found.append(f"{tag}[{name}]={value!r}")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and re.search(r"[A-Za-z]{2}", data):
            self.found.append(data.strip()[:60])


def bare_text(source: str) -> list[str]:
    without_jinja = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    parser = _BareText()
    parser.feed(without_jinja)
    return [text for text in parser.found
            if re.search(r"[A-Za-z]{2}", re.sub("|".join(sorted(SAME_IN_EVERY_LANGUAGE, key=len, reverse=True)), "", text))]


@pytest.mark.parametrize("template", TRANSLATED_TEMPLATES)
def test_translated_templates_hold_no_bare_text(template):
    assert bare_text((ROOT / "templates" / template).read_text(encoding="utf-8")) == []


def test_the_lint_finds_bare_text():
    assert bare_text('<p>{{ _("Saved") }}</p><p title="Open it">Hello there</p>') == ["p[title]='Open it'",
                                                                                    "Hello there"]
