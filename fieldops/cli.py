"""``flask`` commands: thin wrappers over services, one line of reason and a non-zero exit on bad input."""
from __future__ import annotations

import functools
import json
import signal
import sys
import time

import click
from flask import Flask, current_app

from . import job_runner, unit_of_work
from .domain.roles import ROLE_NAMES
from .errors import FieldopsError, InvalidInput
from .importers.columns import parse_map_options
from .services.inputs import parse_day
from .services import (audit, canvassing, committee_exports, coverage, demo, exports, goals, imports, jobs, mail, shifts,
                       summaries, teams, turfs, universes, users, volunteers, voted)


def fails_cleanly(command):
    """Run the command as one unit of work (committed when it returns, rolled back when it fails) and
    turn a typed error into ``Error: <reason>`` and exit 1."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return unit_of_work.run(command, *args, **kwargs)
        except FieldopsError as error:
            raise click.ClickException(error.message) from None
    return wrapper


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, help=f"One of: {', '.join(ROLE_NAMES)}.")
@click.option("--office", "office_name", help="The field office of an organizer or volunteer.")
@click.option("--region", "region_name", help="The region of a lead.")
@click.option("--name", help="Display name (default: the part of the e-mail before @).")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
@fails_cleanly
def create_user_command(email, role, office_name, region_name, name, password_stdin):
    """Create a user with a role, attached to an office or a region."""
    password = sys.stdin.readline().rstrip("\r\n")
    user = users.create_user(email, role, password, name=name, office_name=office_name, region_name=region_name)
    click.echo(f"created {user.role} {user.email} (id {user.id})")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="cli", help="What the token is for, shown in the audit log.")
@fails_cleanly
def create_token_command(email, name):
    """Print a new API bearer token for the user (only its hash is stored)."""
    click.echo(users.create_token(email, name=name))


@click.command("revoke-tokens")
@click.argument("email")
@fails_cleanly
def revoke_tokens_command(email):
    """Revoke every API token of the user (a lost phone, a leaked script): they stop working at once."""
    user = users.user_by_email(email)
    count = users.revoke_tokens(user, None, reason="flask revoke-tokens")
    click.echo(f"Revoked {count} token{'s' if count != 1 else ''} of {user.email}.")


def _send_round(limit: int = mail.BATCH) -> mail.SendReport:
    config = current_app.config
    return mail.send_due(config.get("MAIL_URL"), config["MAIL_FROM"], limit=limit)


@click.command("send-mail")
def send_mail_command():
    """Send the mail that is due from the outbox, once (retries wait for their time)."""
    total = mail.SendReport()
    try:
        while True:  # each round its own unit of work: what was sent is recorded before the next round
            report = unit_of_work.run(_send_round)
            total.sent, total.retrying, total.failed = (total.sent + report.sent, total.retrying + report.retrying,
                                                         total.failed + report.failed)
            if report.sent + report.retrying + report.failed < mail.BATCH:
                break
    except FieldopsError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Sent {total.sent}, to retry later {total.retrying}, failed {total.failed}; "
               f"{unit_of_work.run(mail.waiting)} waiting in the outbox.")


def _queue_reminders() -> int:
    from .web.shifts import queue_reminders
    return queue_reminders()


@click.command("send-reminders")
@fails_cleanly
def send_reminders_command():
    """Queue the shift reminders due now (24 hours and 2 hours before), each once; `flask send-mail` sends them."""
    count = _queue_reminders()
    click.echo(f"Queued {count} shift reminder{'s' if count != 1 else ''}.")


@click.command("mail-worker")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait when nothing is due.")
@click.option("--rounds", type=click.IntRange(min=1), hidden=True, help="Stop after this many rounds (tests).")
def mail_worker_command(interval, rounds):
    """Send mail from the outbox as it comes, until stopped (Ctrl-C or SIGTERM finishes the round first)."""
    try:
        mail.SmtpServer.from_url(current_app.config.get("MAIL_URL"))  # a wrong MAIL_URL stops at once, not each round
    except FieldopsError as error:
        raise click.ClickException(error.message) from None
    stopping, done = [], 0
    previous = signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping and (rounds is None or done < rounds):
            unit_of_work.run(_queue_reminders)  # shift reminders due now join the outbox, each once
            report = unit_of_work.run(_send_round)
            done += 1
            if report.sent or report.retrying or report.failed:
                click.echo(f"sent {report.sent}, to retry {report.retrying}, failed {report.failed}")
            if report.sent + report.retrying + report.failed < mail.BATCH and (rounds is None or done < rounds):
                time.sleep(interval)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo("mail worker stopped")


@click.command("demo")
@fails_cleanly
def demo_command():
    """Load the Helsinki demo: offices, blocks, doors, users and a synthetic history."""
    password = current_app.config["DEMO_PASSWORD"]
    summary = demo.load_demo(password)
    click.echo(f"Region {demo.REGION_NAME}:")
    for name, counts in summary.offices.items():
        click.echo(f"  {name}: {counts['blocks']} blocks, {counts['doors']} doors, {counts['turfs']} turfs, "
                   f"{counts['contacts']} contacts")
    click.echo(f"Added {summary.contacts_added} synthetic contacts." if summary.contacts_added
               else "Nothing new to add: the demo was already loaded.")
    click.echo(f"Sign in at http://127.0.0.1:5000 with password {summary.password!r} as:")
    for login in summary.logins:
        click.echo(f"  {login.email:<40} {login.role:<10} {login.where}")


class StepBar:
    """A progress bar over the named steps of an import, on standard error."""

    def __init__(self, steps: tuple[str, ...]):
        self.bar = click.progressbar(length=len(steps), label=steps[0].ljust(20), file=sys.stderr,
                                     show_eta=False)
        self.started, self.label = False, None

    def __call__(self, label: str, done: int | None = None, total: int | None = None, **_facts) -> None:
        """A step begins (or, called again with its label and ``done`` of ``total``, goes on: the label says
        how far, the bar moves on only when the next step begins)."""
        if label == self.label and self.label:
            self.bar.label = (f"{label} {done:,}/{total:,}" if total else label).ljust(20)
            self.bar.render_progress()
            return
        if self.started:
            self.bar.update(1)
        self.started, self.label = True, label
        if label:
            self.bar.label = label.ljust(20)
            self.bar.render_progress()

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)


def _print_summary(summary: imports.ImportSummary) -> None:
    for line in summary.lines():
        click.echo(line)


@click.command("import-blocks")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--office", "office_name", required=True, help="The field office the blocks belong to.")
@click.option("--region", "region_name", help="Region of the office; needed when the office is new.")
@click.option("--id-field", help="The block id field (guessed for TIGER/Line: GEOID20).")
@click.option("--doors-field", help="The housing-units field (guessed for TIGER/Line: HOUSING20).")
@click.option("--layer", help="The layer to read from a file of several (a GeoPackage, a zip of shapefiles).")
@click.option("--rejects", "rejects_path", type=click.Path(dir_okay=False, writable=True),
              help="Write rejected features here, with the reason per feature.")
@fails_cleanly
def import_blocks_command(path, office_name, region_name, id_field, doors_field, layer, rejects_path):
    """Import blocks from a TIGER/Line zip, shapefile, GeoJSON, TopoJSON or GeoPackage."""
    with StepBar(imports.BLOCK_STEPS) as bar:
        summary = imports.import_blocks(path, office_name, region_name=region_name, id_field=id_field,
                                        doors_field=doors_field, layer=layer, rejects_path=rejects_path,
                                        progress=bar)
    _print_summary(summary)


@click.command("import-doors")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--office", "office_name", required=True, help="The field office whose blocks hold the doors.")
@click.option("--rejects", "rejects_path", type=click.Path(dir_okay=False, writable=True),
              help="Write rejected rows here, with the reason per row.")
@click.option("--map", "maps", multiple=True, metavar='"FILE COLUMN=FIELD"',
              help="Read this file column as this field (id, address, address2, house_number, street, unit, city, "
                   "postcode, lat, lon, first_name, last_name, age, phone, email; tag: kept with each person as "
                   "a tag, as a column none of ours is; empty or -: not used, not kept), instead of the guess. "
                   "Repeatable.")
@fails_cleanly
def import_doors_command(path, office_name, rejects_path, maps):
    """Import doors and people from a voter file or customer list (CSV, VAN's UTF-16 .xls, a ZIP of one)."""
    mapping = parse_map_options(maps)
    with StepBar(imports.DOOR_STEPS) as bar:
        summary = imports.import_doors(path, office_name, rejects_path=rejects_path, mapping=mapping or None,
                                       progress=bar)
    _print_summary(summary)


@click.command("import-osm")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--office", "office_name", required=True, help="The field office the territory belongs to.")
@click.option("--region", "region_name", help="Region of the office; needed when the office is new.")
@fails_cleanly
def import_osm_command(path, office_name, region_name):
    """Import blocks (faces of the street network) and doors (addresses) from an .osm.pbf."""
    with StepBar(imports.OSM_STEPS) as bar:
        summary = imports.import_osm(path, office_name, region_name=region_name, progress=bar)
    _print_summary(summary)


@click.command("import-voted")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--office", "office_name", required=True, help="The field office whose people voted.")
@click.option("--rejects", "rejects_path", type=click.Path(dir_okay=False, writable=True),
              help="Write rejected rows (blank or unknown ids) here, with the reason per row.")
@fails_cleanly
def import_voted_command(path, office_name, rejects_path):
    """Mark the people of a has-voted file (a CSV of voter ids) as having voted, and rebuild the chase lists."""
    with StepBar(voted.VOTED_STEPS) as bar:
        summary = voted.import_voted(path, office_name, rejects_path=rejects_path, progress=bar)
    for line in summary.lines():
        click.echo(line)


class CountBar:
    """A progress bar over a count that is known only once the work has begun (turfs to save)."""

    def __init__(self, label: str):
        self.label, self.bar = label, None

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.bar is None and total:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_eta=False)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command("cut-turfs")
@click.option("--office", "office_name", required=True, help="The field office whose free blocks to cut.")
@click.option("--doors", type=click.IntRange(min=1), required=True, help="About how many doors per turf.")
@click.option("--json", "as_json", is_flag=True, help="Print the cut's figures as JSON.")
@click.option("--canvass", "canvass_name", help="Count only the doors this canvass's target universe targets.")
@fails_cleanly
def cut_turfs_command(office_name, doors, as_json, canvass_name):
    """Cut the office's free blocks into contiguous, compact draft turfs of about N doors."""
    office = users.office_by_name(office_name)
    canvass = canvassing.canvass_by_name(canvass_name, office=office) if canvass_name else None
    bar = CountBar("Saving turfs")
    try:
        result = turfs.auto_cut(office, doors, None, progress=bar,
                                weights=turfs.TargetedDoors(office, canvass.id) if canvass else None)
    finally:
        bar.close()
    report = result.report
    if as_json:
        click.echo(json.dumps(report))
        return
    if not result.turfs:
        click.echo(f"{office.name} has no free blocks to cut.")
        return
    click.echo(f"{turfs.cut_summary(result)} Mean compactness {report['compactness']:.2f}; "
               f"{report['seconds']:.1f} s.")


