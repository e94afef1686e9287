"""What camera moves cost against the Community Safety budget: the page
/cameras/costs?year=YYYY and the financial years it counts in.

Financial years run from 1 April to 31 March; "2026" in the district file's
[budgets] table is 1 April 2026 to 31 March 2027. A move falls in the year of
the day its camera went up, or, while its installation is only booked, the
day it is booked for. It counts its actual cost once known, else the cost
booked with the installer; "committed" is booked but not yet installed.
Requests that are only approved, or were cancelled, cost nothing.

The worked example's totals are added up by hand below, in pounds (TEST-1).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cctv_requests.extensions import db
from cctv_requests.models import MoveRequest
from cctv_requests.services.deployments import DeploymentRules
from cctv_requests.workflow import engine
from tests import factories
from tests.conftest import config_for
from tests.readers import page
from tests.test_meetings_cycle import statements_during

TODAY = date.today()
THIS_YEAR = TODAY.year if TODAY.month >= 4 else TODAY.year - 1


@pytest.fixture
def rules():
    """None: the district file's rules. A test parametrises this to run on
    rules of its own."""
    return None


@pytest.fixture
def app_config(database_url, rules):
    return config_for(database_url, **({"DEPLOYMENT_RULES": rules} if rules is not None else {}))


def move(reference: str, status: str, **fields) -> MoveRequest:
    for key in ("estimated_cost", "installation_cost", "actual_cost"):
        if isinstance(fields.get(key), str):
            fields[key] = Decimal(fields[key])
    fields.setdefault("estimated_cost", None)
    return factories.move_request(status=status, reference=reference, **fields)


def worked_example() -> None:
    """The moves, by the financial year they fall in:

    2025 to 2026
      CCTV-2025-0008  live, up on 31 March 2026 (the year's last day): actual £600
    2026 to 2027
      CCTV-2026-0001  closed, up on 1 April 2026 (the year's first day): actual £2,150
      CCTV-2026-0011  live, booked for 30 March 2026 but up on 2 April 2026: actual £700
      CCTV-2026-0002  ended, up on 15 September 2026: actual £1,250.50
      CCTV-2026-0003  live, up on 3 November 2026: actual £2,999.99
      CCTV-2026-0005  scheduled for 10 January 2027, booked at £800, no estimate
      CCTV-2026-0004  scheduled for 31 March 2027 (the year's last day), booked at £4,500
    2027 to 2028
      CCTV-2027-0009  scheduled for 1 April 2027 (the year's first day), booked at £1,000
    Not counted
      CCTV-2026-0006  approved only (with an installation day and cost it should not have)
      CCTV-2026-0007  cancelled after its installation was booked for 1 December 2026 at £7,000
    """
    move(
        "CCTV-2025-0008",
        "live",
        estimated_cost="500",
        installation_date=date(2026, 3, 31),
        installation_cost="600",
        installed_on=date(2026, 3, 31),
        actual_cost="600",
    )
    move(
        "CCTV-2026-0001",
        "closed",
        estimated_cost="1900",
        installation_date=date(2026, 4, 1),
        installation_cost="2000",
        installed_on=date(2026, 4, 1),
        actual_cost="2150",
    )
    move(
        "CCTV-2026-0011",
        "live",
        estimated_cost="650",
        installation_date=date(2026, 3, 30),
        installation_cost="700",
        installed_on=date(2026, 4, 2),
        actual_cost="700",
    )
    move(
        "CCTV-2026-0002",
        "ended",
        estimated_cost="1000",
        installation_date=date(2026, 9, 15),
        installation_cost="1200",
        installed_on=date(2026, 9, 15),
        actual_cost="1250.50",
    )
    move(
        "CCTV-2026-0003",
        "live",
        estimated_cost="3100",
        installation_date=date(2026, 11, 3),
        installation_cost="3000",
        installed_on=date(2026, 11, 3),
        actual_cost="2999.99",
    )
    move("CCTV-2026-0005", "scheduled", installation_date=date(2027, 1, 10), installation_cost="800")
    move(
        "CCTV-2026-0004",
        "scheduled",
        estimated_cost="4000",
        installation_date=date(2027, 3, 31),
        installation_cost="4500",
    )
    move(
        "CCTV-2027-0009",
        "scheduled",
        estimated_cost="900",
        installation_date=date(2027, 4, 1),
        installation_cost="1000",
    )
    move(
        "CCTV-2026-0006",
        "approved",
        estimated_cost="5000",
        installation_date=date(2026, 10, 1),
        installation_cost="9999",
    )
    move(
        "CCTV-2026-0007",
        "cancelled",
        estimated_cost="6000",
        installation_date=date(2026, 12, 1),
        installation_cost="7000",
    )


def summary(response) -> dict[str, str]:
    """The "Against the budget" list: each key to its value."""
    heading = page(response).find("h2", string="Against the budget")
    rows = heading.find_next("dl").select(".govuk-summary-list__row")
    return {
        r.select_one("dt").get_text(" ", strip=True): r.select_one("dd").get_text(" ", strip=True)
        for r in rows
    }


def moves_table(response) -> list[list[str]]:
    heading = page(response).find("h2", string="Each move")
    table = heading.find_next("table")
    if table is None:
        return []
    return [[c.get_text(" ", strip=True) for c in row.select("td")] for row in table.select("tbody tr")]


def costs(client, year: int):
    return client.get(f"/cameras/costs?year={year}")


# --- against the district file's budgets ------------------------------------------------------


def test_a_financial_year_counts_its_moves_against_the_budget_from_the_district_file(app, client, login_as):
    worked_example()
    login_as("coordinator")
    response = costs(client, 2026)
    assert response.status_code == 200
    assert page(response).h1.get_text(strip=True) == "What camera moves cost, 2026 to 2027"
    # Spent: 2,150 + 700 + 1,250.50 + 2,999.99 = 7,100.49
    # Committed: 800 + 4,500 = 5,300; together 12,400.49; of 15,000, 2,599.51 left.
    # Estimated: 1,900 + 650 + 1,000 + 3,100 + 4,000 = 10,650.
    assert summary(response) == {
        "Community Safety budget for moves": "£15,000.00",
        "Spent (cameras installed)": "£7,100.49",
        "Committed (installations booked)": "£5,300.00",
        "Spent and committed": "£12,400.49",
        "Left in the budget": "£2,599.51",
        "Estimated by the requests": "£10,650.00",
    }
    assert moves_table(response) == [
        ["CCTV-2026-0001", "1 April 2026", "£1,900.00", "£2,000.00", "£2,150.00"],
        ["CCTV-2026-0011", "2 April 2026", "£650.00", "£700.00", "£700.00"],
        ["CCTV-2026-0002", "15 September 2026", "£1,000.00", "£1,200.00", "£1,250.50"],
        ["CCTV-2026-0003", "3 November 2026", "£3,100.00", "£3,000.00", "£2,999.99"],
        ["CCTV-2026-0005", "10 January 2027 (booked)", "None", "£800.00", "Not yet"],
        ["CCTV-2026-0004", "31 March 2027 (booked)", "£4,000.00", "£4,500.00", "Not yet"],
    ]
    html = response.get_data(as_text=True)
    assert "CCTV-2026-0006" not in html and "CCTV-2026-0007" not in html


def test_the_last_and_first_days_of_march_and_april_fall_in_different_years(app, client, login_as):
    worked_example()
    login_as("board")
    earlier = costs(client, 2025)
    assert [row[:2] for row in moves_table(earlier)] == [["CCTV-2025-0008", "31 March 2026"]]
    assert summary(earlier) == {
        "Community Safety budget for moves": "£12,000.00",
        "Spent (cameras installed)": "£600.00",
        "Committed (installations booked)": "£0.00",
        "Spent and committed": "£600.00",
        "Left in the budget": "£11,400.00",
        "Estimated by the requests": "£500.00",
    }
    later = costs(client, 2027)
    assert moves_table(later) == [
        ["CCTV-2027-0009", "1 April 2027 (booked)", "£900.00", "£1,000.00", "Not yet"]
    ]
    assert summary(later) == {
        "Community Safety budget for moves": "£15,000.00",
        "Spent (cameras installed)": "£0.00",
        "Committed (installations booked)": "£1,000.00",
        "Spent and committed": "£1,000.00",
        "Left in the budget": "£14,000.00",
        "Estimated by the requests": "£900.00",
    }


def test_the_year_chooser_offers_years_with_moves_or_a_budget_and_refuses_others(app, client, login_as):
    worked_example()
    login_as("chair")
    response = client.get("/cameras/costs")
    assert response.status_code == 200
    this = f"{THIS_YEAR} to {THIS_YEAR + 1}"
    assert page(response).h1.get_text(strip=True) == f"What camera moves cost, {this}"
    options = {o["value"]: o.get_text(strip=True) for o in page(response).select("select#year option")}
    expected = {str(y): f"{y} to {y + 1}" for y in (2025, 2026, 2027, THIS_YEAR)}
    assert options == expected
    selected = page(response).select_one("select#year option[selected]")
    assert selected["value"] == str(THIS_YEAR)
    for year in (2019, 2024, 2031, 1999):
        if year != THIS_YEAR:
            assert costs(client, year).status_code == 404


def test_officers_and_councillors_do_not_see_the_costs(app, client, login_as):
    worked_example()
    for role in ("officer", "sponsor", "councillor"):
        login_as(role)
        assert costs(client, 2026).status_code == 403


def test_a_year_with_no_moves_but_a_budget_says_so(app, client, login_as):
    login_as("coordinator")
    response = costs(client, 2027)
    assert summary(response)["Spent and committed"] == "£0.00"
    assert summary(response)["Left in the budget"] == "£15,000.00"
    assert moves_table(response) == []
    assert "No camera move is booked or done in this financial year." in response.get_data(as_text=True)


def test_an_installed_move_with_no_actual_cost_recorded_is_spent_at_its_booked_cost(app, client, login_as):
    """A camera up before actual costs were recorded (the column came with a
    later migration, so older live moves have none): it is installed, so its
    booked cost is spent, not "committed (installations booked)"."""
    move(
        "CCTV-2026-0100",
        "live",
        estimated_cost="450",
        installation_date=date(2026, 9, 1),
        installation_cost="500",
        installed_on=date(2026, 9, 1),
    )
    move("CCTV-2026-0101", "scheduled", installation_date=date(2026, 12, 1), installation_cost="300")
    login_as("coordinator")
    response = costs(client, 2026)
    facts = summary(response)
    # Spent 500 (up on 1 September); committed 300 (booked for 1 December).
    assert (
        facts["Spent (cameras installed)"],
        facts["Committed (installations booked)"],
        facts["Spent and committed"],
    ) == ("£500.00", "£300.00", "£800.00")
    assert [row[:2] for row in moves_table(response)] == [
        ["CCTV-2026-0100", "1 September 2026"],
        ["CCTV-2026-0101", "1 December 2026 (booked)"],
    ]


# --- against budgets of the test's own ---------------------------------------------------------

TIGHT = DeploymentRules(budgets=((2026, Decimal("12000.00")),))
EXACT = DeploymentRules(budgets=((2026, Decimal("12400.49")),))


@pytest.mark.parametrize("rules", [TIGHT], ids=["budget of 12,000 for 2026 only"])
def test_spending_past_the_budget_shows_by_how_much(app, client, login_as):
    worked_example()
    login_as("coordinator")
    response = costs(client, 2026)
    facts = summary(response)
    # 12,400.49 spent and committed against 12,000: over by 400.49.
    assert facts["Community Safety budget for moves"] == "£12,000.00"
    assert facts["Spent and committed"] == "£12,400.49"
    assert facts["Over budget by"] == "£400.49"
    assert "Left in the budget" not in facts
    tag = (
        page(response).find("dt", string="Over budget by").find_next("dd").select_one("strong.govuk-tag--red")
    )
    assert tag.get_text(strip=True) == "£400.49"

    # 2027 has a move but no budget in these rules; 2025 a move and no budget.
    for year in (2025, 2027):
        facts = summary(costs(client, year))
        assert facts["Community Safety budget for moves"] == "No budget set for this year"
        assert "Left in the budget" not in facts and "Over budget by" not in facts
    # The file's budget years are not these rules' years: a year with neither
    # a move nor a budget is not found.
    if THIS_YEAR not in (2024, 2028):
        assert costs(client, 2024).status_code == 404
        assert costs(client, 2028).status_code == 404


@pytest.mark.parametrize("rules", [EXACT], ids=["budget of exactly 12,400.49"])
def test_spending_exactly_the_budget_leaves_nothing_and_is_not_over(app, client, login_as):
    worked_example()
    login_as("coordinator")
    facts = summary(costs(client, 2026))
    assert facts["Left in the budget"] == "£0.00"
    assert "Over budget by" not in facts


# --- through the workflow ----------------------------------------------------------------------


def test_a_move_counts_as_committed_when_booked_and_as_spent_once_installed(app, client, login_as):
    """Booked at £850.50, it is committed; installed at an actual £910, it is
    spent; installed with no actual cost given, the booked cost is spent."""
    coordinator = factories.user("coordinator")
    login_as("coordinator")

    def booked(cost: str, reference: str) -> MoveRequest:
        camera = factories.camera()
        mr = factories.move_request(
            status="approved",
            reference=reference,
            approved_camera_id=camera.id,
            approved_start=TODAY,
            approved_end=TODAY + timedelta(days=30),
            estimated_cost=Decimal("800"),
        )
        engine.fire(
            mr,
            "schedule_installation",
            coordinator,
            {
                "camera_id": camera.id,
                "installation_date": TODAY,
                "installer": "Herts CCTV",
                "installation_cost": Decimal(cost),
            },
        )
        return mr

    def install(mr: MoveRequest, actual: Decimal | None) -> None:
        engine.fire(
            db.session.get(MoveRequest, mr.id),
            "record_installation",
            coordinator,
            {
                "installed_on": TODAY,
                "dpia_reference": "DPIA-1",
                "signage_confirmed": True,
                "actual_cost": actual,
                "review_due": TODAY + timedelta(days=90),
            },
        )

    first = booked("850.50", "CCTV-WF-0001")
    second = booked("400", "CCTV-WF-0002")
    facts = summary(costs(client, THIS_YEAR))
    assert (facts["Spent (cameras installed)"], facts["Committed (installations booked)"]) == (
        "£0.00",
        "£1,250.50",
    )

    install(first, Decimal("910"))
    install(second, None)
    response = costs(client, THIS_YEAR)
    facts = summary(response)
    # Spent 910 + 400 = 1,310; nothing left committed.
    assert (facts["Spent (cameras installed)"], facts["Committed (installations booked)"]) == (
        "£1,310.00",
        "£0.00",
    )
    assert facts["Spent and committed"] == "£1,310.00"
    assert moves_table(response) == [
        ["CCTV-WF-0001", f"{TODAY.day} {TODAY:%B %Y}", "£800.00", "£850.50", "£910.00"],
        ["CCTV-WF-0002", f"{TODAY.day} {TODAY:%B %Y}", "£800.00", "£400.00", "£400.00"],
    ]


# --- the cost of the page (PERF-1) -------------------------------------------------------------


def test_the_page_costs_the_same_queries_for_2_or_20_moves(app, client, login_as):
    made = 0

    def add_moves(count: int) -> None:
        nonlocal made
        for _ in range(count):
            installed = date(2026, 5, 1) + timedelta(days=made)
            move(
                f"CCTV-PERF-{made:04d}",
                "live" if made % 2 else "scheduled",
                estimated_cost="100",
                installation_date=installed,
                installation_cost="120",
                installed_on=installed if made % 2 else None,
                actual_cost="130" if made % 2 else None,
            )
            made += 1

    add_moves(2)
    login_as("coordinator")
    two, with_two = statements_during(client, "/cameras/costs?year=2026")
    add_moves(18)
    twenty, with_twenty = statements_during(client, "/cameras/costs?year=2026")
    assert (len(moves_table(two)), len(moves_table(twenty))) == (2, 20)
    # 10 live at 130 and 10 booked at 120.
    assert summary(twenty)["Spent and committed"] == "£2,500.00"
    assert len(with_twenty) == len(with_two), "\n".join(with_twenty)
