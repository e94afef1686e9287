"""The annual report's pages: the report, its PDF and CSV, and the list of
years, in the published version (small numbers withheld, DESIGN.md section 3)
and the full one (exact, restricted, audited).

The worked example is the financial year 2025 to 2026 (1 April 2025 to
31 March 2026, 365 days), over by the time the tests run, so today does not
move its figures. Steps are at noon, London time.

  ref             ward       sources    steps (2025 unless given)               decision
  CCTV-2025-0001  Oxhey      police     submit 10 Apr; endorse 15 Apr;           40 days
                                        approve 20 May; evaluated 2 Mar 2026
  CCTV-2025-0002  Oxhey      police     submit 1 May; endorse 5 May;             31 days
                                        approve 1 Jun; evaluated 3 Mar 2026
  CCTV-2025-0003  Oxhey      community  submit 1 Jun; endorse 3 Jun;             4 days
                                        approve_urgently 5 Jun
  CCTV-2025-0004  Leavesden  community  submit 1 Jul; endorse 2 Jul;             31 days
                                        reject 1 Aug
  CCTV-2025-0005  Leavesden  police     submit 1 Sep; decline 8 Sep              -

Added up by hand:
  Requests: received 5, endorsed 4, not sponsored 1, approved 3 (of those
  1 by chair's action), rejected 1, withdrawn 0, cancelled 0.
  By ward: Leavesden received 2, approved 0, rejected 1;
           Oxhey received 3, approved 3, rejected 0.
  Days to a decision: 4, 31, 31, 40 -> 4 decisions, median 31, quickest 4,
  slowest 40.
  Evaluations: 0001 before 10, during 4, after 6; 0002 8, 2, 5 -> 2
  deployments, totals 18, 6, 11.
  Cameras: North gate (CAM-A) up all 365 days (100%); South gate (CAM-B)
  1 Apr to 30 Sep, 183 days (50%); all cameras 548 of 730 days (75%). The
  chart's bars are 300 wide at 100% (its room for a bar), so 150 at 50% and
  225 at 75%.
  Costs: budget 10,000.00 (set below); spent 1,200.00 + 800.00 = 2,000.00
  on the two requests whose cameras went up; nothing booked.
  Reviews: none, except in the reviews test, which adds one held on
  1 Aug 2025 for CCTV-2025-0001, due 2 Aug (on time).
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from cctv_requests.extensions import db
from cctv_requests.models import MoveRequest
from cctv_requests.services.deployments import DeploymentRules
from tests import factories
from tests.conftest import config_for
from tests.readers import events, page

LONDON = ZoneInfo("Europe/London")
YEAR = 2025
REPORT = f"/reports/{YEAR}"
TITLE = "Annual report 2025 to 2026"
# The financial year holding today, worked out here rather than by the service.
_today = date.today()
CURRENT_YEAR = _today.year if _today.month >= 4 else _today.year - 1


@pytest.fixture
def app_config(database_url):
    # The budget and the evaluation's "after" period written here, so the
    # figures do not depend on the district file.
    rules = DeploymentRules(evaluation_after_weeks=12, budgets=((YEAR, Decimal("10000.00")),))
    return config_for(database_url, DEPLOYMENT_RULES=rules)


# --- the worked example ------------------------------------------------------------------------


def at(year: int, month: int, day: int) -> datetime:
    """Noon in London."""
    return datetime(year, month, day, 12, tzinfo=LONDON)


step = factories.step


def example() -> dict:
    """The requests, cameras and deployments of the table above."""
    oxhey, leavesden = factories.ward("Oxhey"), factories.ward("Leavesden")
    violence = factories.priority(YEAR, "Violence")
    oxhey_site, leavesden_site = factories.site(oxhey), factories.site(leavesden)

    def request(reference, site, sources, status, **fields):
        return factories.move_request(
            reference=reference,
            site_obj=site,
            priority_id=violence.id,
            intelligence_sources=sources,
            status=status,
            **fields,
        )

    mr = request(
        "CCTV-2025-0001",
        oxhey_site,
        "police",
        "closed",
        installed_on=date(2025, 6, 2),
        removed_on=date(2025, 9, 1),
        actual_cost=Decimal("1200.00"),
        incidents_before=10,
        incidents_during=4,
        incidents_after=6,
    )
    step(mr, "submit", at(2025, 4, 10), "draft", "submitted")
    step(mr, "endorse", at(2025, 4, 15), "submitted", "endorsed")
    step(mr, "approve", at(2025, 5, 20), "on_agenda", "approved")
    step(mr, "record_evaluation", at(2026, 3, 2), "ended", "closed")

    mr = request(
        "CCTV-2025-0002",
        oxhey_site,
        "police",
        "closed",
        installed_on=date(2025, 7, 1),
        removed_on=date(2025, 10, 1),
        actual_cost=Decimal("800.00"),
        incidents_before=8,
        incidents_during=2,
        incidents_after=5,
    )
    step(mr, "submit", at(2025, 5, 1), "draft", "submitted")
    step(mr, "endorse", at(2025, 5, 5), "submitted", "endorsed")
    step(mr, "approve", at(2025, 6, 1), "on_agenda", "approved")
    step(mr, "record_evaluation", at(2026, 3, 3), "ended", "closed")

    mr = request("CCTV-2025-0003", oxhey_site, "community", "approved")
    step(mr, "submit", at(2025, 6, 1), "draft", "submitted")
    step(mr, "endorse", at(2025, 6, 3), "submitted", "endorsed")
    step(mr, "approve_urgently", at(2025, 6, 5), "endorsed", "approved")

    mr = request("CCTV-2025-0004", leavesden_site, "community", "rejected")
    step(mr, "submit", at(2025, 7, 1), "draft", "submitted")
    step(mr, "endorse", at(2025, 7, 2), "submitted", "endorsed")
    step(mr, "reject", at(2025, 8, 1), "on_agenda", "rejected")

    mr = request("CCTV-2025-0005", leavesden_site, "police", "not_sponsored")
    step(mr, "submit", at(2025, 9, 1), "draft", "submitted")
    step(mr, "decline", at(2025, 9, 8), "submitted", "not_sponsored")
    db.session.commit()

    north = factories.camera(name="North gate", asset_tag="CAM-A")
    south = factories.camera(name="South gate", asset_tag="CAM-B")
    factories.deployment(north, oxhey_site, installed_on=date(2025, 1, 1))
    factories.deployment(south, leavesden_site, installed_on=date(2025, 4, 1), removed_on=date(2025, 10, 1))
    return {"oxhey": oxhey, "violence": violence}


def more_requests(how_many: int, ward, priority) -> None:
    """Requests that each take every step the report counts in 2025 to 2026,
    are evaluated, and have a camera of their own up for part of the year."""
    site = factories.site(ward)
    for _ in range(how_many):
        mr = factories.move_request(
            site_obj=site,
            priority_id=priority.id,
            status="closed",
            installed_on=date(2025, 6, 1),
            removed_on=date(2025, 9, 1),
            actual_cost=Decimal("100.00"),
            incidents_before=3,
            incidents_during=1,
            incidents_after=2,
        )
        step(mr, "submit", at(2025, 5, 1), "draft", "submitted")
        step(mr, "endorse", at(2025, 5, 2), "submitted", "endorsed")
        step(mr, "approve", at(2025, 6, 1), "on_agenda", "approved")
        step(mr, "record_evaluation", at(2026, 1, 5), "ended", "closed")
        factories.deployment(
            factories.camera(), site, installed_on=date(2025, 6, 1), removed_on=date(2025, 9, 1)
        )
    db.session.commit()


# --- readers ------------------------------------------------------------------------------------


def cells(soup, caption: str) -> dict[str, list[str]]:
    """The table with ``caption``: each row's header to its other cells."""
    table = next((t for t in soup.select("table") if t.caption.get_text(strip=True) == caption), None)
    assert table is not None, f"no table {caption!r}"
    rows = {}
    for tr in table.select("tbody tr"):
        header = tr.find("th")
        rows[header.get_text(" ", strip=True) if header else ""] = [
            td.get_text(" ", strip=True) for td in tr.find_all("td")
        ]
    return rows