@click.command("export-turfs")
@click.option("--office", "office_name", required=True, help="The field office whose turfs to export.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The GeoJSON file to write.")
@fails_cleanly
def export_turfs_command(office_name, output):
    """Write the office's turfs as GeoJSON: outline; id, name, doors, blocks (source ids), state."""
    office = users.office_by_name(office_name)
    collection = turfs.turfs_geojson(office)
    with open(output, "w", encoding="utf-8") as handle:
        json.dump(collection, handle, ensure_ascii=False)
    audit.record(None, "export.turfs", "office", office.id, file=str(output), turfs=len(collection["features"]))
    click.echo(f"Wrote {len(collection['features'])} turfs of {office.name} to {output}")


@click.command("create-canvass")
@click.argument("name")
@click.option("--office", "office_name", help="A canvass for one field office.")
@click.option("--region", "region_name", help="A canvass for every office of a region.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--end", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day (YYYY-MM-DD).")
@click.option("--script", default="", help="What volunteers read at the door ({name} becomes their name).")
@click.option("--questions", "questions_path", type=click.Path(exists=True, dir_okay=False),
              help='A JSON file: [{"label": ..., "kind": "scale|yes_no|choice|text", "choices": [...]}].')
@click.option("--reknock-hours", default=4, show_default=True, type=int,
              help="Not home and Come back later doors return to the list after this many hours.")
@click.option("--max-attempts", default=3, show_default=True, type=int, help="Knock a door at most this many times.")
@click.option("--per-person", is_flag=True,
              help="Ask the survey of each resident spoken with (default: once per household).")
@click.option("--translations", "translations_path", type=click.Path(exists=True, dir_okay=False),
              help='A JSON file: {"fi": {"script": ..., "questions": {KEY: {"label": ..., "choices": [...]}}}}.')
@click.option("--survey-required", is_flag=True,
              help="A conversation answers every question shown (default: the survey is optional for Talked).")
@fails_cleanly
def create_canvass_command(name, office_name, region_name, start, end, script, questions_path, reknock_hours,
                           max_attempts, per_person, translations_path, survey_required):
    """Create a canvass with dates, a script and survey questions."""
    if bool(office_name) == bool(region_name):
        raise click.UsageError("give exactly one of --office NAME or --region NAME")
    questions = []
    if questions_path:
        try:
            with open(questions_path, encoding="utf-8") as handle:
                questions = json.load(handle)
        except (ValueError, UnicodeDecodeError) as error:
            raise click.ClickException(f"{questions_path} is not JSON: {error}") from None
    translations = None
    if translations_path:
        try:
            with open(translations_path, encoding="utf-8") as handle:
                translations = json.load(handle)
        except (ValueError, UnicodeDecodeError) as error:
            raise click.ClickException(f"{translations_path} is not JSON: {error}") from None
    if office_name:
        office = users.office_by_name(office_name)
        region_id, office_id = office.region_id, office.id
    else:
        region_id, office_id = users.region_by_name(region_name).id, None
    canvass = canvassing.build_canvass(name, region_id, office_id, start=start.date() if start else None,
                                       end=end.date() if end else None, script=script, questions=questions,
                                       reknock_hours=reknock_hours, max_attempts=max_attempts,
                                       per_person=per_person, translations=translations,
                                       survey_optional=not survey_required)
    click.echo(f"Created canvass {canvass.name} (id {canvass.id}) with {len(canvass.questions)} questions.")


@click.command("assign-turf")
@click.argument("turf_id", type=int)
@click.argument("email")
@click.option("--canvass", "canvass_name", required=True, help="The canvass the turf is walked for.")
@fails_cleanly
def assign_turf_command(turf_id, email, canvass_name):
    """Hand a turf to a volunteer for a canvass (a turf already out gains one more volunteer)."""
    volunteer = users.user_by_email(email)
    turf = turfs.turf_by_id(turf_id)
    canvass = canvassing.canvass_by_name(canvass_name, office=turfs.office_of(turf))
    canvassing.assign(turf.id, volunteer, canvass, None)
    click.echo(f"{turf.name} is handed to {volunteer.email} for {canvass.name}.")


@click.command("coverage")
@click.option("--office", "office_name", help="One field office: its figures, turfs, volunteers and days.")
@click.option("--region", "region_name", help="One region: its offices side by side.")
@click.option("--canvass", "canvass_name", help="Count only this canvass's contacts (default: all).")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day counted (YYYY-MM-DD, on each office's clock).")
@click.option("--end", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day counted (YYYY-MM-DD, on each office's clock).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON, as the pages and API show them.")
@fails_cleanly
def coverage_command(office_name, region_name, canvass_name, start, end, as_json):
    """Doors, attempted, reached, coverage and contact rate for an office, a region, or every region."""
    if office_name and region_name:
        raise click.UsageError("give at most one of --office NAME or --region NAME")
    office = users.office_by_name(office_name) if office_name else None
    region = users.region_by_name(region_name) if region_name else None
    canvass = canvassing.canvass_by_name(canvass_name, office=office, region=region) if canvass_name else None
    region_id = office.region_id if office is not None else region.id if region is not None else None
    window = coverage.window_for(region_id, canvass.id if canvass else None, start.date() if start else None,
                                 end.date() if end else None)
    if office is not None:
        figures = coverage.office_coverage(office, window)
        rows = [figures]
    else:
        regions = [region] if region is not None else users.all_regions()
        figures = [volunteers.region_figures(r, window) for r in regions]
        figures = figures[0] if region is not None else {"regions": figures}
        rows = [o for r in ([figures] if region is not None else figures["regions"]) for o in r["offices"]]
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False))
        return
    click.echo(f"{'office':<28} {'doors':>8} {'attempted':>10} {'reached':>8} {'coverage':>9} {'contact rate':>13}")
    for row in rows:
        click.echo(f"{row['name']:<28} {row['doors']:>8} {row['attempted']:>10} {row['reached']:>8} "
                   f"{row['coverage']:>9.1%} {row['contact_rate']:>13.1%}")


@click.command("export-contacts")
@click.option("--office", "office_name", help="The field office whose contacts to export.")
@click.option("--region", "region_name", help="Every office of a region.")
@click.option("--canvass", "canvass_name", help="Only this canvass's contacts.")
@click.option("--format", "file_format", type=click.Choice(committee_exports.FORMATS), default="csv",
              show_default=True, help="csv: Fieldops' own columns; van-bulk: VAN's bulk-upload file; "
                                      "osdi: OSDI record_canvass JSON (van-bulk and osdi need --office).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="The file to write.")
@fails_cleanly
def export_contacts_command(office_name, region_name, canvass_name, file_format, output):
    """Write an office's or region's contacts to a file (the export is recorded in the audit log)."""
    if bool(office_name) == bool(region_name):
        raise click.UsageError("give exactly one of --office NAME or --region NAME")
    if file_format != "csv" and not office_name:
        raise click.UsageError(f"--format {file_format} uses one office's result codes: give --office NAME")
    office = users.office_by_name(office_name) if office_name else None
    region = users.region_by_name(region_name) if region_name else None
    canvass = canvassing.canvass_by_name(canvass_name, office=office, region=region) if canvass_name else None
    window = coverage.Window(canvass.id if canvass else None)
    if file_format != "csv":
        counts = committee_exports.Counts()
        lines = (committee_exports.van_bulk_lines if file_format == "van-bulk"
                 else committee_exports.osdi_lines)(committee_exports.scope_of(office, window), counts)
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)
        exports.record_export(None, "office", office.id, window, f"{output} ({file_format})")
        click.echo(f"Wrote {counts.rows} {file_format} rows for {counts.contacts - counts.without_id} contacts "
                   f"to {output}" + (f"; {counts.without_id} contacts left out: nobody at the door has a VAN ID"
                                     if counts.without_id else ""))
        return
    office_ids = [office.id] if office else [o.id for o in users.region_offices(region)]
    written = 0

    def counted(rows):
        nonlocal written
        for row in rows:
            written += 1
            yield row

    with open(output, "w", encoding="utf-8", newline="") as handle:
        for chunk in exports.csv_lines(counted(exports.contact_rows(office_ids, window))):
            handle.write(chunk)
    exports.record_export(None, "office" if office else "region", (office or region).id, window, str(output))
    click.echo(f"Wrote {written} contacts to {output}")


@click.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLE_NAMES))
@click.option("--office", "office_name", help="The field office (organizers and volunteers).")
@click.option("--region", "region_name", help="The region (leads).")
@fails_cleanly
def set_role_command(email, role, office_name, region_name):
    """Give a user another role; the change is recorded in the audit log."""
    user = users.change_role(email, role, office_name=office_name, region_name=region_name)
    click.echo(f"{user.email} is now {user.role}.")


