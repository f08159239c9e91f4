"""SQLAlchemy 2 typed models, and nothing else: every table of the data model."""
from .canvassing import Assignment, Canvass, Contact, FollowUp
from .territory import Block, Door, Office, Person, Region
from .turfs import Turf, TurfEvent
from .users import ApiToken, AuditEvent, Invite, User

__all__ = [
    "ApiToken", "Assignment", "AuditEvent", "Block", "Canvass", "Contact", "Door",
    "FollowUp", "Invite", "Office", "Person", "Region", "Turf", "TurfEvent", "User",
]
