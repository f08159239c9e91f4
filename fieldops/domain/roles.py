"""User roles and what each one is attached to."""
from __future__ import annotations

from enum import StrEnum
from .text import N_, Refused


class Role(StrEnum):
    ADMIN = "admin"          # everything, every region
    LEAD = "lead"            # one region: compares its offices
    ORGANIZER = "organizer"  # one field office: territory, turfs, volunteers
    TEAM_LEADER = "team_leader"  # one neighborhood team of an office: its turfs, members, coverage, promises
    VOLUNTEER = "volunteer"  # the doors of the turfs handed to them

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


ROLE_NAMES = tuple(role.value for role in Role)


def parse_role(text: str) -> Role:
    """Return the Role named by ``text`` or raise ValueError naming the choices."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise Refused(N_("unknown role %(text)r: choose one of %(names)s"),
                      text=text, names=', '.join(ROLE_NAMES)) from None


# Who may walk a turf: handed one by an organizer or a team leader.
WALKERS = frozenset({Role.VOLUNTEER, Role.TEAM_LEADER, Role.ORGANIZER})


def home_scope(role: Role) -> str:
    """Which kind of place a user of this role must be attached to: 'office', 'region' or ''."""
    return {Role.ADMIN: "", Role.LEAD: "region", Role.ORGANIZER: "office", Role.TEAM_LEADER: "office",
            Role.VOLUNTEER: "office"}[role]