@click.command("rebuild-summaries")
@fails_cleanly
def rebuild_summaries_command():
    """Recompute the dashboards' summaries from the contact ledger (after an upgrade, a restore or a bulk load)."""
    summaries.rebuild_all()
    click.echo("Summaries rebuilt from the contact ledger.")


@click.command("worker")
@click.option("--queue", "queues", multiple=True, help="A queue to take jobs from (default: the app's, 'fieldops').")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty instead of waiting for more.")
@click.option("--name", help="The worker's name in Redis (default: host, process and queues).")
def worker_command(queues, burst, name):
    """Run background jobs from Redis (REDIS_URL): start as many as you like, on any host."""
    try:
        job_runner.work(list(queues) or None, burst=burst, name=name)
    except FieldopsError as error:
        raise click.ClickException(error.message) from None


@click.command("jobs")
@click.option("--office", "office_name", help="Only this field office's jobs.")
@click.option("--json", "as_json", is_flag=True, help="Print the jobs as JSON, as their pages' progress shows them.")
@fails_cleanly
def jobs_command(office_name, as_json):
    """List the latest background jobs: state, progress, and the reason of those that failed."""
    views = (jobs.office_jobs(users.office_by_name(office_name)) if office_name
             else [jobs.follow(job) for job in jobs.all_jobs()])
    if as_json:
        click.echo(json.dumps([{**view.as_json(), "kind": view.job.kind, "title": view.job.title} for view in views],
                              ensure_ascii=False))
        return
    for view in views:
        where = f"{view.percent:>3}% {view.step}" if not view.finished else (view.job.error or "")
        click.echo(f"{view.job.id:>6} {view.job.created_at:%Y-%m-%d %H:%M} {view.state:<8} {view.job.title}  {where}")


