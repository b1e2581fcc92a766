"""The command line: a thin Typer layer over importable functions (run, evaluate, queries)."""

from __future__ import annotations

import csv
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

app = typer.Typer(
    help="forcewatch: read news reports of deaths and injuries after police contact into an evidence-linked incident database.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: no <bool>/<str> type badges beside the flags
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"forcewatch {version('forcewatch')}")
        except PackageNotFoundError:
            print("forcewatch (not installed: run from a source tree)")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True, metavar=""),
    ] = False,
) -> None:
    """forcewatch: read news reports of deaths and injuries after police contact into an evidence-linked incident database."""


# Piped output (files, tests, other tools) is not wrapped at 80 columns.
console = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite file or postgresql:// URL (default: $FORCEWATCH_DB or ./forcewatch.db).",
        metavar="PATH|URL",
    ),
]


def _store(db: str | None):  # noqa: ANN202
    from forcewatch.store.db import Store

    return Store(db)


def _date(value: str | None) -> date:
    return date.fromisoformat(value) if value else date.today()


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders, globs or http(s) URLs (.txt, .html, .jsonl, .warc[.gz]).")
    ],
    db: DbOption = None,
    ingested_on: Annotated[
        str | None, typer.Option(help="Reference date (YYYY-MM-DD) for articles with no publication date.")
    ] = None,
) -> None:
    """Read articles, keep the reports, extract facts with evidence, link and merge them into incidents."""
    from forcewatch.pipeline import Options
    from forcewatch.run import ingest as run_ingest

    store = _store(db)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("reading", total=None)

        def on_item(path: str, status: str) -> None:
            progress.update(task, advance=1, description=escape(f"{status[:20]:20} {Path(path).name[:40]}"))

        report = run_ingest(paths, store, Options(ingested_on=_date(ingested_on)), on_item)
    for problem in report.problems:
        err.print(f"[red]error[/red] {escape(str(problem))}")
    console.print(
        f"{report.stored} stored ({report.relevant} relevant), {report.already} already stored, "
        f"{len(report.problems)} failed; {len(report.incidents)} incidents updated"
    )
    if report.problems:
        raise typer.Exit(code=2)


# --- reading: incidents, show, export (the web list's filters, sort and limit) ----------------