def requests_table(response) -> dict[str, str]:
    return {label: values[0] for label, values in cells(page(response), "Requests in the year").items()}


def summary(soup) -> dict[str, str]:
    """Every summary-list row on the page: its key to its value."""
    return {
        row.find("dt").get_text(" ", strip=True): row.find("dd").get_text(" ", strip=True)
        for row in soup.select(".govuk-summary-list__row")
    }


def charts(response) -> dict[str, object]:
    """The report's charts by their <title>."""
    return {svg.find("title").get_text(): svg for svg in page(response).select("svg.app-chart")}


def bars(svg) -> dict[str, tuple[float | None, str]]:
    """Each bar of a chart: its label to (the width of its rect, or None
    when it has none; the words at its end)."""
    found: list[list] = []
    for element in svg.find_all(["text", "rect"]):
        if element.name == "text" and "app-chart__label" in element.get("class", []):
            found.append([element.get_text(), None, None])
        elif element.name == "rect":
            found[-1][1] = float(element["width"])
        else:
            found[-1][2] = element.get_text()
    return {label: (width, shown) for label, width, shown in found}


def csv_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def restricted_tag(response) -> bool:
    return any(t.get_text(strip=True) == "Restricted" for t in page(response).select("strong.govuk-tag"))


def statements_during(client, path: str):
    """The response to GET ``path`` and every statement sent while serving it."""
    seen: list[str] = []

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", on_statement)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_statement)
    return response, seen


