"""The OpenAPI 3.1 document for /api/v1: every route is listed here."""
from __future__ import annotations

from ..domain.contacts import MAX_ID
from ..domain.followups import BY_CODE as FOLLOW_UP_BY_CODE
from ..domain.outcomes import OUTCOME_CODES
from ..domain.people import MAX_PEOPLE, STATUSES as PERSON_STATUSES

FOLLOW_UP_CODES = tuple(FOLLOW_UP_BY_CODE)

_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}


def _errors(*codes: int) -> dict:
    text = {400: "Bad input", 401: "Not signed in, or a bearer token that is not valid", 403: "Not yours to see", 404: "No such record",
            409: "Conflict", 413: "Too large"}
    return {str(code): {"description": text[code],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for code in codes}


def _json(schema_ref: str, description: str) -> dict:
    return {"200": {"description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}}


_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_ID_PARAM = {"in": "path", "required": True, "schema": _ID}
# A day of a date range: the years services/inputs.parse_day takes (a year 216 is a typing slip, refused).
_WINDOW_DAY = {"type": "string", "format": "date", "pattern": "^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"}
_WINDOW_PARAMS = [
    {"name": "canvass_id", "in": "query", "required": False, "schema": _ID},
    {"name": "start", "in": "query", "required": False, "schema": _WINDOW_DAY,
     "description": "First day counted, on each office's own clock (its time zone); 1900 to 2999"},
    {"name": "end", "in": "query", "required": False, "schema": _WINDOW_DAY,
     "description": "Last day counted (included), on each office's own clock; 1900 to 2999"},
]
_COUNTS = {"doors": {"type": "integer"}, "attempted": {"type": "integer"}, "reached": {"type": "integer"},
           "coverage": {"type": "number"}, "contact_rate": {"type": "number"}}
_COUNTED = ["doors", "attempted", "reached", "coverage", "contact_rate"]
_NULL_INT, _NULL_NUMBER = {"type": ["integer", "null"], "minimum": 0}, {"type": ["number", "null"], "minimum": 0}
_NULL_DATE = {"type": ["string", "null"], "format": "date"}
# An office's goal for the window's canvass (without one: its goal set last) and its pacing, on its own clock;
# null where no goal is set. pace_needed, pace_7d and projected_finish are the doors'; "pacing" has both.
_GOAL = {
    "goal_doors": {**_NULL_INT, "description": "Doors to knock by goal_date"},
    "goal_conversations": {**_NULL_INT, "description": "Conversations to have by goal_date"},
    "goal_date": {**_NULL_DATE, "description": "The goal's date, a day on the office's clock"},
    "goal_canvass_id": {**_NULL_INT, "description": "The canvass the goal is for"},
    "pace_needed": {**_NULL_NUMBER, "description": "Doors a day needed from today to goal_date, both included "
                                                   "(0 once reached; null when the date has passed short of it)"},
    "pace_7d": {**_NULL_NUMBER, "description": "Doors a day over the last 7 days (today and the 6 before)"},
    "projected_finish": {**_NULL_DATE, "description": "The day the goal is reached at pace_7d (null: never at "
                                                      "that pace)"},
    "percent_of_goal": {**_NULL_NUMBER, "description": "Doors done / goal_doors (conversations when no doors goal)"},
    "pacing": {"type": ["object", "null"], "description": "today, and for doors and conversations: goal, done, "
               "remaining, percent, days_left, pace_needed, pace_7d, projected_finish, on_track"},
}
_GOAL_KEYS = ["goal_doors", "goal_conversations", "goal_date", "pace_needed", "pace_7d", "projected_finish"]

_VOLUNTEER_FIGURES = {
    "type": ["object", "null"],
    "description": "Volunteers: active this week and last (a knock or a shift attended, Monday to Sunday on the "
                   "office's clock), recruits from the doors who joined, retention (the share of first-shift "
                   "volunteers who came to another shift; null before anyone came)",
    "properties": {**{name: {"type": "integer", "minimum": 0} for name in (
        "active_this_week", "active_last_week", "recruits_this_week", "recruits_last_week", "recruits",
        "first_shift_volunteers", "came_back")},
        "retention": {"type": ["number", "null"], "minimum": 0, "maximum": 1}}}

OPENAPI: dict = {
    "openapi": "3.1.0",
    "info": {"title": "Fieldops API", "version": "1.0.0",
             "description": "Turfs, walk lists, contacts and coverage for door-to-door canvassing."},
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}, {"session": []}],
    "paths": {
        "/api/v1/openapi.json": {"get": {
            "summary": "This document", "security": [],
            "responses": {"200": {"description": "The OpenAPI document",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/api/v1/me/turfs": {"get": {
            "summary": "The turfs handed to me, with progress",
            "responses": {**_json("MyTurfs", "My open assignments"), **_errors(401)}}},
        "/api/v1/turfs/{turf_id}/walklist": {"get": {
            "summary": "A turf's doors in walking order, with people and history",
            "parameters": [{"name": "turf_id", **_ID_PARAM}],
            "responses": {**_json("WalkList", "The walk list"), **_errors(401, 403, 404)}}},
        "/api/v1/offices/{office_id}/coverage": {"get": {
            "summary": "An office's coverage: totals, relationship depth, turfs, volunteers ranked, knocks per day",
            "parameters": [{"name": "office_id", **_ID_PARAM}, *_WINDOW_PARAMS],
            "responses": {**_json("OfficeCoverage", "The office's figures"), **_errors(400, 401, 403, 404)}}},
        "/api/v1/regions/{region_id}/coverage": {"get": {
            "summary": "A region's offices side by side",
            "parameters": [{"name": "region_id", **_ID_PARAM}, *_WINDOW_PARAMS],
            "responses": {**_json("RegionCoverage", "The region's figures"), **_errors(400, 401, 403, 404)}}},
        "/api/v1/offices/{office_id}/live": {"get": {
            "summary": "The live map (election day): today's knocks and conversations by block, on the office's "
                       "clock, and each turf's last knock today; the page polls it every refresh_seconds",
            "parameters": [{"name": "office_id", **_ID_PARAM}],
            "responses": {**_json("LiveMap", "Today's figures by block and turf"), **_errors(401, 403, 404)}}},
        "/api/v1/regions/{region_id}/live": {"get": {
            "summary": "The live map of a region: its offices' blocks and turfs, each office on its own day",
            "parameters": [{"name": "region_id", **_ID_PARAM}],
            "responses": {**_json("LiveMap", "Today's figures by block and turf"), **_errors(401, 403, 404)}}},
        "/api/v1/me/team": {"get": {
            "summary": "My neighborhood team (a volunteer's or a team leader's): name, members, turfs",
            "responses": {**_json("MyTeam", "My team, or null when I am on none"), **_errors(401)}}},
        "/api/v1/offices/{office_id}/shifts": {"get": {
            "summary": "An office's canvass shifts, soonest first, with sign-ups and attendance",
            "parameters": [{"name": "office_id", **_ID_PARAM}],
            "responses": {**_json("OfficeShifts", "The office's shifts"), **_errors(401, 403, 404)}}},
        "/api/v1/contacts": {"post": {
            "summary": "Sync a batch of contacts made on a phone; each is created, a duplicate, or rejected",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/ContactBatch"}}}},
            "responses": {**_json("SyncResults", "One result per contact, in order"), **_errors(400, 401, 409, 413)}}},
    },
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "An API token (`flask create-token EMAIL`). A request with this header is "
                                      "authenticated by the token alone, never by a cookie beside it: an unknown or "
                                      "revoked token, or one of a deactivated user, is a 401."},
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "The web session cookie; a POST with it also needs the page's CSRF token."},
        },
        "schemas": {
            "Error": _ERROR,
            "OfficeCoverage": {"type": "object",
                               "required": ["id", "name", *_COUNTED, "depth", "turfs", "volunteers", "days",
                                            *_GOAL_KEYS],
                               "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, **_COUNTS,
                                              **_GOAL,
                                              "depth": {"$ref": "#/components/schemas/RelationshipDepth"},
                                              "turfs": {"type": "array", "items": {"type": "object"}},
                                              "volunteers": {
                                                  "type": "array", "description": "Ordered by conversations, then "
                                                  "promises kept and the current streak: never by knocks alone",
                                                  "items": {"type": "object", "properties": {
                                                      "knocks": {"type": "integer"},
                                                      "conversations": {"type": "integer"},
                                                      "promises_kept": {"type": "integer"},
                                                      "streak": {"type": "integer", "description":
                                                                 "Days in a row canvassing, to today (office days)"},
                                                      "longest_streak": {"type": "integer"}}}},
                                              "days": {"type": "array", "items": {"type": "object"}}}},
            "RelationshipDepth": {"type": "object", "properties": {
                name: {"type": "integer", "minimum": 0} for name in (
                    "reached_in_two_canvasses", "supporters_not_spoken_30_days", "promises_made", "promises_open",
                    "promises_overdue", "promises_kept_on_time")} | {
                "kept_on_time_rate": {"type": "number", "minimum": 0, "maximum": 1}}},
            "RegionCoverage": {"type": "object", "required": ["offices", *_COUNTED], "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}, **_COUNTS,
                "offices": {"type": "array", "items": {"type": "object",
                                                       "required": ["id", "name", *_COUNTED, *_GOAL_KEYS],
                                                       "properties": {"id": {"type": "integer"},
                                                                      "name": {"type": "string"}, **_COUNTS,
                                                                      "volunteers": _VOLUNTEER_FIGURES, **_GOAL}}},
                "ranking": {"type": "object", "description": "Office ids by percent of goal (highest first) and by "
                            "projected finish (soonest first); offices without a goal are left out",
                            "properties": {"percent": {"type": "array", "items": {"type": "integer"}},
                                           "finish": {"type": "array", "items": {"type": "integer"}}}}}},
            "ContactBatch": {"type": "object", "required": ["contacts"], "properties": {
                "owner": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                          "description": "The id of the user who recorded the batch on the phone; a batch "
                                         "whose owner is not the signed-in user is a 409 and nothing is stored"},
                "contacts": {
                    "type": "array", "maxItems": 500, "items": {
                        "type": "object", "required": ["id", "door_id", "canvass_id", "outcome", "recorded_at"],
                        "properties": {
                            "id": {"type": "string", "format": "uuid"},
                            "door_id": _ID,
                            "canvass_id": _ID,
                            "do_not_contact": {"type": "boolean"},
                            "person_id": {"oneOf": [
                                {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
                                {"type": "string", "format": "uuid",
                                 "description": "A person added at this door (people_added of this contact or "
                                                "of another, in this batch or before), by the phone's UUID"}]},
                            "outcome": {"type": "string", "enum": list(OUTCOME_CODES)},
                            "answers": {"type": "object"},
                            "note": {"type": "string", "maxLength": 2000},
                            "follow_ups": {"type": "array",
                                           "items": {"type": "string", "enum": list(FOLLOW_UP_CODES)}},
                            "recorded_at": {"type": "string", "format": "date-time"},
                            "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
                            "lon": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
                            "accuracy_m": {"type": ["number", "null"], "minimum": 0},
                            "language": {"type": ["string", "null"], "pattern": "^[a-z]{2,3}$",
                                         "description": "The household's language, with an outcome whose "
                                                        "asks_language is true (Language barrier)"},
                            "people_added": {"type": "array", "maxItems": MAX_PEOPLE,
                                             "description": "Residents met at the door, each added once "
                                                            "whatever the repeats (its UUID)",
                                             "items": {"$ref": "#/components/schemas/PersonAdded"}},
                            "people_changed": {"type": "array", "maxItems": MAX_PEOPLE,
                                               "description": "Names corrected, people no longer living here",
                                               "items": {"$ref": "#/components/schemas/PersonChanged"}}}}}}},
            "PersonAdded": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid", "description": "Made on the phone"},
                "first_name": {"type": ["string", "null"], "maxLength": 80},
                "last_name": {"type": ["string", "null"], "maxLength": 80},
                "phone": {"type": ["string", "null"], "maxLength": 40},
                "email": {"type": ["string", "null"], "maxLength": 254},
                "birth_year": {"type": ["integer", "null"], "minimum": 1900},
                "language": {"type": ["string", "null"], "description": "An ISO 639 code: fi, sv, es"},
                "consent_phone": {"type": "boolean", "description": "Agreed at the door (recorded_at is the time)"},
                "consent_email": {"type": "boolean"}}},
            "PersonChanged": {"type": "object", "required": ["person_id"], "additionalProperties": False,
                              "properties": {
                                  "person_id": _ID,
                                  "first_name": {"type": ["string", "null"], "maxLength": 80},
                                  "last_name": {"type": ["string", "null"], "maxLength": 80},
                                  "status": {"type": "string", "enum": list(PERSON_STATUSES),
                                             "description": "moved: not living here"}}},
            "SyncResults": {"type": "object", "required": ["results"], "properties": {"results": {
                "type": "array", "items": {"type": "object", "required": ["id", "status"], "properties": {
                    "id": {"type": ["string", "null"]},
                    "status": {"type": "string", "enum": ["created", "duplicate", "rejected"]},
                    "error": {"type": "string"},
                    "people_added": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "status": {"type": "string", "enum": ["created", "duplicate"]},
                        "person_id": {"type": "integer"}}}},
                    "people_changed": {"type": "array", "items": {"type": "object", "properties": {
                        "person_id": {"type": "integer"},
                        "status": {"type": "string", "enum": ["changed", "unchanged"]}}}}}}}}},
            "MyTurfs": {"type": "object", "required": ["turfs"], "properties": {"turfs": {
                "type": "array", "items": {"type": "object",
                                           "required": ["id", "name", "canvass_id", "doors", "attempted", "state"],
                                           "properties": {
                                               "id": {"type": "integer"}, "name": {"type": "string"},
                                               "canvass_id": {"type": "integer"}, "canvass": {"type": "string"},
                                               "doors": {"type": "integer"}, "attempted": {"type": "integer"},
                                               "state": {"type": "string"},
                                               "progress": {"$ref": "#/components/schemas/Progress"}}}}}},
            "LiveMap": {"type": "object", "required": ["scope", "name", "generated_at", "refresh_seconds", "knocks",
                                                       "conversations", "offices", "blocks", "turfs"],
                        "properties": {
                "scope": {"type": "string", "enum": ["office", "region"]},
                "office_id": {"type": "integer"}, "region_id": {"type": "integer"}, "name": {"type": "string"},
                "generated_at": {"type": "string", "format": "date-time"},
                "refresh_seconds": {"type": "integer", "minimum": 1},
                "knocks": {"type": "integer", "minimum": 0}, "conversations": {"type": "integer", "minimum": 0},
                "offices": {"type": "array", "items": {"type": "object", "required": ["id", "name", "day"], "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"},
                    "day": {"type": "string", "format": "date", "description": "Today on the office's clock"},
                    "time_zone": {"type": ["string", "null"]}, "lat": {"type": ["number", "null"]},
                    "lon": {"type": ["number", "null"]}, "knocks": {"type": "integer"},
                    "conversations": {"type": "integer"}}}},
                "blocks": {"type": "array", "description": "Blocks knocked today (no row: none)", "items": {
                    "type": "object", "required": ["id", "lat", "lon", "knocks", "conversations"], "properties": {
                        "id": {"type": "integer"}, "source_id": {"type": "string"}, "office_id": {"type": "integer"},
                        "lat": {"type": "number"}, "lon": {"type": "number"},
                        "knocks": {"type": "integer", "minimum": 1},
                        "conversations": {"type": "integer", "minimum": 0},
                        "last_knock_at": {"type": "string", "format": "date-time"}}}},
                "turfs": {"type": "array", "description": "Turfs knocked today, the latest first", "items": {
                    "type": "object", "required": ["id", "name", "knocks", "last_knock_at"], "properties": {
                        "id": {"type": "integer"}, "name": {"type": "string"}, "office_id": {"type": "integer"},
                        "knocks": {"type": "integer", "minimum": 1},
                        "last_knock_at": {"type": "string", "format": "date-time"}}}}}},
            "MyTeam": {"type": "object", "required": ["team"], "properties": {"team": {
                "type": ["object", "null"], "required": ["id", "name", "members", "turfs"], "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"}, "office_id": {"type": "integer"},
                    "leader": {"type": "boolean", "description": "Whether I lead it"},
                    "owns_promises": {"type": "boolean",
                                      "description": "Its leaders owe the promises made at its doors"},
                    "members": {"type": "array", "items": {"type": "object", "required": ["id", "name", "leader"],
                                                           "properties": {"id": {"type": "integer"},
                                                                          "name": {"type": "string"},
                                                                          "leader": {"type": "boolean"}}}},
                    "turfs": {"type": "array", "items": {"type": "object", "required": ["id", "name"],
                                                         "properties": {"id": {"type": "integer"},
                                                                        "name": {"type": "string"},
                                                                        "doors": {"type": "integer"},
                                                                        "state": {"type": "string"}}}},
                    "pacing": {"type": ["object", "null"],
                               "description": "For the team's leaders (null for other members): toward the team's own goal (source \"team\") or its share of the "
                                              "office's goal by its share of the doors (source \"share\", share "
                                              "0..1); null without either. doors and conversations: goal, done, "
                                              "remaining, percent, days_left, pace_needed, pace_7d, "
                                              "projected_finish, on_track",
                               "required": ["source", "goal_doors", "goal_conversations", "goal_date", "doors",
                                            "conversations"],
                               "properties": {"source": {"type": "string", "enum": ["team", "share"]},
                                              "share": {"type": ["number", "null"]},
                                              "canvass_id": {"type": "integer"},
                                              "goal_doors": {"type": "integer"},
                                              "goal_conversations": {"type": "integer"},
                                              "goal_date": {"type": "string", "format": "date"},
                                              "doors": {"type": "object"}, "conversations": {"type": "object"}}}}}}},
            "OfficeShifts": {"type": "object", "required": ["shifts"], "properties": {"shifts": {
                "type": "array", "items": {
                    "type": "object",
                    "required": ["id", "canvass_id", "starts_at", "ends_at", "place", "capacity", "signed_up",
                                 "attended", "turf_ids", "sign_up_url"],
                    "properties": {
                        "id": {"type": "integer"}, "canvass_id": {"type": "integer"}, "canvass": {"type": "string"},
                        "team_id": {"type": ["integer", "null"]},
                        "starts_at": {"type": "string", "format": "date-time"},
                        "ends_at": {"type": "string", "format": "date-time"},
                        "place": {"type": "string", "description": "Where volunteers meet"},
                        "lat": {"type": ["number", "null"]}, "lon": {"type": ["number", "null"]},
                        "capacity": {"type": "integer"}, "signed_up": {"type": "integer"},
                        "attended": {"type": "integer"},
                        "turf_ids": {"type": "array", "items": {"type": "integer"}},
                        "sign_up_url": {"type": "string", "description": "The public sign-up page (no account)"}}}}}},
            "Progress": {
                "type": "object", "required": ["doors", "done", "later", "attempted"],
                "description": "How far a walk has got in its canvass, the same on My turfs and the walk list: "
                               "doors on the walk list, done (finished by the re-knock rule), later (back "
                               "after the canvass's hours), attempted (knocked at least once)",
                "properties": {name: {"type": "integer"} for name in ("doors", "done", "later", "attempted")}},
            "WalkList": {"type": "object", "required": ["turf", "doors"], "properties": {
                "turf": {"type": "object", "required": ["id", "name"],
                         "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                        "targeted": {"type": "boolean", "description": "The canvass has a target "
                                                     "universe: only its targeted doors (and those already "
                                                     "knocked in it) are listed, and each person carries "
                                                     "targeted true or false"}}},
                "canvass": {"type": ["object", "null"], "description": "Script, questions (each may carry "
                            "show_if: {key, op, value}, shown only if an earlier answer matches), per_person, "
                            "survey_optional, translations ({code: {script, questions: {key: {label, choices}}}}), "
                            "and the re-knock rule: reknock_hours, max_attempts"},
                "volunteer_languages": {"type": "array", "items": {"type": "string"},
                                        "description": "The signed-in volunteer's languages, in their order"},
                "language_names": {"type": "object", "additionalProperties": {"type": "string"}},
                "outcomes": {"type": "array", "description": "The outcome table the phone applies",
                             "items": {"type": "object", "properties": {
                                 "code": {"type": "string"}, "label": {"type": "string"},
                                 "retry": {"type": "boolean"}, "finishes_door": {"type": "boolean"},
                                 "do_not_contact": {"type": "boolean"}, "opens_survey": {"type": "boolean"},
                                 "reached": {"type": "boolean"}, "asks_language": {"type": "boolean"}}}},
                "progress": {"$ref": "#/components/schemas/Progress"},
                "doors": {"type": "array", "items": {
                    "type": "object", "required": ["id", "address", "lat", "lon", "people", "history"],
                    "properties": {"id": {"type": "integer"}, "address": {"type": "string"},
                                   "label": {"type": "string", "description": "The address, told apart from "
                                             "other doors there: unit, else name, else 'door 2 of 3 at this "
                                             "address'"},
                                   "lat": {"type": "number"}, "lon": {"type": "number"},
                                   "people": {"type": "array", "items": {"type": "object"}, "description":
                                              "Who lives there: id, name, first_name, last_name, age, language, "
                                              "added (at a door); never phone or e-mail"},
                                   "languages": {"type": "array", "items": {"type": "string"}},
                                   "history": {"type": "array", "items": {"type": "object"}},
                                   "knock": {"type": ["object", "null"], "description": "The door's state in "
                                             "the canvass: state (todo, later, done), attempts, max_attempts, "
                                             "back_after, last_outcome, last_at"}}}}}},
        },
    },
}
