"""Neighborhood teams: an office's organizers make them, give them turfs, members and leaders; a team's
leaders hand its turfs to its members and see its coverage and promises (who may: ``services.access``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from ..domain.followups import BY_CODE
from ..domain.roles import Role
from ..domain.time_zones import local_day
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..models import Door, FollowUp, Office, Person, Team, TeamMember, TeamTurf, Turf, User
from . import audit, canvassing, coverage
from .inputs import required_text
from ..domain.text import N_

MAX_NAME = 120


def team_by_name(name: str, office: Office | None = None) -> Team:
    query = select(Team).where(Team.name == (name or "").strip())
    if office is not None:
        query = query.where(Team.office_id == office.id)
    teams = list(db.session.scalars(query.order_by(Team.id)))
    if not teams:
        raise NotFound(N_("no team named %(name)r"), name=name)
    if len(teams) > 1:
        raise InvalidInput(N_("several offices have a team named %(name)r: name the office"), name=name, field="team")
    return teams[0]


def office_teams(office: Office) -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.office_id == office.id).order_by(Team.name)))


def create_team(office: Office, name: str, actor_id: int | None, *, turf_ids: list[int] = (),
                owns_promises: bool = False) -> Team:
    """A new team of the office, owning the chosen turfs (no commit)."""
    name = required_text(name, "name", MAX_NAME, "give the team a name")
    if db.session.scalar(select(Team.id).where(Team.office_id == office.id, Team.name == name)):
        raise Conflict(N_("%(office)s already has a team named %(name)r"), office=office.name, name=name)
    team = Team(office_id=office.id, name=name, owns_promises=bool(owns_promises))
    db.session.add(team)
    db.session.flush()
    set_turfs(team, list(turf_ids), actor_id)
    audit.record(actor_id, "team.create", "team", team.id, office_id=office.id, name=name)
    return team


def parse_turf_ids(text: str | None) -> list[int]:
    """``1,2,3`` from the command line or a form, checked."""
    ids = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise InvalidInput(N_("%(part)r is not a turf id"), part=part, field="turfs")
        ids.append(int(part))
    return ids


def set_turfs(team: Team, turf_ids: list[int], actor_id: int | None) -> None:
    """The team owns exactly these turfs of its office; a turf of another team moves to this one (no commit)."""
    turf_ids = sorted(set(turf_ids))
    found = {t.id: t for t in db.session.scalars(select(Turf).where(Turf.id.in_(turf_ids)))} if turf_ids else {}
    for turf_id in turf_ids:
        turf = found.get(turf_id)
        if turf is None or turf.office_id != team.office_id:
            raise InvalidInput(N_("turf %(turf_id)s is not a turf of this office"), turf_id=turf_id, field="turfs")
    db.session.execute(delete(TeamTurf).where(TeamTurf.team_id == team.id))
    if turf_ids:
        db.session.execute(delete(TeamTurf).where(TeamTurf.turf_id.in_(turf_ids)))
    db.session.flush()
    db.session.add_all(TeamTurf(team_id=team.id, turf_id=turf_id) for turf_id in turf_ids)
    db.session.flush()
    audit.record(actor_id, "team.turfs", "team", team.id, turfs=turf_ids)


def add_member(team: Team, user: User, actor_id: int | None, *, leader: bool = False) -> TeamMember:
    """Put a volunteer (or team leader) of the team's office on the team; a leader takes the ``team_leader``
    role (their tokens are revoked, as on any role change). A person is on one team: this moves them. No commit."""
    if user.office_id != team.office_id or user.role not in (Role.VOLUNTEER.value, Role.TEAM_LEADER.value):
        raise InvalidInput(N_("%(email)s is not a volunteer of this office"), email=user.email, field="member")
    if not user.active:
        raise InvalidInput(N_("%(email)s is no longer active"), email=user.email, field="member")
    membership = db.session.get(TeamMember, user.id)
    if membership is None:
        membership = TeamMember(user_id=user.id, team_id=team.id, leader=leader)
        db.session.add(membership)
    else:
        membership.team_id, membership.leader = team.id, leader
    if leader and user.role != Role.TEAM_LEADER.value:
        _set_role(user, Role.TEAM_LEADER, actor_id)
    elif not leader and user.role == Role.TEAM_LEADER.value:
        _set_role(user, Role.VOLUNTEER, actor_id)
    db.session.flush()
    audit.record(actor_id, "team.member", "team", team.id, user_id=user.id, leader=leader)
    return membership


def remove_member(team: Team, user: User, actor_id: int | None) -> None:
    membership = db.session.get(TeamMember, user.id)
    if membership is None or membership.team_id != team.id:
        raise NotFound(N_("%(email)s is not on %(team)s"), email=user.email, team=team.name)
    db.session.delete(membership)
    if user.role == Role.TEAM_LEADER.value:
        _set_role(user, Role.VOLUNTEER, actor_id)
    db.session.flush()
    audit.record(actor_id, "team.remove_member", "team", team.id, user_id=user.id)


def _set_role(user: User, role: Role, actor_id: int | None) -> None:
    from .users import revoke_tokens
    audit.record(actor_id, "user.role", "user", user.id, email=user.email, before={"role": user.role},
                 after={"role": role.value})
    user.role = role.value
    revoke_tokens(user, actor_id, reason="role changed")


def members(team: Team) -> list[tuple[User, bool]]:
    """The team's people, leaders first, each with whether they lead it."""
    return [(user, leader) for user, leader in db.session.execute(
        select(User, TeamMember.leader).join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.team_id == team.id).order_by(TeamMember.leader.desc(), User.name))]