# --- small numbers -----------------------------------------------------------------------------


PUBLISHED_REQUESTS = {
    "Received": "5",
    "Endorsed by a sponsor": "Fewer than 5",  # 4
    "Not sponsored": "Fewer than 5",  # 1
    "Approved": "Fewer than 5",  # 3
    "Of those, by chair's action": "Fewer than 5",  # 1
    "Rejected": "Fewer than 5",  # 1
    "Withdrawn": "None",
    "Cancelled after approval": "None",
}

FULL_REQUESTS = {
    "Received": "5",
    "Endorsed by a sponsor": "4",
    "Not sponsored": "1",
    "Approved": "3",
    "Of those, by chair's action": "1",
    "Rejected": "1",
    "Withdrawn": "0",
    "Cancelled after approval": "0",
}


def test_a_councillor_reads_small_numbers_withheld_at_the_threshold(app, client, login_as):
    example()
    login_as("councillor")
    response = client.get(REPORT)
    assert response.status_code == 200
    assert requests_table(response) == PUBLISHED_REQUESTS
    assert cells(page(response), "By ward") == {
        "Leavesden": ["Fewer than 5", "None", "Fewer than 5"],
        "Oxhey": ["Fewer than 5", "Fewer than 5", "None"],
    }
    assert 'counts from 1 to 4 are shown as "fewer than 5"' in response.get_data(as_text=True)


def test_the_board_reads_the_same_figures_exactly(app, client, login_as):
    example()
    login_as("board")
    response = client.get(REPORT)
    assert requests_table(response) == FULL_REQUESTS
    assert cells(page(response), "By ward") == {"Leavesden": ["2", "0", "1"], "Oxhey": ["3", "3", "0"]}
    assert cells(page(response), "By CSP priority") == {"Violence": ["5", "3", "1"]}


def test_a_threshold_of_3_withholds_2_and_gives_3(app, client, login_as):
    example()
    app.config["SMALL_NUMBER_THRESHOLD"] = 3
    login_as("councillor")
    response = client.get(REPORT)
    assert requests_table(response) == {
        "Received": "5",
        "Endorsed by a sponsor": "4",
        "Not sponsored": "Fewer than 3",
        "Approved": "3",
        "Of those, by chair's action": "Fewer than 3",
        "Rejected": "Fewer than 3",
        "Withdrawn": "None",
        "Cancelled after approval": "None",
    }
    assert cells(page(response), "By ward") == {
        "Leavesden": ["Fewer than 3", "None", "Fewer than 3"],
        "Oxhey": ["3", "3", "None"],
    }
    rows = csv_of(client.get(f"{REPORT}.csv"))
    assert ["By ward", "Leavesden: received", "Fewer than 3"] in rows
    assert ["By ward", "Oxhey: received", "3"] in rows
    assert ["Requests", "Approved", "3"] in rows
    assert ["Requests", "Not sponsored", "Fewer than 3"] in rows


# --- what the published version leaves out -------------------------------------------------------