DateFrom = Annotated[str, typer.Option("--date-from", help="Earliest date, YYYY[-MM[-DD]].", metavar="DATE")]
DateTo = Annotated[str, typer.Option("--date-to", help="Latest date, YYYY[-MM[-DD]] (inclusive).", metavar="DATE")]
Country = Annotated[str, typer.Option(help="ISO 3166 alpha-2 code, e.g. GB or US.", metavar="CODE")]
Region = Annotated[str, typer.Option(help="Region (state, county...) containing this text.", metavar="TEXT")]
Category = Annotated[
    str, typer.Option(help="Category code, e.g. police_shooting (see docs/fields.md).", metavar="CODE")
]
Agency = Annotated[str, typer.Option(help="Police force whose name contains this text.", metavar="TEXT")]
Armed = Annotated[str, typer.Option(help="How the person was armed, e.g. gun, knife, unarmed.", metavar="CODE")]
Conflicts = Annotated[
    str, typer.Option(help="yes: only incidents whose sources disagree; no: only those without.", metavar="yes|no")
]
Reviewed = Annotated[
    str, typer.Option(help="yes: only incidents a person has reviewed; no: only the others.", metavar="yes|no")
]
Sort = Annotated[str, typer.Option(help="date, id, place, category, agency, sources or conflicts.", metavar="KEY")]
Order = Annotated[str, typer.Option(help="asc or desc.", metavar="asc|desc")]
Limit = Annotated[int | None, typer.Option(help="At most N incidents.", metavar="N", min=1)]
Search = Annotated[str, typer.Option(help="Words in the name, place, force or any article's text.", metavar="TEXT")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.", metavar="")]


def _tables() -> Console:
    """Tables fit the terminal, or 80 columns when piped."""
    return Console(width=None if sys.stdout.isatty() else 80, highlight=False)


def _read_store(db: str | None):  # noqa: ANN202
    """The Store for a read-only command; a SQLite path that does not exist is refused, not created."""
    from forcewatch.store.db import DEFAULT_DB

    target = db or os.environ.get("FORCEWATCH_DB") or DEFAULT_DB
    if "://" not in target and not Path(target).exists():
        err.print(
            f"no database at {escape(str(Path(target).resolve()))}: check --db, or create it with `forcewatch ingest PATH... --db {escape(target)}`",
            markup=False,
        )
        raise typer.Exit(code=2)
    return _store(db)


def _filters(
    date_from: str,
    date_to: str,
    country: str,
    region: str,
    category: str,
    agency: str,
    armed: str,
    conflicts: str,
    reviewed: str,
    sort: str,
    order: str,
    search: str = "",
):  # noqa: ANN202
    """The web list's Filters from the options; a bad value is one line naming the option."""
    from forcewatch.web.data import SORT_KEYS, Filters, valid_date

    problems = []
    for name, value in (("--date-from", date_from), ("--date-to", date_to)):
        try:
            valid_date(value)
        except ValueError as exc:
            problems.append(f"{name} {value!r}: {exc}")
    for name, value in (("--conflicts", conflicts), ("--reviewed", reviewed)):
        if value not in ("", "yes", "no"):
            problems.append(f"{name} {value!r}: write yes or no")
    if sort not in SORT_KEYS:
        problems.append(f"--sort {sort!r}: use one of {', '.join(SORT_KEYS)}")
    if order not in ("asc", "desc"):
        problems.append(f"--order {order!r}: use asc or desc")
    if problems:
        for p in problems:
            err.print(p, markup=False)
        raise typer.Exit(code=2)
    return Filters(
        date_from,
        date_to,
        country.strip(),
        region.strip(),
        category.strip(),
        agency.strip(),
        armed.strip(),
        conflicts,  # type: ignore[arg-type]  # checked above: "", "yes" or "no"
        reviewed,  # type: ignore[arg-type]
        search.strip(),
    )


@app.command()
def incidents(
    db: DbOption = None,
    as_json: JsonFlag = False,
    date_from: DateFrom = "",
    date_to: DateTo = "",
    country: Country = "",
    region: Region = "",
    category: Category = "",
    agency: Agency = "",
    armed: Armed = "",
    conflicts: Conflicts = "",
    reviewed: Reviewed = "",
    search: Search = "",
    sort: Sort = "date",
    order: Order = "desc",
    limit: Limit = None,
) -> None:
    """One row per incident (id, date, place, subject, category, sources, conflicts), filtered and sorted as the web list."""
    from forcewatch.catalogue import value_label
    from forcewatch.web.data import list_incidents

    f = _filters(date_from, date_to, country, region, category, agency, armed, conflicts, reviewed, sort, order, search)
    store = _read_store(db)
    result = list_incidents(store, f, sort, order, 1, limit or 10**9)  # type: ignore[arg-type]
    rows = result["items"]
    if as_json:
        print(json.dumps(rows, indent=1, default=str))
        return
    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("place", max_width=16)
    table.add_column("subject", max_width=14)
    table.add_column("category", min_width=15)
    table.add_column("src", justify="right", no_wrap=True, min_width=3)
    table.add_column("conflicts", justify="right", no_wrap=True, min_width=9)
    for r in rows:
        place = ", ".join(p for p in (r["locality"], r["country"]) if p)
        table.add_row(
            str(r["id"]),
            r["date"] or "?",
            escape(place or "?"),
            escape(r["subject"] or "?"),
            escape(value_label("category", r["category"])) if r["category"] else "?",
            str(r["sources"]),
            str(r["conflicts"] or ""),
        )
    out = _tables()
    if rows:
        out.print(table)
    shown = f"{len(rows)} of {result['total']}" if len(rows) < result["total"] else str(result["total"])
    if result["total"]:
        out.print(f"{shown} incident{'s' if result['total'] != 1 else ''}")
    else:
        out.print("no incidents" + (" match these filters" if f.params() else " yet: run `forcewatch ingest PATH...`"))


def _quote(text: str, width: int = 240) -> str:
    """A quote shortened at a word boundary, with an ellipsis where it was cut."""
    import textwrap

    return textwrap.shorten(text, width=width, placeholder=" …")


@app.command()
def show(
    incident_id: Annotated[
        int, typer.Argument(help="The incident's number (see `forcewatch incidents`).", metavar="ID")
    ],
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Every merged field with its value, support and the quote behind it per source; conflicts side by side."""
    import textwrap

    from forcewatch.catalogue import field_label, headline, value_label
    from forcewatch.store.queries import incident_data

    data = incident_data(_read_store(db), incident_id)
    if data is None:
        err.print(f"no incident {incident_id}")
        raise typer.Exit(code=1)
    if as_json:
        print(json.dumps(data, indent=1, default=str))
        return
    out = _tables()
    width = out.width

    def para(text: str, indent: str = "  ", rest: str = "      ") -> None:
        out.print(
            escape(textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=rest)),
            soft_wrap=True,
        )

    names = {a["id"]: (a["outlet"] or Path(a["path"] or a["id"]).name) for a in data["articles"]}
    out.print(f"[bold]Incident {data['id']}[/bold]: {escape(headline(data['fields'], data['id']))}", soft_wrap=True)
    checked = sum(1 for m in data["merged"].values() if m["reviewed"])
    out.print(f"{len(data['articles'])} articles; {checked} of {len(data['merged'])} fields checked by a person")
    for a in data["articles"]:
        copy = f", copy of {a['copy_of']}" if a["copy_of"] else ""
        para(
            f"{names[a['id']]}: {a['title'] or 'untitled'} ({a['published'] or 'no date'}{copy}) {a['url'] or a['path'] or ''}".rstrip()
        )
    out.print()
    from forcewatch.web.data import EDITABLE_FIELDS

    order = {n: i for i, n in enumerate(EDITABLE_FIELDS)}
    for name, m in sorted(data["merged"].items(), key=lambda nm: (order.get(nm[0], len(order)), nm[0])):
        flags = [f"{m['support']} source{'s' if m['support'] != 1 else ''}"]
        if m["conflict"]:
            flags.append("CONFLICT")
        if m["reviewed"]:
            flags.append("reviewed")
        para(f"{field_label(name)}: {value_label(name, m['value'])} ({', '.join(flags)})", indent="", rest="    ")
        for src in m["sources"]:
            quote = src["quotes"][0] if src["quotes"] else ""
            said = value_label(name, src["value"])
            para(
                f"{names.get(src['article'], src['article'])}: “{_quote(quote)}”"
                + ("" if said == value_label(name, m["value"]) else f" ({said})"),
                indent="    ",
                rest="      ",
            )
    for c in data["conflicts"]:
        out.print()
        para(
            f"Conflict on {field_label(c['field'])}: " + " vs ".join(value_label(c["field"], v) for v in c["values"]),
            indent="",
        )
        for src in c["sources"]:
            who = names.get(src["article"], src["article"])
            for q in src["quotes"]:
                para(f"{who} says {value_label(c['field'], src['value'])}: “{_quote(q)}”")
            for other in src.get("contradicting", []):
                para(
                    f"contradicts itself: {who} also says {value_label(c['field'], other['value'])}: “{_quote(other['quote'])}”"
                )


#: Kept importable from here for older callers; the formats live in forcewatch.formats.
from forcewatch.formats import WAPO_COLUMNS, wapo_row  # noqa: E402, F401

FORMATS = ("json", "jsonl", "csv", "wapo", "geojson", "iopc")


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="json, jsonl, csv (every field, source links), wapo (Washington Post Fatal Force v2 rows: US"
            " police shootings only), geojson, or iopc (England and Wales, counts by financial year and category).",
            metavar="FORMAT",
        ),
    ] = "json",
    articles: Annotated[
        bool, typer.Option("--articles", help="Export articles with their relevance decisions instead.", metavar="")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).", metavar="FILE")
    ] = None,
    base_url: Annotated[
        str,
        typer.Option(
            help="Where the web app is served, for each incident's url (default: $FORCEWATCH_BASE_URL or http://127.0.0.1:8000).",
            metavar="URL",
        ),
    ] = "",
    date_from: DateFrom = "",
    date_to: DateTo = "",
    country: Country = "",
    region: Region = "",
    category: Category = "",
    agency: Agency = "",
    armed: Armed = "",
    conflicts: Conflicts = "",
    reviewed: Reviewed = "",
    search: Search = "",
    sort: Sort = "id",
    order: Order = "asc",
    limit: Limit = None,
) -> None:
    """Export incidents (or articles), filtered and sorted as the web list, streamed one record at a time."""
    from forcewatch import formats
    from forcewatch.store.queries import articles_data, export_record, incident_data
    from forcewatch.web.data import matching_ids

    if fmt not in FORMATS:
        err.print(f"unknown format {fmt!r}: use {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(code=2)
    f = _filters(date_from, date_to, country, region, category, agency, armed, conflicts, reviewed, sort, order, search)
    store = _read_store(db)
    base = base_url or os.environ.get("FORCEWATCH_BASE_URL") or "http://127.0.0.1:8000"
    out = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        if articles:
            rows = articles_data(store)
            if fmt == "csv":
                writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["id"])
                writer.writeheader()
                writer.writerows(rows)
            else:
                json.dump(rows, out, indent=1)
                out.write("\n")
            return
        ids = matching_ids(store, f, sort, order)  # type: ignore[arg-type]
        if limit:
            ids = ids[:limit]
        records = (export_record(d, base) for d in (incident_data(store, i) for i in ids) if d is not None)
        skipped = 0
        if fmt == "json":
            out.write("[\n")
            for n, rec in enumerate(records):
                out.write((",\n" if n else "") + json.dumps(rec, default=str))
            out.write("\n]\n")
        elif fmt == "jsonl":
            for rec in records:
                out.write(json.dumps(rec, default=str) + "\n")
        elif fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=formats.CSV_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for rec in records:
                writer.writerow(formats.csv_row(rec))
        elif fmt == "wapo":
            writer = csv.DictWriter(out, fieldnames=formats.WAPO_COLUMNS)
            writer.writeheader()
            for rec in records:
                if formats.is_us_shooting(rec):
                    writer.writerow(formats.wapo_row(rec))
                else:
                    skipped += 1
            if skipped:
                err.print(
                    f"{skipped} incidents skipped: not a fatal police shooting in the US (the Fatal Force file's scope)"
                )
        elif fmt == "geojson":
            out.write('{"type": "FeatureCollection", "features": [\n')
            n = 0
            for rec in records:
                feature = formats.geojson_feature(rec)
                if feature is None:
                    skipped += 1
                    continue
                out.write((",\n" if n else "") + json.dumps(feature, default=str))
                n += 1
            out.write("\n]}\n")
            if skipped:
                err.print(f"{skipped} incidents skipped: no coordinates")
        elif fmt == "iopc":
            skipped = formats.write_iopc(records, out)
            if skipped:
                err.print(f"{skipped} incidents skipped: not in England or Wales (the IOPC's remit) or no force code")
    finally:
        if output:
            out.close()


@app.command(name="eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="A gold file (see tests/gold/*.json).", metavar="GOLD.json")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object: scores, counts and errors.")] = False,
    errors: Annotated[
        bool,
        typer.Option(
            "--errors/--no-errors",
            help="After the scores, list what was wrong: each wrong, missed or spurious field value (with the"
            " article and the evidence quote), relevance mistakes with the stored reason, split and mixed"
            " incidents, missed conflicts. --no-errors prints the scores only (and leaves errors out of --json).",
        ),
    ] = True,
) -> None:
    """Run the pipeline on a gold file's articles (temporary database), score it (with the counts, and
    clustering both by article pairs and BCubed) and list what was wrong."""
    from forcewatch.evaluate import error_lines, evaluate

    if not gold.exists():
        err.print(f"{gold}: no such gold file")
        raise typer.Exit(code=2)
    result = evaluate(gold)
    if not errors:
        result.pop("errors")
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return

    def num(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    def line(s: dict[str, Any]) -> str:
        return (
            f"precision {num(s['precision'])} recall {num(s['recall'])} f1 {num(s['f1'])}"
            f" (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"
        )

    table = Table("field", "precision", "recall", "f1", "tp", "fp", "fn")
    for name, s in result["fields"].items():
        table.add_row(
            name, num(s["precision"]), num(s["recall"]), num(s["f1"]), str(s["tp"]), str(s["fp"]), str(s["fn"])
        )
    console.print(table)
    console.print(f"fields (micro): {line(result['fields_total'])}", markup=False, highlight=False)
    console.print(f"relevance: {line(result['relevance'])}", markup=False, highlight=False)
    console.print(f"clustering (article pairs): {line(result['clustering'])}", markup=False, highlight=False)
    b = result["clustering_bcubed"]
    console.print(
        f"clustering (BCubed, {b['articles']} articles): precision {num(b['precision'])}"
        f" recall {num(b['recall'])} f1 {num(b['f1'])}",
        markup=False,
        highlight=False,
    )
    c = result["conflicts"]
    console.print(
        f"conflicts found {c['found']}/{c['expected']} (recall {num(c['recall'])});"
        f" {result['articles']} articles, {result['incidents']} predicted incidents",
        markup=False,
        highlight=False,
    )
    if errors:
        lines = error_lines(result["errors"])
        if lines:
            console.print("", *lines, sep="\n", markup=False, highlight=False)
        else:
            console.print("no errors")


@app.command()
def merge(
    target: Annotated[int, typer.Argument(help="The incident that stays.", metavar="TARGET")],
    other: Annotated[int, typer.Argument(help="The incident merged into TARGET.", metavar="OTHER")],
    db: DbOption = None,
    reason: Annotated[str | None, typer.Option(help="Why, kept in the history.", metavar="TEXT")] = None,
    actor: Annotated[str, typer.Option(help="Who decided, kept in the history.", metavar="NAME")] = "cli",
) -> None:
    """Merge incident OTHER into TARGET (kept in history; later runs respect it)."""
    from forcewatch.run import merge_incidents

    store = _store(db)
    for i in (target, other):
        if store.incident(i) is None:
            err.print(f"no incident {i}")
            raise typer.Exit(code=1)
    merge_incidents(store, target, other, actor, reason)
    console.print(f"merged incident {other} into {target}")


@app.command()
def split(
    incident_id: Annotated[int, typer.Argument(help="The incident to split.", metavar="ID")],
    article_ids: Annotated[
        list[str], typer.Argument(help="Article ids to move to a new incident.", metavar="ARTICLE...")
    ],
    db: DbOption = None,
    reason: Annotated[str | None, typer.Option(help="Why, kept in the history.", metavar="TEXT")] = None,
    actor: Annotated[str, typer.Option(help="Who decided, kept in the history.", metavar="NAME")] = "cli",
) -> None:
    """Move ARTICLE_IDS out of INCIDENT_ID into a new incident (kept in history; later runs respect it)."""
    from forcewatch.run import split_incident

    store = _store(db)
    own = {a.id for a in store.articles(incident_id)}
    missing = [a for a in article_ids if a not in own]
    if missing:
        err.print(f"not articles of incident {incident_id}: {', '.join(missing)}")
        raise typer.Exit(code=1)
    new_id = split_incident(store, incident_id, article_ids, actor, reason)
    console.print(f"moved {len(article_ids)} article(s) into new incident {new_id}")


@app.command()
def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS or Atom feed URLs.")],
    db: DbOption = None,
    interval: Annotated[float, typer.Option(help="Seconds between polling rounds.")] = 900.0,
    rounds: Annotated[int | None, typer.Option(help="Stop after N rounds (default: run until interrupted).")] = None,
) -> None:
    """Poll feeds (ETag/Last-Modified remembered in the database) and ingest each new item."""
    from forcewatch.ingest.feeds import watch as watch_feeds
    from forcewatch.pipeline import Analyser, Options
    from forcewatch.run import ingest as run_ingest

    store = _store(db)
    options = Options()
    analyser = Analyser(options)  # load spaCy once, not once per item

    def report(problem: object) -> None:
        err.print(f"[red]error[/red] {escape(str(problem))}")

    def ingest_url(url: str) -> None:
        result = run_ingest([url], store, options, analyser=analyser)
        for problem in result.problems:
            report(problem)
        console.print(f"{escape(url)}: {result.stored} stored, {result.relevant} relevant")

    try:
        n = watch_feeds(
            feeds,
            store.feed_state,
            store.set_feed_state,
            ingest_url,
            interval=interval,
            rounds=rounds,
            on_problem=report,
        )
    except KeyboardInterrupt:
        raise typer.Exit(code=130) from None
    console.print(f"{n} new items ingested")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on (keep 127.0.0.1 behind a reverse proxy).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (each with its own database connections).")] = 1,
) -> None:
    """Serve the web interface: incident list, incidents with evidence, map, summary, review, JSON API, exports."""
    import os

    import uvicorn

    from forcewatch.web import create_app
    from forcewatch.web.auth import load_secret

    store = _store(db)
    shown = store.engine.url.render_as_string(hide_password=True)
    console.print(f"forcewatch on http://{host}:{port}/ ({escape(shown)}); editors: `forcewatch user add NAME`")
    if workers > 1:  # every process must sign sessions with the same key and open the same database
        os.environ["FORCEWATCH_SECRET"] = load_secret(store)
        os.environ["FORCEWATCH_DB"] = store.url
        uvicorn.run(
            "forcewatch.web.app:create_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
        )
        return
    uvicorn.run(create_app(store), host=host, port=port, log_level="info")


user_app = typer.Typer(help="Editors who may review incidents in the web interface.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The editor's sign-in name.", metavar="NAME")],
    db: DbOption = None,
    password: Annotated[
        str | None, typer.Option(help="For scripts; without it the password is prompted for (hidden).")
    ] = None,
) -> None:
    """Create an editor NAME (or set a new password); the password is stored as an argon2 hash."""
    from forcewatch.web.auth import hash_password

    if not name.strip() or len(name) > 80:
        err.print("a name must have 1 to 80 characters")
        raise typer.Exit(code=2)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        err.print("use a password of at least 8 characters")
        raise typer.Exit(code=2)
    store = _store(db)
    existed = store.user(name) is not None
    store.add_user(name, hash_password(password))
    console.print(f"{'updated' if existed else 'added'} editor {escape(name)}")


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="JSONL shards, folders of .txt/.html, WARC files, globs.")],
    workers: Annotated[int, typer.Option("--workers", "-w", help="Local Dask worker processes (one thread each).")] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler (tcp://host:8786) instead of a local cluster."),
    ] = None,
    db: DbOption = None,
    partition_size: Annotated[
        int, typer.Option(help="Articles per Dask task; also what a rerun skips once finished.")
    ] = 1000,
    ingested_on: Annotated[
        str | None, typer.Option(help="Reference date (YYYY-MM-DD) for articles with no publication date.")
    ] = None,
) -> None:
    """Ingest large inputs on Dask workers: analysis in parallel, one writer; a rerun resumes where a stopped run ended."""
    import importlib.util
    import time

    from forcewatch.batch import BatchOptions, Partition, count_articles, run_batch
    from forcewatch.pipeline import Options

    if workers < 1 or partition_size < 1:
        err.print("--workers and --partition-size must be at least 1")
        raise typer.Exit(code=2)
    store = _store(db)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("starting Dask", total=count_articles(paths), rate="")
        clock = {"start": time.perf_counter(), "done": 0}

        def on_start(link: str | None) -> None:
            clock["start"] = time.perf_counter()
            served = importlib.util.find_spec("bokeh") is not None
            err.print(f"Dask dashboard: {link}" + ("" if served else " (install bokeh>=3.1 to serve it)"))
            progress.update(task, description="articles")

        def on_partition(part: Partition, skipped: bool) -> None:
            progress.advance(task, len(part.articles))
            clock["done"] += 0 if skipped else len(part.articles)
            rate = clock["done"] / max(time.perf_counter() - clock["start"], 1e-6)
            progress.update(task, description="skipping finished" if skipped else "articles", rate=f"{rate:,.0f}/s")

        options = BatchOptions(workers=workers, scheduler=scheduler, partition_size=partition_size)
        report = run_batch(paths, store, Options(ingested_on=_date(ingested_on)), options, on_start, on_partition)
    for problem in report.problems:
        err.print(f"[red]error[/red] {escape(str(problem))}")
    peaks = ", ".join(f"{rss / 2**20:,.0f} MiB" for rss in report.worker_peak_rss.values())
    console.print(
        f"{report.articles} articles in {report.partitions} partitions ({report.skipped} finished before): "
        f"{report.stored} stored ({report.relevant} relevant), {report.already} already stored, {len(report.problems)} failed; "
        f"{len(report.incidents)} incidents updated in {report.seconds:,.1f} s; peak memory per worker: {peaks or '?'}"
    )
    if report.problems:
        raise typer.Exit(code=2)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