def leaders(team: Team) -> list[User]:
    return [user for user, leader in members(team) if leader and user.active]


def turf_ids(team: Team) -> list[int]:
    return list(db.session.scalars(select(TeamTurf.turf_id).where(TeamTurf.team_id == team.id)
                                   .order_by(TeamTurf.turf_id)))


def team_turfs(team: Team) -> list[Turf]:
    return list(db.session.scalars(select(Turf).join(TeamTurf, TeamTurf.turf_id == Turf.id)
                                   .where(TeamTurf.team_id == team.id).order_by(Turf.name)))


def team_walkers(team: Team, user_ids: list[int]) -> list[User]:
    """The chosen people, all active members of the team: whom a team leader may hand its turfs to."""
    if not user_ids:
        raise InvalidInput(N_("choose at least one volunteer"), field="volunteers")
    on_team = {user.id: user for user, _ in members(team) if user.active}
    if any(user_id not in on_team for user_id in user_ids):
        raise InvalidInput(N_("a team leader hands the team's turfs to the team's own members"), field="volunteers")
    return [on_team[user_id] for user_id in dict.fromkeys(user_ids)]


def team_overview(team: Team, now: datetime) -> dict:
    """What a team leader works from: members, turfs with who walks them and their coverage, open promises
    at the team's doors (overdue first)."""
    office = db.session.get(Office, team.office_id)
    counts = coverage._turf_counts(office, coverage.window_for(office.region_id))
    turfs = []
    for turf in team_turfs(team):
        holders = canvassing.open_assignments(turf.id)
        c = counts[turf.id]
        turfs.append({"turf": turf, "holders": holders, "doors": c.doors, "attempted": c.attempted,
                      "reached": c.reached, "coverage": round(c.attempted / c.doors, 3) if c.doors else 0.0})
    doors = sum(row["doors"] for row in turfs)
    attempted = sum(row["attempted"] for row in turfs)
    return {"team": team, "office": office, "members": members(team), "turfs": turfs,
            "totals": {"doors": doors, "attempted": attempted, "reached": sum(row["reached"] for row in turfs),
                       "coverage": round(attempted / doors, 3) if doors else 0.0},
            "promises": team_promises(team, now), "canvasses": canvassing.canvasses_for_office(office)}


def team_door_ids(team: Team):
    """A query for the ids of the doors the team's turfs hold (whole blocks and door by door)."""
    from ..models import Block, TurfDoor
    ids = select(TeamTurf.turf_id).where(TeamTurf.team_id == team.id)
    by_block = select(Door.id).join(Block, Block.id == Door.block_id).where(Block.turf_id.in_(ids))
    by_door = select(TurfDoor.door_id).where(TurfDoor.turf_id.in_(ids))
    return by_block.union(by_door)