def test_the_published_version_gives_no_decision_times_and_no_evaluated_requests(app, client, login_as):
    example()
    login_as("councillor")
    response = client.get(REPORT)
    body = response.get_data(as_text=True)
    soup = page(response)
    # 4 decisions and 2 evaluations, both fewer than 5.
    assert "There were fewer than 5 decisions" in body
    assert not {"Median (half took this long or less)", "Quickest", "Slowest"} & set(summary(soup))
    assert "Fewer than 5 deployments were evaluated" in body
    assert "CCTV-2025-0001" not in body and "CCTV-2025-0002" not in body
    assert "Incidents before, during and after" not in charts(response)


def test_the_full_version_gives_decision_times_and_each_evaluated_request(app, client, login_as):
    example()
    login_as("board")
    response = client.get(REPORT)
    soup = page(response)
    shown = summary(soup)
    assert shown["Median (half took this long or less)"] == "31 days"
    assert shown["Quickest"] == "4 days"
    assert shown["Slowest"] == "40 days"
    rows = [
        [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in next(
            t
            for t in soup.select("table")
            if t.caption.get_text(strip=True) == "Incidents at the evaluated sites"
        ).select("tbody tr")
    ]
    assert rows == [
        ["CCTV-2025-0001", "Oxhey", "10", "4", "6"],
        ["CCTV-2025-0002", "Oxhey", "8", "2", "5"],
        ["18", "6", "11"],
    ]


def test_at_the_threshold_the_published_version_gives_times_and_totals_but_no_requests(app, client, login_as):
    example()
    login_as("councillor")
    app.config["SMALL_NUMBER_THRESHOLD"] = 4  # exactly the 4 decisions
    shown = summary(page(client.get(REPORT)))
    assert shown["Median (half took this long or less)"] == "31 days"
    assert (shown["Quickest"], shown["Slowest"]) == ("4 days", "40 days")

    app.config["SMALL_NUMBER_THRESHOLD"] = 2  # exactly the 2 evaluations
    response = client.get(REPORT)
    body = response.get_data(as_text=True)
    assert "2 deployments were evaluated" in body
    assert "CCTV-2025-0001" not in body and "CCTV-2025-0002" not in body
    totals = cells(page(response), "Incidents at the evaluated sites")
    assert totals == {"": ["18", "6", "11"]}
    table = next(t for t in page(response).select("table") if "evaluated sites" in t.caption.get_text())
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Before", "During", "After"]
    rows = csv_of(client.get(f"{REPORT}.csv"))
    assert ["Evaluations", "Incidents before", "18"] in rows
    assert not [row for row in rows if row[0] == "Evaluation"]


def reviews_sentence(response) -> str:
    heading = page(response).find("h2", id="reviews")
    return " ".join(heading.find_next("p").get_text(" ", strip=True).split())


@pytest.mark.parametrize(
    "role, sentence",
    [
        # One review, held on time: "review was" would tell a councillor it was exactly 1.
        (
            "councillor",
            "Fewer than 5 reviews were held. Fewer than 5 were held on or before the day they were due.",
        ),
        ("board", "1 review was held. 1 was held on or before the day it was due."),
    ],
    ids=["published", "full"],
)
def test_a_single_review_is_not_given_away_by_the_grammar(app, client, login_as, role, sentence):
    example()
    live = db.session.scalar(sa.select(MoveRequest).where(MoveRequest.reference == "CCTV-2025-0001"))
    step(live, "continue_deployment", at(2025, 8, 1), "live", "live", review_was_due="2025-08-02")
    db.session.commit()
    login_as(role)
    response = client.get(REPORT)
    assert reviews_sentence(response) == sentence
    rows = csv_of(client.get(f"{REPORT}.csv"))
    held = "Fewer than 5" if role == "councillor" else "1"
    assert ["Reviews", "Held", held] in rows
    assert ["Reviews", "Held on time", held] in rows


# --- who gets which version ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?version=full", "?version=restricted"])
def test_a_councillor_gets_the_published_version_whatever_they_ask(app, client, login_as, query):
    example()
    login_as("councillor")
    response = client.get(REPORT + query)
    assert response.status_code == 200
    assert not restricted_tag(response)
    assert requests_table(response)["Endorsed by a sponsor"] == "Fewer than 5"
    assert events("report.viewed") == []


@pytest.mark.parametrize("role", ["board", "chair", "coordinator"])
def test_the_restricted_roles_get_the_full_version_and_it_is_audited(app, client, login_as, role):
    example()
    viewer = login_as(role)
    response = client.get(REPORT)
    assert restricted_tag(response)
    assert requests_table(response)["Endorsed by a sponsor"] == "4"
    assert events("report.viewed") == [(viewer.id, "annual_report", YEAR)]


def test_the_coordinator_can_read_the_published_version_unaudited(app, client, login_as):
    example()
    login_as("coordinator")
    response = client.get(f"{REPORT}?version=published")
    assert response.status_code == 200
    assert not restricted_tag(response)
    assert requests_table(response) == PUBLISHED_REQUESTS
    assert "See the full version" in response.get_data(as_text=True)
    csv_response = client.get(f"{REPORT}.csv?version=published")
    assert ["Report", "Version", "Published"] in csv_of(csv_response)
    assert events("report.viewed") == []
    assert events("report.downloaded") == []


def test_the_coordinators_full_view_and_downloads_are_each_audited_once(app, client, login_as):
    example()
    coordinator = login_as("coordinator")
    client.get(REPORT)
    assert events("report.viewed") == [(coordinator.id, "annual_report", YEAR)]
    assert events("report.downloaded") == []
    client.get(f"{REPORT}.pdf")
    assert events("report.downloaded") == [(coordinator.id, "annual_report", YEAR)]
    client.get(f"{REPORT}.csv")
    assert events("report.downloaded") == [(coordinator.id, "annual_report", YEAR)] * 2
    assert events("report.viewed") == [(coordinator.id, "annual_report", YEAR)]


# --- the charts ----------------------------------------------------------------------------------


def test_each_chart_is_an_image_named_by_its_own_title_and_description(app, client, login_as):
    example()
    login_as("board")
    found = charts(client.get(REPORT))
    assert set(found) == {
        "Requests in 2025 to 2026",
        "Share of days each camera was up",
        "Incidents before, during and after",
        "Costs against the budget",
    }
    ids = []
    for svg in found.values():
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title")["id"] == title_id
        assert svg.find("desc")["id"] == desc_id
        assert svg.find("desc").get_text().strip()
        ids += [title_id, desc_id]
    assert len(ids) == len(set(ids)), "chart ids repeat on the page"


def test_a_withheld_count_has_no_bar_only_its_words(app, client, login_as):
    example()
    login_as("councillor")
    chart = bars(charts(client.get(REPORT))["Requests in 2025 to 2026"])
    assert chart == {
        "Received": (300.0, "5"),
        "Endorsed by a sponsor": (None, "Fewer than 5"),
        "Not sponsored": (None, "Fewer than 5"),
        "Approved": (None, "Fewer than 5"),
        "Of those, by chair's action": (None, "Fewer than 5"),
        "Rejected": (None, "Fewer than 5"),
        "Withdrawn": (0.0, "None"),
        "Cancelled after approval": (0.0, "None"),
    }


def test_the_full_versions_bars_are_in_proportion_to_the_counts(app, client, login_as):
    example()
    login_as("board")
    chart = bars(charts(client.get(REPORT))["Requests in 2025 to 2026"])
    # 300 wide for the largest, 5: 60 a request.
    assert chart == {
        "Received": (300.0, "5"),
        "Endorsed by a sponsor": (240.0, "4"),
        "Not sponsored": (60.0, "1"),
        "Approved": (180.0, "3"),
        "Of those, by chair's action": (60.0, "1"),
        "Rejected": (60.0, "1"),
        "Withdrawn": (0.0, "0"),
        "Cancelled after approval": (0.0, "0"),
    }


@pytest.mark.parametrize("role", ["councillor", "board"])
def test_the_camera_bars_are_in_proportion_to_the_share_of_days(app, client, login_as, role):
    example()
    login_as(role)
    response = client.get(REPORT)
    chart = bars(charts(response)["Share of days each camera was up"])
    assert chart == {
        "North gate (CAM-A)": (300.0, "100%"),
        "South gate (CAM-B)": (150.0, "50%"),
        "All cameras": (225.0, "75%"),
    }
    assert chart["South gate (CAM-B)"][0] * 2 == chart["North gate (CAM-A)"][0]
    assert cells(page(response), "Days each camera was up at a site") == {
        "North gate (CAM-A)": ["365", "365", "100%"],
        "South gate (CAM-B)": ["183", "365", "50%"],
        "All cameras": ["548", "730", "75%"],
    }


# --- the CSV -------------------------------------------------------------------------------------


def test_the_published_csv_withholds_small_numbers(app, client, login_as):
    example()
    login_as("councillor")
    response = client.get(f"{REPORT}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "published" in disposition and "restricted" not in disposition
    rows = csv_of(response)
    assert rows[0] == ["Section", "Measure", "Value"]
    for row in (
        ["Report", "Financial year", "2025 to 2026"],
        ["Report", "Counted from", "2025-04-01"],
        ["Report", "Counted to", "2026-03-31"],
        ["Report", "Version", "Published"],
        ["Requests", "Received", "5"],
        ["Requests", "Endorsed by a sponsor", "Fewer than 5"],
        ["Requests", "Not sponsored", "Fewer than 5"],
        ["Requests", "Withdrawn", "None"],
        ["By ward", "Leavesden: received", "Fewer than 5"],
        ["By ward", "Leavesden: approved", "None"],
        ["By CSP priority", "Violence: received", "5"],
        ["Days to a decision", "Decisions", "Fewer than 5"],
        ["Camera use", "North gate (CAM-A)", "100%"],
        ["Camera use", "South gate (CAM-B)", "50%"],
        ["Camera use", "All cameras", "75%"],
        ["Costs", "Budget", "10000.00"],
        ["Costs", "Spent", "2000.00"],
        ["Costs", "Booked, not yet spent", "0.00"],
        ["Evaluations", "Deployments evaluated", "Fewer than 5"],
    ):
        assert row in rows, row
    measures = {row[1] for row in rows}
    assert not {"Median", "Shortest", "Longest", "Incidents before"} & measures
    assert not [row for row in rows if row[0] == "Evaluation"]
    assert "CCTV-2025" not in response.get_data(as_text=True)


def test_the_full_csv_is_exact_and_restricted(app, client, login_as):
    example()
    login_as("board")
    response = client.get(f"{REPORT}.csv")
    assert response.mimetype == "text/csv"
    assert "restricted" in response.headers["Content-Disposition"]
    rows = csv_of(response)
    assert rows[0] == ["Section", "Measure", "Value"]
    for row in (
        ["Report", "Version", "Restricted"],
        ["Requests", "Received", "5"],
        ["Requests", "Endorsed by a sponsor", "4"],
        ["Requests", "Not sponsored", "1"],
        ["Requests", "Withdrawn", "0"],
        ["By ward", "Leavesden: received", "2"],
        ["Days to a decision", "Decisions", "4"],
        ["Days to a decision", "Median", "31"],
        ["Days to a decision", "Shortest", "4"],
        ["Days to a decision", "Longest", "40"],
        ["Evaluations", "Deployments evaluated", "2"],
        ["Evaluations", "Incidents before", "18"],
        ["Evaluations", "Incidents during", "6"],
        ["Evaluations", "Incidents after", "11"],
        ["Evaluation", "CCTV-2025-0001 (Oxhey)", "10/4/6"],
        ["Evaluation", "CCTV-2025-0002 (Oxhey)", "8/2/5"],
    ):
        assert row in rows, row


# --- the PDF -------------------------------------------------------------------------------------


def test_the_published_pdf_has_the_title_and_is_not_marked_restricted(app, client, login_as):
    example()
    login_as("councillor")
    response = client.get(f"{REPORT}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "published" in response.headers["Content-Disposition"]
    text = pdf_text(response)
    assert TITLE in text
    assert "Published version" in text
    assert "RESTRICTED" not in text
    assert events("report.downloaded") == []


def test_the_full_pdf_is_marked_restricted(app, client, login_as):
    example()
    login_as("chair")
    response = client.get(f"{REPORT}.pdf")
    assert response.mimetype == "application/pdf"
    assert "restricted" in response.headers["Content-Disposition"]
    text = pdf_text(response)
    assert TITLE in text
    assert "RESTRICTED" in text
    assert "CCTV-2025-0001" in text


# --- which years ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "year",
    [1990, YEAR - 1, CURRENT_YEAR + 1],
    ids=["long-ago", "before-the-first-request", "next-year"],
)
@pytest.mark.parametrize("suffix", ["", ".pdf", ".csv"])
def test_a_year_with_no_report_is_not_found(app, client, login_as, year, suffix):
    example()
    login_as("board")
    assert client.get(f"/reports/{year}{suffix}").status_code == 404
    assert events("report.viewed") == events("report.downloaded") == []


def test_the_list_gives_the_years_newest_first_and_each_link_opens(app, client, login_as):
    example()
    login_as("councillor")
    response = client.get("/reports")
    assert response.status_code == 200
    links = [
        (a.get_text(strip=True), a["href"])
        for a in page(response).select("main .govuk-list a")
        if a.get_text(strip=True).startswith("Annual report")
    ]
    years = list(range(CURRENT_YEAR, YEAR - 1, -1))  # today's year back to the first request's
    assert links == [(f"Annual report {y} to {y + 1}", f"/reports/{y}") for y in years]
    for text, href in links:
        opened = client.get(href)
        assert opened.status_code == 200
        assert page(opened).find("h1").get_text(strip=True) == text


# --- queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["councillor", "board"])
def test_the_page_sends_as_many_queries_for_ten_times_the_data(app, client, login_as, role):
    made = example()
    login_as(role)
    small_response, small = statements_during(client, REPORT)
    assert requests_table(small_response)["Received"] == "5"

    more_requests(45, made["oxhey"], made["violence"])
    large_response, large = statements_during(client, REPORT)
    assert requests_table(large_response)["Received"] == "50"
    assert len(bars(charts(large_response)["Share of days each camera was up"])) == 48
    assert len(large) == len(small)


def test_a_csv_cell_never_starts_a_formula(app, client, login_as):
    example()
    # A ward name is the district's own text: one that looks like a formula
    # reaches the spreadsheet as text (OWASP, CSV injection).
    factories.ward('=HYPERLINK("http://example.org","Click")')
    login_as("councillor")
    rows = csv_of(client.get(f"{REPORT}.csv"))
    measures = [measure for section, measure, _ in rows if section == "By ward"]
    assert '\'=HYPERLINK("http://example.org","Click"): received' in measures
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]


@pytest.mark.parametrize("first", ["=", "+", "-", "@"])
def test_no_cell_starts_with_a_formula_character(client, login_as, first):
    example()
    factories.ward(f"{first}1+1")
    login_as("councillor")
    rows = csv_of(client.get(f"{REPORT}.csv"))
    assert ["By ward", f"'{first}1+1: received", "None"] in rows


@pytest.mark.parametrize(
    ("role", "path", "filename"),
    [
        ("councillor", f"{REPORT}.csv", "cctv-annual-report-2025-26-published.csv"),
        ("board", f"{REPORT}.csv", "cctv-annual-report-2025-26-restricted.csv"),
        ("board", f"{REPORT}.pdf?version=published", "cctv-annual-report-2025-26-published.pdf"),
        ("coordinator", f"{REPORT}.pdf", "cctv-annual-report-2025-26-restricted.pdf"),
    ],
)
def test_each_download_is_named_for_its_year_and_version(client, login_as, role, path, filename):
    example()
    login_as(role)
    response = client.get(path)
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_the_csv_gives_every_breakdown_and_a_year_with_no_budget(client, login_as):
    example()
    login_as("board")
    # This year has no budget in this test's rules, which give only 2025's.
    rows = csv_of(client.get(f"/reports/{CURRENT_YEAR}.csv"))
    assert ["Costs", "Budget", ""] in rows
    rows = csv_of(client.get(f"{REPORT}.csv"))
    assert ["Costs", "Budget", "10000.00"] in rows
    sections = {section for section, _, _ in rows[1:]}
    assert {"By CSP priority", "By ward", "By intelligence source"} <= sections
    # Police: 0001, 0002 and 0005 received, 0001 and 0002 approved; local
    # community: 0003 and 0004 received, 0003 approved, 0004 rejected.
    for row in (
        ["By intelligence source", "Police: received", "3"],
        ["By intelligence source", "Police: approved", "2"],
        ["By intelligence source", "Police: rejected", "0"],
        ["By intelligence source", "Local community: received", "2"],
        ["By intelligence source", "Local community: approved", "1"],
        ["By intelligence source", "Local community: rejected", "1"],
    ):
        assert row in rows
