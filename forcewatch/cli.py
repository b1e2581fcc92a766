"""The command line: a thin Typer layer over importable functions (run, evaluate, queries)."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

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


class _LazyConsole:
    """A Rich Console made on first use: Rich costs a tenth of a second to import, and the
    commands that print plain text (`show`, `--version`, a refused path) never need it."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def real(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


def escape(text: str) -> str:
    """Rich markup escaped (Rich imported only when something is printed through it)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def Table(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - stands in for rich.table.Table
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


def _progress(*columns: str, **kwargs: Any) -> Any:
    """A Rich progress bar on stderr: "text", "bar", "count" and "eta" columns, in that order."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    made = {"bar": BarColumn, "count": MofNCompleteColumn, "eta": TimeRemainingColumn}
    return Progress(
        *(made[c]() if c in made else TextColumn(c) for c in columns), console=err.real(), transient=True, **kwargs
    )


# Piped output (files, tests, other tools) is not wrapped at 80 columns.
console: Any = _LazyConsole(width=None if sys.stdout.isatty() else 200)
# One problem, one line: stderr is never wrapped, also when it is a file (soft_wrap).
err: Any = _LazyConsole(stderr=True, soft_wrap=True)

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
    with _progress("{task.description}", "bar", "count", "eta") as progress:
        task = progress.add_task("reading", total=None)

        def on_item(path: str, status: str) -> None:
            progress.update(task, advance=1, description=escape(f"{status[:20]:20} {Path(path).name[:40]}"))

        report = run_ingest(paths, store, Options(ingested_on=_date(ingested_on)), on_item)
    for problem in report.problems:
        err.print(f"[red]error[/red] {escape(str(problem))}")
    for notice in report.notices:  # read and stored after a repair: said, not failed
        err.print(f"[yellow]note[/yellow] {escape(str(notice))}")
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
EditorName = Annotated[str, typer.Argument(help="The editor's sign-in name.", metavar="NAME")]


def _width() -> int:
    """The terminal's width, or 80 columns when piped (plain-text output)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80


def _tables() -> Console:
    """Tables fit the terminal, or 80 columns when piped."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 80, highlight=False)


def _read_store(db: str | None):  # noqa: ANN202
    """A Reader for a read-only command: sqlite3 on an existing SQLite file (no SQLAlchemy import),
    else the Store (PostgreSQL, or a schema to migrate first). A SQLite path that does not exist is
    refused and named, never created."""
    from forcewatch.store.reader import open_reader

    target = db or os.environ.get("FORCEWATCH_DB") or "forcewatch.db"  # store.db.DEFAULT_DB
    if "://" not in target and not Path(target).exists():
        err.print(
            f"no database at {Path(target).resolve()}: check --db, or create it with `forcewatch ingest PATH... --db {target}`",
            markup=False,
        )
        raise typer.Exit(code=2)
    return open_reader(db) or _store(db)


#: The web list's filters as options, shared by `incidents` and `export` (see `_listing`).
FILTER_OPTIONS: dict[str, Any] = {
    "date_from": DateFrom,
    "date_to": DateTo,
    "country": Country,
    "region": Region,
    "category": Category,
    "agency": Agency,
    "armed": Armed,
    "conflicts": Conflicts,
    "reviewed": Reviewed,
    "search": Search,
}


@dataclass(frozen=True)
class Listing:
    """What a listing command selects: the web list's Filters, its sort and order, and a limit."""

    filters: Any  # forcewatch.web.data.Filters
    sort: str
    order: str
    limit: int | None


