"""The annual report's charts and CSV rows, in the version being read.

In the published version every count of requests goes through the
small-number rule; a withheld count has no bar in a chart and no number in
the CSV. Camera use, costs and the budget are not about people, so both
versions give them in full; the incidents before, during and after are
given in the published version only when enough deployments were evaluated.
"""

from ..services.annual_report import AnnualReport
from ..services.charts import Bar, bar_chart


def outcomes(report: AnnualReport) -> list[tuple[str, int]]:
    return [
        ("Received", report.received),
        ("Endorsed by a sponsor", report.endorsed),
        ("Not sponsored", report.not_sponsored),
        ("Approved", report.approved),
        ("Of those, by chair's action", report.approved_urgently),
        ("Rejected", report.rejected),
        ("Withdrawn", report.withdrawn),
        ("Cancelled after approval", report.cancelled),
    ]


def evaluations_shown(report: AnnualReport, full: bool, threshold: int) -> bool:
    return full or len(report.evaluations) >= threshold


def decisions_shown(report: AnnualReport, full: bool, threshold: int) -> bool:
    return full or len(report.decision_days) >= threshold


def written(n: int, full: bool, threshold: int) -> tuple[int | None, str]:
    """A count as the version being read gives it: (value, words), the value
    None when it is withheld as a small number (DESIGN.md section 3)."""
    if full or n == 0 or n >= threshold:
        return n, f"{n:,}" if n or full else "None"
    return None, f"Fewer than {threshold}"


def charts_for(report: AnnualReport, full: bool, threshold: int) -> dict[str, str]:
    charts = {
        "requests": bar_chart(
            [Bar(label, *written(n, full, threshold)) for label, n in outcomes(report)],
            f"Requests in {report.label}",
            "How many requests were received, endorsed, approved, rejected, withdrawn and cancelled in the "
            "year. The figures are in the table below.",
            key="requests",
        ),
        "cameras": bar_chart(
            [Bar(c.label, c.percent, f"{c.percent}%") for c in report.cameras]
            + [Bar("All cameras", report.utilisation_percent, f"{report.utilisation_percent}%")],
            "Share of days each camera was up",
            "For each camera, the share of the year's days it was up at a site. The figures are in the "
            "table below.",
            key="cameras",
            scale_to=100,
        ),
    }
    if evaluations_shown(report, full, threshold) and report.evaluations:
        before, during, after = report.evaluation_totals
        charts["incidents"] = bar_chart(
            [
                Bar(name, n, f"{n:,}")
                for name, n in (("Before", before), ("During", during), ("After", after))
            ],
            "Incidents before, during and after",
            "Incidents at the evaluated sites before, during and after the camera was there, added up. "
            "The figures are in the table below.",
            key="incidents",
        )
    money = report.costs
    if money.budget is not None:
        charts["costs"] = bar_chart(
            [
                Bar(label, float(amount), f"£{amount:,.0f}")
                for label, amount in (
                    ("Budget", money.budget),
                    ("Spent", money.actual),
                    ("Booked, not yet spent", money.committed),
                )
            ],
            "Costs against the budget",
            "The budget for moving cameras in the year, what was spent and what is booked. The figures "
            "are in the table below.",
            key="costs",
        )
    return charts


def csv_rows(report: AnnualReport, full: bool, threshold: int) -> list[tuple[str, str, str]]:
    """The report's figures as (section, measure, value) rows, as the page
    gives them."""

    def shown(n: int) -> str:
        return written(n, full, threshold)[1]

    rows = [
        ("Report", "Financial year", report.label),
        ("Report", "Counted from", report.first.isoformat()),
        ("Report", "Counted to", report.last.isoformat()),
        ("Report", "Version", "Restricted" if full else "Published"),
    ]
    rows += [("Requests", label, shown(n)) for label, n in outcomes(report)]
    for section, breakdown in (
        ("By CSP priority", report.by_priority),
        ("By ward", report.by_ward),
        ("By intelligence source", report.by_source),
    ):
        for row in breakdown:
            rows += [
                (section, f"{row.label}: received", shown(row.received)),
                (section, f"{row.label}: approved", shown(row.approved)),
                (section, f"{row.label}: rejected", shown(row.rejected)),
            ]
    rows.append(("Days to a decision", "Decisions", shown(len(report.decision_days))))
    if decisions_shown(report, full, threshold) and report.decision_days:
        rows += [
            ("Days to a decision", "Median", f"{report.median_days:g}"),
            ("Days to a decision", "Shortest", str(report.shortest_days)),
            ("Days to a decision", "Longest", str(report.longest_days)),
        ]
    rows += [("Camera use", c.label, f"{c.percent}%") for c in report.cameras]
    rows.append(("Camera use", "All cameras", f"{report.utilisation_percent}%"))
    rows += [
        ("Reviews", "Held", shown(report.reviews_held)),
        ("Reviews", "Held on time", shown(report.reviews_on_time)),
    ]
    money = report.costs
    rows += [
        ("Costs", "Budget", "" if money.budget is None else f"{money.budget:.2f}"),
        ("Costs", "Spent", f"{money.actual:.2f}"),
        ("Costs", "Booked, not yet spent", f"{money.committed:.2f}"),
    ]
    rows.append(("Evaluations", "Deployments evaluated", shown(len(report.evaluations))))
    if evaluations_shown(report, full, threshold) and report.evaluations:
        before, during, after = report.evaluation_totals
        rows += [
            ("Evaluations", "Incidents before", str(before)),
            ("Evaluations", "Incidents during", str(during)),
            ("Evaluations", "Incidents after", str(after)),
        ]
        if full:
            rows += [
                ("Evaluation", f"{e.reference} ({e.ward})", f"{e.before}/{e.during}/{e.after}")
                for e in report.evaluations
            ]
    return rows