@click.command("create-team")
@click.argument("name")
@click.option("--office", "office_name", required=True, help="The field office the team belongs to.")
@click.option("--leader", "leader_email", help="A volunteer of the office to lead it (becomes a team leader).")
@click.option("--turfs", "turf_ids", help="The turfs it owns: ids separated by commas.")
@fails_cleanly
def create_team_command(name, office_name, leader_email, turf_ids):
    """Make a neighborhood team in an office, with its turfs and a leader."""
    office = users.office_by_name(office_name)
    team = teams.create_team(office, name, None, turf_ids=teams.parse_turf_ids(turf_ids))
    if leader_email:
        teams.add_member(team, users.user_by_email(leader_email), None, leader=True)
    click.echo(f"Team {team.name} (id {team.id}) of {office.name}: {len(teams.turf_ids(team))} turfs"
               + (f", led by {leader_email.strip().lower()}." if leader_email else "."))


@click.command("add-to-team")
@click.argument("email")
@click.option("--team", "team_name", required=True, help="The team's name.")
@click.option("--leader", is_flag=True, help="As one of its team leaders.")
@fails_cleanly
def add_to_team_command(email, team_name, leader):
    """Put a volunteer of the team's office on the team."""
    user = users.user_by_email(email)
    team = teams.team_by_name(team_name, user.office if user.office_id else None)
    teams.add_member(team, user, None, leader=leader)
    click.echo(f"{user.email} is on {team.name}" + (" as a team leader." if leader else "."))


