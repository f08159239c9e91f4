"""User roles and what each one is attached to."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"          # everything, every region
    LEAD = "lead"            # one region: compares its offices
    ORGANIZER = "organizer"  # one field office: territory, turfs, volunteers
    VOLUNTEER = "volunteer"  # the doors of the turfs handed to them

    @property
    def label(self) -> str:
        return self.value.capitalize()


ROLE_NAMES = tuple(role.value for role in Role)


def parse_role(text: str) -> Role:
    """Return the Role named by ``text`` or raise ValueError naming the choices."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise ValueError(f"unknown role {text!r}: choose one of {', '.join(ROLE_NAMES)}") from None


def home_scope(role: Role) -> str:
    """Which kind of place a user of this role must be attached to: 'office', 'region' or ''."""
    return {Role.ADMIN: "", Role.LEAD: "region", Role.ORGANIZER: "office", Role.VOLUNTEER: "office"}[role]