def team_promises(team: Team, now: datetime) -> list[dict]:
    """The open promises made at the team's doors, overdue first (days on the office's clock)."""
    office = db.session.get(Office, team.office_id)
    today = local_day(now, office.time_zone)
    rows = db.session.execute(
        select(FollowUp, Door, Person, User.name).join(Door, Door.id == FollowUp.door_id)
        .outerjoin(Person, Person.id == FollowUp.person_id).outerjoin(User, User.id == FollowUp.owner_id)
        .where(FollowUp.door_id.in_(team_door_ids(team)), FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_date, FollowUp.id)).all()
    return [{"id": f.id, "label": BY_CODE[f.kind].label if f.kind in BY_CODE else f.kind, "due_date": f.due_date,
             "overdue": f.due_date < today, "address": door.address, "door_id": door.id,
             "person": person.full_name if person else None, "owner": owner, "owner_id": f.owner_id}
            for f, door, person, owner in rows]


def my_team(user: User, *, with_pacing: bool = False) -> dict | None:
    """The user's team as the API gives it: name, members, turfs (None when on no team); ``with_pacing``, and
    for its leaders only (as on the team's page), its pacing toward its goal."""
    membership = db.session.get(TeamMember, user.id)
    if membership is None:
        return None
    team = db.session.get(Team, membership.team_id)
    return {"id": team.id, "name": team.name, "office_id": team.office_id, "leader": membership.leader,
            "owns_promises": team.owns_promises,
            "members": [{"id": u.id, "name": u.name, "leader": leader} for u, leader in members(team) if u.active],
            "turfs": [{"id": t.id, "name": t.name, "doors": t.door_count, "state": t.state} for t in team_turfs(team)],
            "pacing": _pacing_json(team) if with_pacing and membership.leader else None}


def _pacing_json(team: Team) -> dict | None:
    from . import goals  # goals reads the team's doors from here
    pacing = goals.team_pacing(team)
    if pacing is None:
        return None
    return {"source": pacing["source"], "share": pacing["share"], "canvass_id": pacing["canvass"].id,
            "goal_doors": pacing["goal_doors"], "goal_conversations": pacing["goal_conversations"],
            "goal_date": pacing["due_date"].isoformat(), "doors": pacing["doors"].as_dict(),
            "conversations": pacing["conversations"].as_dict()}


def neighborhood_of(user: User) -> int | None:
    """The user's team, else (a recruit not yet on one) the team whose turfs hold the door they were met at:
    where their first shift is suggested."""
    membership = db.session.get(TeamMember, user.id)
    if membership is not None:
        return membership.team_id
    from ..models import Prospect
    from .access import door_team_id
    prospect = db.session.scalar(select(Prospect).where(Prospect.user_id == user.id))
    return door_team_id(db.session.get(Door, prospect.door_id)) if prospect is not None else None


def promise_owners(door_ids: set[int]) -> dict[int, int]:
    """For doors held by a team that owns its doors' promises: the team leader who owes them (door id -> user id)."""
    if not door_ids:
        return {}
    from ..models import Block, TurfDoor
    turf_of = {door_id: turf_id for door_id, turf_id in db.session.execute(
        select(Door.id, Block.turf_id).join(Block, Block.id == Door.block_id)
        .where(Door.id.in_(door_ids), Block.turf_id.is_not(None)))}
    for door_id, turf_id in db.session.execute(select(TurfDoor.door_id, TurfDoor.turf_id)
                                               .where(TurfDoor.door_id.in_(door_ids))):
        turf_of.setdefault(door_id, turf_id)
    if not turf_of:
        return {}
    leader_of = {}
    for turf_id, user_id in db.session.execute(
            select(TeamTurf.turf_id, User.id).join(Team, Team.id == TeamTurf.team_id)
            .join(TeamMember, TeamMember.team_id == Team.id).join(User, User.id == TeamMember.user_id)
            .where(TeamTurf.turf_id.in_(set(turf_of.values())), Team.owns_promises.is_(True), TeamMember.leader.is_(True),
                   User.active.is_(True), User.role == Role.TEAM_LEADER.value)
            .order_by(TeamTurf.turf_id, User.id)):
        leader_of.setdefault(turf_id, user_id)
    return {door_id: leader_of[turf_id] for door_id, turf_id in turf_of.items() if turf_id in leader_of}


def set_owns_promises(team: Team, owns: bool, actor_id: int | None) -> None:
    team.owns_promises = bool(owns)
    audit.record(actor_id, "team.owns_promises", "team", team.id, owns=team.owns_promises)