def _listing(sort: str, order: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the filter, --sort, --order and --limit options, checked and passed as `listing`.

    Typer reads a command's options from its signature, so the shared options are added to the
    signature here once instead of being repeated in every command that lists incidents.
    """
    import functools
    import inspect

    extra = {**FILTER_OPTIONS, "sort": Sort, "order": Order, "limit": Limit}
    defaults = {**{k: "" for k in FILTER_OPTIONS}, "sort": sort, "order": order, "limit": None}

    def wrap(fn: Callable[..., None]) -> Callable[..., None]:
        sig = inspect.signature(fn, eval_str=True)
        own = [p for p in sig.parameters.values() if p.name != "listing"]
        kw = inspect.Parameter.KEYWORD_ONLY
        added = [inspect.Parameter(n, kw, default=defaults[n], annotation=a) for n, a in extra.items()]

        @functools.wraps(fn)
        def command(**kwargs: Any) -> None:
            raw = {n: kwargs.pop(n) for n in extra}
            fn(listing=_check_listing(raw), **kwargs)

        command.__signature__ = sig.replace(parameters=own + added)  # type: ignore[attr-defined]
        command.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "listing"} | extra
        return command

    return wrap


def _check_listing(raw: dict[str, Any]) -> Listing:
    """The options' Filters (checked in one place: web.data.make_filters); each bad value is one line."""
    from forcewatch.web.data import SORT_KEYS, make_filters

    problems = []
    values = {**{k: raw[k] for k in FILTER_OPTIONS if k != "search"}, "q": raw["search"]}
    f = None
    try:
        f = make_filters(values, label=lambda name: "--search" if name == "q" else "--" + name.replace("_", "-"))
    except ValueError as exc:
        problems.extend(str(exc).splitlines())
    if raw["sort"] not in SORT_KEYS:
        problems.append(f"--sort {raw['sort']!r}: use one of {', '.join(SORT_KEYS)}")
    if raw["order"] not in ("asc", "desc"):
        problems.append(f"--order {raw['order']!r}: use asc or desc")
    if problems or f is None:
        for p in problems:
            err.print(p, markup=False)
        raise typer.Exit(code=2)
    return Listing(f, raw["sort"], raw["order"], raw["limit"])


@app.command()
@_listing(sort="date", order="desc")
def incidents(listing: Listing, db: DbOption = None, as_json: JsonFlag = False) -> None:
    """One row per incident (id, date, place, subject, category, sources, conflicts), filtered and sorted as the web list."""
    from forcewatch.catalogue import value_label
    from forcewatch.web.data import list_incidents

    f = listing.filters
    store = _read_store(db)
    result = list_incidents(store, f, listing.sort, listing.order, 1, listing.limit or 10**9)  # type: ignore[arg-type]
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

    data = incident_data(_read_store(db), incident_id, agency_id=as_json)
    if data is None:
        print(f"no incident {incident_id}", file=sys.stderr)
        raise typer.Exit(code=1)
    if as_json:
        print(json.dumps(data, indent=1, default=str))
        return
    width = _width()

    def para(text: str, indent: str = "  ", rest: str = "      ") -> None:
        print(textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=rest))

    names = {a["id"]: (a["outlet"] or Path(a["path"] or a["id"]).name) for a in data["articles"]}
    print(f"Incident {data['id']}: {headline(data['fields'], data['id'])}")
    checked = sum(1 for m in data["merged"].values() if m["reviewed"])
    print(f"{len(data['articles'])} articles; {checked} of {len(data['merged'])} fields checked by a person")
    for a in data["articles"]:
        copy = f", copy of {a['copy_of']}" if a["copy_of"] else ""
        para(
            f"{names[a['id']]}: {a['title'] or 'untitled'} ({a['published'] or 'no date'}{copy}) {a['url'] or a['path'] or ''}".rstrip()
        )
    print()
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
        print()
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


