"""Who may see and change what: the rules, as pure functions.

The services feed these with plain ids (the actor's role, office and region;
the target's office and region) so that the rules are tested without a
database, and every page and API route asks the same questions.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .roles import Role


@dataclass(frozen=True)
class Actor:
    """The signed-in user, reduced to what access rules need."""
    user_id: int
    role: Role
    office_id: int | None = None
    region_id: int | None = None  # for an organizer or volunteer: their office's region
    leads: frozenset[int] = frozenset()  # for a team leader: the teams they lead
    team_id: int | None = None  # the team they are on, if any


@dataclass(frozen=True)
class Place:
    """An office (office_id set) or a whole region (office_id None)."""
    region_id: int
    office_id: int | None = None
    team_id: int | None = None  # a turf's, door's or shift's neighborhood team, or the team itself


def _leads(actor: Actor, place: Place) -> bool:
    """A team leader of this place's team, in their own office."""
    return (actor.role is Role.TEAM_LEADER and place.team_id is not None and place.team_id in actor.leads
            and actor.office_id == place.office_id)


def can_view(actor: Actor, place: Place) -> bool:
    """May the actor see this office's or region's territory and figures?

    Volunteers see their office's name and their own turfs only; the doors of
    a turf are decided by :func:`can_view_turf`.
    """
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.LEAD:
        return actor.region_id == place.region_id
    if actor.role is Role.ORGANIZER:
        return place.office_id is not None and actor.office_id == place.office_id
    return False


def can_manage(actor: Actor, place: Place) -> bool:
    """May the actor change this office's territory, turfs, canvasses and people?"""
    return can_view(actor, place)


def can_shape_territory(actor: Actor, place: Place) -> bool:
    """May the actor add offices to this region (``place.office_id`` None) or rename this office and move
    its address? Admins anywhere, leads in their own region; organizers work in their office, they do not
    redraw the map of offices."""
    if actor.role is Role.ADMIN:
        return True
    return actor.role is Role.LEAD and actor.region_id == place.region_id


def can_shape_regions(actor: Actor) -> bool:
    """May the actor create and rename regions? Admins only: a region is whom a lead answers for."""
    return actor.role is Role.ADMIN


def assignment_in_force(canvass_end: date | None, office_today: date) -> bool:
    """Is a turf handed out for a canvass still in the volunteer's hands? Until an organizer takes it back
    or the canvass ends: through its last day on the office's clock (``office_today`` is today there), then
    no more. Its walk list, households and printed list close with it; contacts recorded before the end
    still sync (``services/sync.py`` counts a contact by the day it was recorded, not the day it arrives)."""
    return canvass_end is None or office_today <= canvass_end


def can_view_turf(actor: Actor, place: Place, assigned_to_actor: bool) -> bool:
    """May the actor see this turf and its doors? Volunteers only when it is handed to them; team leaders
    also when it is one of their team's turfs (``place.team_id``)."""
    if actor.role is Role.VOLUNTEER:
        return assigned_to_actor and actor.office_id == place.office_id
    if actor.role is Role.TEAM_LEADER:
        return (assigned_to_actor and actor.office_id == place.office_id) or _leads(actor, place)
    return can_view(actor, place)


def can_hand_out(actor: Actor, place: Place) -> bool:
    """May the actor hand this turf out and take it back? Who manages its office, and the leaders of the
    team that owns it (to the team's own members)."""
    return can_manage(actor, place) or _leads(actor, place)


def can_work_team(actor: Actor, place: Place) -> bool:
    """May the actor work this team (``place.team_id``): see its coverage, pacing, follow-ups and volunteers,
    hand out its turfs, check in its shifts, keep one-on-one notes? Its office's managers and its leaders."""
    return can_manage(actor, place) or _leads(actor, place)


def can_view_team(actor: Actor, place: Place) -> bool:
    """May the actor see the team's name, members and turfs? Who works it, and its own members."""
    return can_work_team(actor, place) or (place.team_id is not None and actor.team_id == place.team_id
                                           and actor.office_id == place.office_id)


def can_shape_teams(actor: Actor, place: Place) -> bool:
    """May the actor make teams in this office, give them turfs, members and leaders? Its organizers (and
    whoever manages the office); a team leader works their team but does not redraw it."""
    return can_manage(actor, place)


def can_manage_users(actor: Actor, place: Place, target_role: Role) -> bool:
    """May the actor create or change a user of ``target_role`` attached to ``place``?"""
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.LEAD:
        return target_role in {Role.ORGANIZER, Role.TEAM_LEADER, Role.VOLUNTEER} and can_view(actor, place)
    if actor.role is Role.ORGANIZER:
        return target_role in {Role.VOLUNTEER, Role.TEAM_LEADER} and can_view(actor, place)
    return False
