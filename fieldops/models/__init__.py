"""SQLAlchemy 2 typed models, and nothing else: every table of the data model."""
from .canvassing import Assignment, Canvass, Contact, ContactFlag, FollowUp, HouseholdNote, NoteIssue
from .jobs import Job, JobFile
from .mail import MailMessage
from .summaries import DoorCanvass, Household, LatestSupport, Supporter, VolunteerDay
from .targets import Goal, Universe
from .teams import Prospect, Shift, ShiftSignup, ShiftTurf, Team, TeamMember, TeamTurf, VolunteerNote
from .territory import Block, BuildingNote, Door, Office, Person, PersonChange, Region
from .turfs import Turf, TurfDoor, TurfEvent
from .users import ApiToken, AuditEvent, Invite, User

__all__ = [
    "ApiToken", "Assignment", "AuditEvent", "Block", "BuildingNote", "Canvass", "Contact", "ContactFlag",
    "Door", "DoorCanvass", "FollowUp", "Goal", "Household", "HouseholdNote", "Invite", "Job", "JobFile", "LatestSupport",
    "MailMessage", "NoteIssue", "Office", "Person", "PersonChange", "Prospect", "Region", "Shift", "ShiftSignup",
    "ShiftTurf", "Supporter", "Team", "TeamMember", "TeamTurf", "Turf", "TurfDoor", "TurfEvent", "Universe", "User",
    "VolunteerDay", "VolunteerNote",
]
