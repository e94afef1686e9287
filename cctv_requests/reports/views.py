"""The annual report for a financial year (April to March): a page with
charts, a PDF for the committee's papers, and a CSV.

Two versions (DESIGN.md section 3): the published one, for councillors and,
where the district allows, the public, with small numbers withheld and
nothing restricted; and the full one, for the board, the chair and the
coordinator, marked RESTRICTED and audited like the board's papers. Those
who may see the full version can open the published one to check what
councillors read.
"""

import csv
import io
from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user

from .. import audit
from ..access import RESTRICTED_ROLES, published
from ..extensions import db
from ..printing import pdf_response
from ..services import annual_report
from ..services.costs import year_label
from .figures import charts_for, csv_rows, decisions_shown, evaluations_shown, outcomes, written

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _full_version() -> bool:
    """Whether this viewer gets the restricted version: only those who may
    see board papers, and not when they ask for the published one."""
    return (
        current_user.is_authenticated
        and current_user.has_role(*RESTRICTED_ROLES)
        and request.args.get("version") != "published"
    )


def _report(year_start: int) -> annual_report.AnnualReport:
    today = date.today()
    if year_start not in annual_report.years_available(today):
        abort(404)
    return annual_report.build(year_start, today)


def _context(year_start: int) -> dict:
    full = _full_version()
    report = _report(year_start)
    threshold = current_app.config["SMALL_NUMBER_THRESHOLD"]
    return {
        "report": report,
        "full": full,
        "shown": lambda n: written(n, full, threshold)[1],
        "decisions_shown": decisions_shown(report, full, threshold),
        "evaluations_shown": evaluations_shown(report, full, threshold),
        "threshold": threshold,
        "charts": charts_for(report, full, threshold),
        "outcomes": outcomes(report),
        "today": date.today(),
        "title": f"Annual report {report.label}",
    }


def _audited(context: dict, how: str) -> None:
    if context["full"]:
        audit.record(
            f"report.{how}",
            actor=current_user,
            object_type="annual_report",
            object_id=context["report"].year_start,
        )
        db.session.commit()


@bp.route("")
@published
def index():
    years = annual_report.years_available(date.today())
    return render_template("reports/index.html", title="Annual reports", years=years, label=year_label)


@bp.route("/<int:year_start>")
@published
def report(year_start: int):
    context = _context(year_start)
    html = render_template("reports/report.html", **context)
    _audited(context, "viewed")
    return html


@bp.route("/<int:year_start>.pdf")
@published
def report_pdf(year_start: int):
    context = _context(year_start)
    response = pdf_response(render_template("reports/print.html", **context), _filename(context, "pdf"))
    _audited(context, "downloaded")
    return response


@bp.route("/<int:year_start>.csv")
@published
def report_csv(year_start: int):
    context = _context(year_start)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("Section", "Measure", "Value"))
    writer.writerows(
        tuple(map(_cell, row)) for row in csv_rows(context["report"], context["full"], context["threshold"])
    )
    _audited(context, "downloaded")
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_filename(context, "csv")}"'},
    )


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP's advice on
    CSV injection): text starting with = + - @ gets a leading apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _filename(context: dict, extension: str) -> str:
    report = context["report"]
    version = "restricted" if context["full"] else "published"
    return f"cctv-annual-report-{report.year_start}-{(report.year_start + 1) % 100:02d}-{version}.{extension}"
