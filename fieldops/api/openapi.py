"""The OpenAPI 3.1 document for /api/v1: every route is listed here."""
from __future__ import annotations

_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}


def _errors(*codes: int) -> dict:
    text = {400: "Bad input", 401: "Not signed in", 403: "Not yours to see", 404: "No such record",
            409: "Conflict", 413: "Too large"}
    return {str(code): {"description": text[code],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for code in codes}


def _json(schema_ref: str, description: str) -> dict:
    return {"200": {"description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}}


_ID_PARAM = {"in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}

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
    },
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
        },
        "schemas": {
            "Error": _ERROR,
            "MyTurfs": {"type": "object", "required": ["turfs"], "properties": {"turfs": {
                "type": "array", "items": {"type": "object",
                                           "required": ["id", "name", "canvass_id", "doors", "attempted", "state"],
                                           "properties": {
                                               "id": {"type": "integer"}, "name": {"type": "string"},
                                               "canvass_id": {"type": "integer"}, "canvass": {"type": "string"},
                                               "doors": {"type": "integer"}, "attempted": {"type": "integer"},
                                               "state": {"type": "string"}}}}}},
            "WalkList": {"type": "object", "required": ["turf", "doors"], "properties": {
                "turf": {"type": "object", "required": ["id", "name"],
                         "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
                "doors": {"type": "array", "items": {
                    "type": "object", "required": ["id", "address", "lat", "lon", "people", "history"],
                    "properties": {"id": {"type": "integer"}, "address": {"type": "string"},
                                   "lat": {"type": "number"}, "lon": {"type": "number"},
                                   "people": {"type": "array", "items": {"type": "object"}},
                                   "history": {"type": "array", "items": {"type": "object"}}}}}}},
        },
    },
}