@click.command("create-shift")
@click.option("--office", "office_name", required=True, help="The field office.")
@click.option("--canvass", "canvass_name", required=True, help="The canvass the shift walks.")
@click.option("--start", required=True, help="ISO 8601 start, e.g. 2026-12-05T10:00 (the office's clock without an offset).")
@click.option("--end", required=True, help="ISO 8601 end.")
@click.option("--place", required=True, help="Where volunteers meet: an address.")
@click.option("--capacity", required=True, type=int, help="How many may sign up.")
@click.option("--turfs", "turf_ids", help="The turfs it walks: ids separated by commas.")
@click.option("--team", "team_name", help="The neighborhood team whose shift it is.")
@fails_cleanly
def create_shift_command(office_name, canvass_name, start, end, place, capacity, turf_ids, team_name):
    """Make a canvass shift and print its public sign-up URL (on BASE_URL)."""
    from .web.shifts import sign_up_link
    office = users.office_by_name(office_name)
    canvass = canvassing.canvass_by_name(canvass_name, office=office)
    shift = shifts.create_shift(office, canvass, starts_at=shifts.parse_moment(start, "start", office.time_zone),
                                ends_at=shifts.parse_moment(end, "end", office.time_zone), place=place,
                                capacity=capacity, turf_ids=teams.parse_turf_ids(turf_ids), actor_id=None,
                                team=teams.team_by_name(team_name, office) if team_name else None)
    click.echo(sign_up_link(shift))
