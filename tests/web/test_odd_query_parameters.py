"""Every GET route, as every role, with odd query parameters: a clear 400 naming the parameter, or the
page without the bad value; never a 500 (issue 15, "Unhandled 500s").

Which parameters a route reads is found by asking it: each route is fetched once with an ``args`` that
records the names asked for, then each of those names gets every odd value, alone and repeated.
"""
from __future__ import annotations

from flask import Request, got_request_exception
from werkzeug.datastructures import ImmutableMultiDict

from tests.web.test_every_route import routes, scoped_targets, url_for_rule

ROLES = ["admin@test.example", "lead.north@test.example", "organizer.a@test.example", "volunteer.a1@test.example"]
ODD_VALUES = [
    "²", "9" * 30, "-1", "", "   ", "1e309", "x" * 5000, "%", "\x00", "9999-12-31", "0001-01-01", "2026-02-30",
    "2026-12-03T00:00:00+99:00", "Etc/GMT-14", "+14:00", "../../etc/passwd", "<b>x</b>",
]
ALWAYS = ["canvass_id", "start", "end", "before", "zone", "q", "action", "next", "email", "v", "page", "limit"]


class Recording(ImmutableMultiDict):
    """Query arguments that remember which names the route asked for."""
    asked: set[str] = set()

    def get(self, key, *args, **kwargs):
        Recording.asked.add(key)
        return super().get(key, *args, **kwargs)

    def __getitem__(self, key):
        Recording.asked.add(key)
        return super().__getitem__(key)

    def getlist(self, key, *args, **kwargs):
        Recording.asked.add(key)
        return super().getlist(key, *args, **kwargs)

    def __contains__(self, key):
        Recording.asked.add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = Recording


def asked_by(client, url: str) -> tuple[int, set[str]]:
    """The status of a plain GET of the url, and the query parameters the route asked for."""
    Recording.asked = set()
    response = client.get(url)
    response.close()
    return response.status_code, set(Recording.asked)


def get_urls(app, world):
    targets = scoped_targets(world)
    for rule, method in routes(app):
        if method != "GET" or rule.endpoint == "static" or rule.endpoint == "auth.logout":
            continue
        arguments = dict(targets.get(rule.endpoint, {}))
        for name in rule.arguments - set(arguments):  # a signed link's token, say: a wrong one
            arguments[name] = 1 if type(rule._converters[name]).__name__ == "IntegerConverter" else "x" * 32
        yield url_for_rule(app, rule, arguments)


def test_no_odd_query_parameter_makes_a_500(app, client, auth, world):
    urls = list(get_urls(app, world))
    failures = []
    original, propagate = app.request_class, app.config.get("PROPAGATE_EXCEPTIONS")
    app.request_class = RecordingRequest
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is answered as in production, and counted here
    raised: list[str] = []
    def record(sender, exception, **_):
        raised.append(repr(exception)[:200])
    got_request_exception.connect(record, app)
    try:
        for email in [None, *ROLES]:
            if email:
                auth.login(email)
            for url in urls:
                status, names = asked_by(client, url)
                if status != 200 and names <= {"next"}:
                    continue  # refused before it read anything (the access walk checks who is refused)
                cases = [{name: value} for name in sorted(names) for value in ODD_VALUES]
                cases += [[(name, "1"), (name, "²")] for name in sorted(names)]        # repeated, good first
                cases += [[(name, "²"), (name, "1")] for name in sorted(names)]        # repeated, bad first
                cases.append({name: "9" * 30 for name in ALWAYS})                   # all at once
                for query in cases:
                    try:
                        response = client.get(url, query_string=query)
                        response.get_data()
                        response.close()
                    except Exception as error:  # noqa: BLE001  (raised while streaming the answer)
                        failures.append(f"{email}: GET {url} {str(query)[:120]} -> {error!r:.200}")
                        continue
                    if response.status_code >= 500:
                        failures.append(f"{email}: GET {url} {str(query)[:120]} -> {response.status_code} "
                                        f"{raised[-1] if raised else ''}")
                    elif response.status_code == 400:
                        body = response.get_data(as_text=True)
                        named = [name for name in (dict(query) if isinstance(query, list) else query) if name in body]
                        if not named:
                            failures.append(f"{email}: GET {url} {query!r} -> 400 without naming the parameter")
            if email:
                auth.logout()
    finally:
        app.request_class = original
        app.config["PROPAGATE_EXCEPTIONS"] = propagate
        got_request_exception.disconnect(record, app)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:60])