def __getattr__(name: str) -> Any:
    """WAPO_COLUMNS and wapo_row, kept importable from here for older callers (they live in
    forcewatch.formats, imported only when asked for)."""
    if name in ("WAPO_COLUMNS", "wapo_row"):
        from forcewatch import formats

        return getattr(formats, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


FORMATS = ("json", "jsonl", "csv", "wapo", "geojson", "iopc")


@app.command()
@_listing(sort="id", order="asc")
def export(
    listing: Listing,
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
) -> None:
    """Export incidents (or articles), filtered and sorted as the web list, streamed one record at a time."""
    from forcewatch import formats
    from forcewatch.csvsafe import safe_row
    from forcewatch.store.queries import articles_data, export_record, incident_data
    from forcewatch.web.data import matching_ids

    if fmt not in FORMATS:
        err.print(f"unknown format {fmt!r}: use {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(code=2)
    store = _read_store(db)
    base = base_url or os.environ.get("FORCEWATCH_BASE_URL") or "http://127.0.0.1:8000"
    out = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        if articles:
            rows = articles_data(store)
            if fmt == "csv":
                first = next(rows, None)
                writer = csv.DictWriter(out, fieldnames=list(first) if first else ["id"])
                writer.writeheader()
                if first is not None:
                    writer.writerow(safe_row(first))
                writer.writerows(safe_row(r) for r in rows)
            else:
                json.dump(list(rows), out, indent=1)
                out.write("\n")
            return
        ids = matching_ids(store, listing.filters, listing.sort, listing.order)  # type: ignore[arg-type]
        if listing.limit:
            ids = ids[: listing.limit]
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
                writer.writerow(safe_row(formats.csv_row(rec)))
        elif fmt == "wapo":
            writer = csv.DictWriter(out, fieldnames=formats.WAPO_COLUMNS)
            writer.writeheader()
            for rec in records:
                if formats.is_us_shooting(rec):
                    writer.writerow(safe_row(formats.wapo_row(rec)))
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


def _refused(verb: str, e: ValueError) -> NoReturn:
    """One line naming what was refused and why, then exit 1 (merge, unmerge, split)."""
    err.print(f"{verb} refused: {escape(str(e))}")
    raise typer.Exit(code=1) from None


@app.command()
def merge(
    target: Annotated[int, typer.Argument(help="The incident that stays.", metavar="TARGET")],
    other: Annotated[int, typer.Argument(help="The incident merged into TARGET.", metavar="OTHER")],
    db: DbOption = None,
    reason: Annotated[str | None, typer.Option(help="Why, kept in the history.", metavar="TEXT")] = None,
    actor: Annotated[str, typer.Option(help="Who decided, kept in the history.", metavar="NAME")] = "cli",
) -> None:
    """Merge incident OTHER into TARGET, with its reviewed values (kept in history; `unmerge OTHER` undoes it)."""
    from forcewatch.run import merge_incidents

    store = _store(db)
    try:
        merge_incidents(store, target, other, actor, reason)
    except ValueError as e:
        _refused("merge", e)
    console.print(f"merged incident {other} into {target} (undo: forcewatch unmerge {other})")


@app.command()
def unmerge(
    incident_id: Annotated[int, typer.Argument(help="The incident that was merged away.", metavar="ID")],
    db: DbOption = None,
    reason: Annotated[str | None, typer.Option(help="Why, kept in history.", metavar="TEXT")] = None,
    actor: Annotated[str, typer.Option(help="Who, kept in history.", metavar="NAME")] = "cli",
) -> None:
    """Undo the merge of INCIDENT_ID: its articles and reviewed values come back (kept in history)."""
    from forcewatch.run import unmerge_incident

    store = _store(db)
    try:
        target, moved = unmerge_incident(store, incident_id, actor, reason)
    except ValueError as e:
        _refused("unmerge", e)
    console.print(f"moved {len(moved)} article(s) from incident {target} back into incident {incident_id}")


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
    try:
        new_id = split_incident(store, incident_id, article_ids, actor, reason)
    except ValueError as e:
        _refused("split", e)
    console.print(f"moved {len(set(article_ids))} article(s) into new incident {new_id}")


@app.command()
def duplicates(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per pair (as /api/duplicates).")] = False,
) -> None:
    """Possible duplicates: incident pairs whose evidence falls just short of linking, with the evidence
    for and against, for a person to confirm (`forcewatch merge A B`) or keep apart (`forcewatch apart A B`).
    Nothing is merged here."""
    import textwrap

    from forcewatch.web.data import possible_duplicates_view

    pairs = possible_duplicates_view(_store(db))
    if as_json:
        for p in pairs:
            print(json.dumps(p, default=str))
        return
    if not pairs:
        print("no possible duplicates")
        return
    width = _width()

    def said(value: Any) -> str:
        return "not stated" if value is None else ", ".join(value) if isinstance(value, list) else str(value)

    for p in pairs:
        a, b = p["first"], p["second"]
        print(f"Incidents {a['id']} and {b['id']}: score {p['score']:.1f} of {p['threshold']:.1f}")
        for item in (a, b):
            print(
                textwrap.fill(
                    f"{item['id']}: {item.get('headline') or '?'}",
                    width,
                    initial_indent="  ",
                    subsequent_indent="     ",
                )
            )
        for side in ("for", "against"):
            for e in p[side]:
                line = f"{side}: {e['kind']} {e['points']:+.2f} ({said(e['first'])} / {said(e['second'])})"
                print(textwrap.fill(line, width, initial_indent="  ", subsequent_indent="      "))
        print(f"  same: forcewatch merge {a['id']} {b['id']}   not the same: forcewatch apart {a['id']} {b['id']}")
        print()


@app.command()
def apart(
    first: Annotated[int, typer.Argument(help="One incident of a possible duplicate.", metavar="FIRST")],
    second: Annotated[int, typer.Argument(help="The other incident.", metavar="SECOND")],
    db: DbOption = None,
    reason: Annotated[str | None, typer.Option(help="Why, kept in the history.", metavar="TEXT")] = None,
    actor: Annotated[str, typer.Option(help="Who decided, kept in the history.", metavar="NAME")] = "cli",
) -> None:
    """Answer a possible duplicate with "not the same incident": kept in both histories; linking keeps them apart."""
    from forcewatch.link.duplicates import keep_apart

    try:
        keep_apart(_store(db), first, second, actor, reason)
    except ValueError as e:
        err.print(f"apart refused: {e}", markup=False)
        raise typer.Exit(code=1) from None
    print(f"incidents {first} and {second} kept apart (not listed as possible duplicates again)")


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
        for notice in result.notices:
            err.print(f"[yellow]note[/yellow] {escape(str(notice))}")
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
    """Create an editor NAME, or give one a new password (which ends all their sessions); kept in history."""
    from forcewatch.store.accounts import MAX_NAME, set_password
    from forcewatch.web.auth import hash_password

    if not name.strip() or len(name) > MAX_NAME:
        err.print(f"a name must have 1 to {MAX_NAME} characters")
        raise typer.Exit(code=2)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        err.print("use a password of at least 8 characters")
        raise typer.Exit(code=2)
    added = set_password(_store(db), name, hash_password(password), _actor())
    console.print(f"{'added' if added else 'new password for'} editor {escape(name)}")


def _actor() -> str:
    """Who runs an account command, for its history row (the login name, as git would take it)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


ReasonOption = Annotated[str | None, typer.Option(help="Why, kept in the account history.")]


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """Every editor: name, state (active or disabled), created."""
    from forcewatch.store.accounts import editors

    rows = editors(_store(db))
    for e in rows:
        state = f"disabled {e.disabled_at:%Y-%m-%d %H:%M}" if e.disabled_at else "active"
        console.print(f"{escape(e.name)}  {state}  created {e.created_at:%Y-%m-%d %H:%M}", highlight=False)
    if not rows:
        console.print("no editors yet: `forcewatch user add NAME`")


def _set_disabled(name: str, db: str | None, disabled: bool, reason: str | None) -> None:
    from forcewatch.store.accounts import set_disabled

    if not set_disabled(_store(db), name, disabled, _actor(), reason):
        err.print(f"no editor {escape(name)}")
        raise typer.Exit(code=1)
    console.print(f"editor {escape(name)} {'disabled: their sessions have ended' if disabled else 'enabled'}")


@user_app.command("disable")
def user_disable(name: EditorName, db: DbOption = None, reason: ReasonOption = None) -> None:
    """Stop editor NAME signing in and end their sessions (kept in history; `user enable` undoes it)."""
    _set_disabled(name, db, True, reason)


@user_app.command("enable")
def user_enable(name: EditorName, db: DbOption = None, reason: ReasonOption = None) -> None:
    """Let a disabled editor NAME sign in again (kept in history)."""
    _set_disabled(name, db, False, reason)


@user_app.command("remove")
def user_remove(name: EditorName, db: DbOption = None, reason: ReasonOption = None) -> None:
    """Delete editor NAME (kept in history; their reviews stay in incident history under their name)."""
    from forcewatch.store.accounts import remove

    if not remove(_store(db), name, _actor(), reason):
        err.print(f"no editor {escape(name)}")
        raise typer.Exit(code=1)
    console.print(f"removed editor {escape(name)}")


@user_app.command("history")
def user_history(
    name: Annotated[
        str | None, typer.Argument(help="One editor (default: every account change).", metavar="NAME")
    ] = None,
    db: DbOption = None,
) -> None:
    """Every change to the editors (or to NAME): when, what, who, why."""
    from forcewatch.store.accounts import account_history

    for e in account_history(_store(db), name):
        why = f"  ({escape(e.reason)})" if e.reason else ""
        console.print(
            f"{e.at:%Y-%m-%d %H:%M:%S}  {e.action:8} {escape(e.name)}  by {escape(e.actor)}{why}", highlight=False
        )


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
    with _progress("{task.description}", "bar", "count", "{task.fields[rate]}", "eta") as progress:
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


# --- publishing: alerts, releases, reconciliation (forcewatch/publish/) ----------------

# The filter options (DateFrom, Country, ...) are the ones `incidents` and `export` take.


@app.command()
def notify(
    webhook: Annotated[str, typer.Option("--webhook", help="URL that receives each event as a JSON POST.")],
    db: DbOption = None,
    date_from: DateFrom = "",
    date_to: DateTo = "",
    country: Country = "",
    region: Region = "",
    category: Category = "",
    agency: Agency = "",
    armed: Armed = "",
    since: Annotated[
        str | None, typer.Option(help="Only events on or after this day (YYYY-MM-DD), e.g. on a first run.")
    ] = None,
    tries: Annotated[int, typer.Option(help="Attempts per event (connection errors, 408, 429, 5xx).")] = 5,
    backoff: Annotated[float, typer.Option(help="First wait in seconds; doubled after each failed attempt.")] = 1.0,
    secret: Annotated[
        str | None,
        typer.Option(envvar="FORCEWATCH_WEBHOOK_SECRET", help="Sign each body: X-Forcewatch-Signature: sha256=HMAC."),
    ] = None,
    interval: Annotated[float, typer.Option(help="With --rounds above 1: seconds between rounds.")] = 300.0,
    rounds: Annotated[int, typer.Option(help="Delivery rounds (0: until interrupted).")] = 1,
) -> None:
    """POST new incidents and changed fields (of the incidents matching the filters) to a webhook.

    Each event goes once per webhook: the delivery log (table `deliveries`) records every
    attempt; failures are retried with back-off, and again on the next run."""
    import time
    from datetime import datetime

    import httpx

    from forcewatch.publish.notify import Sender
    from forcewatch.publish.notify import notify as deliver

    if not webhook.startswith(("http://", "https://")):
        err.print(f"--webhook {webhook!r}: give an http:// or https:// URL")
        raise typer.Exit(code=2)
    raw = {"date_from": date_from, "date_to": date_to, "country": country, "region": region, "category": category}
    raw |= {"agency": agency, "armed": armed, "conflicts": "", "reviewed": "", "search": ""}
    f = _check_listing({**raw, "sort": "id", "order": "asc", "limit": None}).filters
    store = _store(db)
    try:
        start = datetime.fromisoformat(since) if since else None
    except ValueError:
        err.print(f"--since {escape(since or '')!r}: write a day as YYYY-MM-DD")
        raise typer.Exit(code=2) from None
    problems = 0
    with httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0)) as client:
        sender = Sender(client, tries=max(1, tries), backoff=backoff, secret=secret)
        n = 0
        while True:
            n += 1
            result = deliver(
                store,
                webhook,
                f,
                sender,
                since=start,
                on_event=lambda e, s: err.print(f"{e.id} {escape(e.title)}: {s}"),
            )
            for event_id, problem in result.failed:
                err.print(f"[red]error[/red] {event_id}: {escape(problem)} (kept; retried next run)")
            console.print(
                f"{len(result.delivered)} delivered, {result.already} already delivered, "
                f"{len(result.failed)} failed, {len(result.rejected)} rejected"
            )
            problems = len(result.failed)
            if rounds and n >= rounds:
                break
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                raise typer.Exit(code=130) from None
    if problems:
        raise typer.Exit(code=2)


@app.command()
def release(
    name: Annotated[str, typer.Argument(help="A name for the release, e.g. 2026-Q4.")],
    db: DbOption = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Also write the release's files into this folder.")
    ] = None,
) -> None:
    """Freeze a dated, numbered snapshot (CSV, JSON, GeoJSON) with a changelog against the previous release."""
    from forcewatch.publish.release import ReleaseError, make_release, release_file, release_filenames

    store = _store(db)
    try:
        made, log = make_release(store, name)
    except ReleaseError as exc:
        err.print(escape(str(exc)))
        raise typer.Exit(code=2) from None
    c = log["counts"]
    console.print(
        f"release {made.number} {escape(made.name)} ({made.created_at.date()}): {made.incidents} incidents; "
        f"{c['added']} added, {c['merged']} merged, {c['split']} split, {c['retired']} retired, "
        f"{c['fields_changed']} fields changed"
    )
    if output:
        folder = output / f"release-{made.number}"
        folder.mkdir(parents=True, exist_ok=True)
        for item in release_filenames(store, made.number):
            content, _ = release_file(store, made.number, item["filename"])  # type: ignore[misc]
            (folder / item["filename"]).write_text(content, encoding="utf-8")
        console.print(f"files in {escape(str(folder))}")


@app.command()
def releases(db: DbOption = None, as_json: JsonFlag = False) -> None:
    """List the releases: number, name, date, incidents, changes."""
    from forcewatch.publish.release import list_releases

    items = [r.as_json() for r in list_releases(_store(db))]
    if as_json:
        print(json.dumps(items, indent=1))
        return
    table = Table("number", "name", "date", "incidents", "changes")
    for r in items:
        s = r["summary"]
        table.add_row(
            str(r["number"]),
            escape(r["name"]),
            r["date"],
            str(r["incidents"]),
            f"{s.get('added', 0)} added, {s.get('merged', 0)} merged, {s.get('split', 0)} split, "
            f"{s.get('retired', 0)} retired, {s.get('fields_changed', 0)} fields",
        )
    console.print(table)


@app.command()
def diff(
    a: Annotated[str, typer.Argument(help="The earlier release (number or name).")],
    b: Annotated[str, typer.Argument(help="The later release (number or name).")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable changelog.")] = False,
) -> None:
    """What changed between two releases: incidents added, merged, split, retired; every field changed and why."""
    from forcewatch.catalogue import value_label
    from forcewatch.publish.release import ReleaseError
    from forcewatch.publish.release import diff as release_diff

    try:
        log = release_diff(_store(db), a, b)
    except ReleaseError as exc:
        err.print(escape(str(exc)))
        raise typer.Exit(code=2) from None
    if as_json:
        print(json.dumps(log, indent=1, ensure_ascii=False, default=str))
        return
    c = log["counts"]
    console.print(
        f"release {log['previous']['number']} -> {log['release']['number']}: {c['incidents_before']} -> "
        f"{c['incidents_after']} incidents; {c['added']} added, {c['merged']} merged, {c['split']} split, "
        f"{c['retired']} retired, {c['fields_changed']} fields changed",
        markup=False,
        highlight=False,
    )
    for x in log["added"]:
        origin = f" (split from {x['split_from']})" if x["split_from"] else ""
        console.print(
            f"added incident {x['id']}{origin}: {x['date'] or '?'} {x['category'] or '?'} {x['locality'] or ''}",
            markup=False,
            highlight=False,
        )
    for x in log["merged"]:
        console.print(
            f"merged incident {x['id']} into {x['into']} by {x['actor']}: {x['reason'] or ''}",
            markup=False,
            highlight=False,
        )
    for x in log["retired"]:
        console.print(f"retired incident {x['id']}", markup=False, highlight=False)
    for ch in log["changed"]:
        why = "; ".join(f"{h['actor']} ({h['kind']}): {h['reason']}" for h in ch["history"] if h["kind"] != "auto")
        quote = ch["evidence"][0]["quote"] if ch["evidence"] else ""
        console.print(
            f"incident {ch['incident']} {ch['field']}: {value_label(ch['field'], ch['old'])} -> {value_label(ch['field'], ch['new'])}"
            + (f"  [{why}]" if why else "")
            + (f"  “{quote[:120]}”" if quote else ""),
            markup=False,
            highlight=False,
        )


@app.command()
def compare(
    wapo: Annotated[Path | None, typer.Option("--wapo", help="The Washington Post Fatal Force v2 CSV.")] = None,
    mpv: Annotated[Path | None, typer.Option("--mpv", help="Mapping Police Violence's CSV.")] = None,
    fe: Annotated[Path | None, typer.Option("--fe", help="Fatal Encounters' sheet as CSV.")] = None,
    db: DbOption = None,
    days: Annotated[int, typer.Option(help="Match rows dated within this many days of an incident.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole report as JSON.")] = False,
    show: Annotated[int, typer.Option(help="Rows of each list to print (missing rows, disagreements).")] = 20,
) -> None:
    """Match incidents to a reference database's rows; store the crosswalk ids; report coverage and agreement."""
    from forcewatch.catalogue import value_label
    from forcewatch.publish.compare import compare as run_compare

    given = [(name, path) for name, path in (("wapo", wapo), ("mpv", mpv), ("fe", fe)) if path is not None]
    if len(given) != 1:
        err.print("give one of --wapo FILE, --mpv FILE or --fe FILE")
        raise typer.Exit(code=2)
    database, path = given[0]
    if not path.exists():
        err.print(f"{escape(str(path))}: FW007 path not found")
        raise typer.Exit(code=2)
    report = run_compare(_store(db), path, database, days=days)
    for problem in report["problems"]:
        err.print(f"[red]error[/red] {escape(problem)}")
    if as_json:
        print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
        if not report["rows"]:
            raise typer.Exit(code=2)
        return
    cov = report["coverage"]
    say = lambda text: console.print(text, markup=False, highlight=False)  # noqa: E731
    say(
        f"{report['name']}: {report['rows']} rows ({report['period'][0]} to {report['period'][1]}); "
        f"forcewatch: {report['incidents']} incidents in that period and scope; {report['matched']} matched"
    )
    pct = lambda x: "-" if x is None else f"{100 * x:.0f}%"  # noqa: E731
    say(
        f"coverage: {pct(cov['rows_in_forcewatch'])} of their rows are in forcewatch; {pct(cov['incidents_in_reference'])} of forcewatch's are in theirs"
    )
    table = Table("field", "compared", "agree", "rate")
    for label, stats in report["agreement"].items():
        table.add_row(label, str(stats["compared"]), str(stats["agree"]), pct(stats["rate"]))
    console.print(table)
    for r in report["missing_from_forcewatch"][:show]:
        say(
            f"not in forcewatch: {database} {r['id']} {r['date']} {r['name'] or '?'}, {r['city'] or '?'} {r['state'] or ''}"
        )
    for o in report["missing_from_reference"][:show]:
        say(
            f"not in {database}: incident {o['id']} {o['date']} {o['name'] or '?'}, {o['city'] or '?'} {o['state'] or ''}"
        )
    for d in report["disagreements"][:show]:
        quote = d["quotes"][0] if d["quotes"] else None
        source = f" — {quote['outlet'] or quote['article']}: “{quote['quote'][:160]}”" if quote else ""
        say(
            f"disagree: incident {d['incident']} / {database} {d['row']} {d['field']}: forcewatch {value_label(d['field'], d['forcewatch'])}, {database} {d[database]}{source}"
        )
    est = report["estimate"]
    if est:
        say(
            f"capture-recapture (Chapman): about {est['total']:.0f} incidents in all "
            f"(95% interval {est['low']:.0f}-{est['high']:.0f}), {est['unseen']:.0f} on neither list"
        )
    if not report["rows"]:
        raise typer.Exit(code=2)


@app.command()
def coverage(
    db: DbOption = None,
    date_from: DateFrom = "",
    date_to: DateTo = "",
    country: Country = "",
    region: Region = "",
    category: Category = "",
    agency: Agency = "",
    armed: Armed = "",
    outlet: Annotated[
        list[str] | None, typer.Option(help="Two outlets to use as the lists (default: the two with most incidents).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Capture-recapture (Chapman) estimate of the incidents no list recorded: two outlets, and each compared database."""
    from forcewatch.publish.coverage import METHOD, outlet_estimate, reference_estimates

    raw = {"date_from": date_from, "date_to": date_to, "country": country, "region": region, "category": category}
    raw |= {"agency": agency, "armed": armed, "conflicts": "", "reviewed": "", "search": ""}
    f = _check_listing({**raw, "sort": "id", "order": "asc", "limit": None}).filters
    store = _store(db)
    if outlet and len(outlet) != 2:
        err.print("give --outlet twice (two lists), or not at all")
        raise typer.Exit(code=2)
    try:
        est = outlet_estimate(store, f, *outlet) if outlet else outlet_estimate(store, f)
    except ValueError as exc:
        err.print(escape(str(exc)))
        raise typer.Exit(code=2) from None
    refs = reference_estimates(store)
    if as_json:
        print(json.dumps({"outlets": est.as_json() if est else None, "references": refs, "method": METHOD}, indent=1))
        return
    say = lambda text: console.print(text, markup=False, highlight=False)  # noqa: E731
    if est:
        say(
            f"outlets {est.list_a} ({est.n_a}) and {est.list_b} ({est.n_b}), {est.both} on both: about {est.total:.0f} "
            f"incidents in all (95% interval {est.low:.0f}-{est.high:.0f}), {est.unseen:.0f} that neither reported"
        )
    else:
        say("fewer than two outlets report the matching incidents: no estimate from outlets")
    for r in refs:
        say(
            f"forcewatch ({r['n_a']}) and {r['database']} ({r['n_b']}), {r['both']} matched, {r['date_from']} to "
            f"{r['date_to']}: about {r['total']:.0f} in all (95% interval {r['low']:.0f}-{r['high']:.0f}), "
            f"{r['unseen']:.0f} on neither list"
        )
    say(METHOD)


def main() -> None:
    try:
        app()
    except Exception as e:
        from forcewatch.store.lock import WriterBusy

        if not isinstance(e, WriterBusy):
            raise
        err.print(f"[red]error[/red] {escape(str(e))} (FORCEWATCH_LOCK_TIMEOUT sets how long to wait)")
        raise SystemExit(75) from None  # EX_TEMPFAIL: try again later


if __name__ == "__main__":
    main()