@click.command("set-goal")
@click.option("--office", "office_name", required=True, help="The field office the goal is for.")
@click.option("--canvass", "canvass_name", required=True, help="The canvass (the office's own or its region's).")
@click.option("--doors", default="0", help="Doors to knock by the date.")
@click.option("--conversations", default="0", help="Conversations to have by the date.")
@click.option("--by", "by", required=True, help="The date the goal is for (YYYY-MM-DD, the office's day).")
@click.option("--turf", "turf_id", type=int, help="A goal for one turf of the office (its id) instead.")
@click.option("--volunteer", "volunteer_email", help="A goal for one volunteer of the office instead.")
@click.option("--team", "team_name", help="A goal for one neighborhood team of the office instead.")
@fails_cleanly
def set_goal_command(office_name, canvass_name, doors, conversations, by, turf_id, volunteer_email, team_name):
    """Set the office's goal for a canvass (or a turf's, a volunteer's or a team's): doors and conversations
    by a date."""
    office = users.office_by_name(office_name)
    canvass = canvassing.canvass_by_name(canvass_name, office=office)
    turf = turfs.turf_by_id(turf_id) if turf_id is not None else None
    volunteer = users.user_by_email(volunteer_email) if volunteer_email else None
    team = teams.team_by_name(team_name, office) if team_name else None
    goal = goals.set_goal(canvass, office, doors=doors, conversations=conversations, due=parse_day(by, "by"),
                          actor_id=None, turf=turf, volunteer=volunteer, team=team)
    who = f"turf {turf.name}" if turf else volunteer.email if volunteer else f"team {team.name}" if team \
        else office.name
    click.echo(f"Goal for {who} in {canvass.name}: {goal.doors:,} doors and {goal.conversations:,} conversations "
               f"by {goal.due_date.isoformat()}.")


@click.command("set-universe")
@click.option("--canvass", "canvass_name", required=True, help="The canvass whose target universe to set.")
@click.option("--office", "office_name", help="An office of the canvass's region (finds the canvass; counts it).")
@click.option("--definition", "definition", help="The filters as JSON, e.g. '{\"support\": [3], \"voted\": false}'.")
@click.option("--clear", is_flag=True, help="Target every door again.")
@click.option("--preview", is_flag=True, help="Only count what the definition would target; save nothing.")
@fails_cleanly
def set_universe_command(canvass_name, office_name, definition, clear, preview):
    """Set (or preview, or clear) a canvass's target universe; prints its people and doors."""
    office = users.office_by_name(office_name) if office_name else None
    canvass = canvassing.canvass_by_name(canvass_name, office=office)
    if clear:
        universes.clear(canvass, None)
        click.echo(f"{canvass.name} targets every door again.")
        return
    try:
        raw = json.loads(definition or "{}")
    except ValueError as error:
        raise InvalidInput(f"is not JSON ({error})", field="definition") from None
    counted = universes.preview(raw, canvass, office.id if office else None)
    if not preview:
        universes.save(canvass, raw, None)
    click.echo(f"{'Would target' if preview else 'Targets'} {counted['people']:,} people at {counted['doors']:,} "
               f"doors: {'; '.join(counted['describe'])}.")


def register_commands(app: Flask) -> None:
    for command in (create_user_command, create_token_command, demo_command, import_blocks_command,
                    import_doors_command, import_osm_command, cut_turfs_command, export_turfs_command,
                    create_canvass_command, assign_turf_command, coverage_command, export_contacts_command,
                    rebuild_summaries_command, set_role_command, revoke_tokens_command, send_mail_command,
                    mail_worker_command, worker_command, jobs_command, send_reminders_command,
                    create_team_command, add_to_team_command, create_shift_command, set_goal_command,
                    set_universe_command, import_voted_command):
        app.cli.add_command(command)
