"""The end of a deployment and its evaluation, and finding and reusing sites.

Removal (end_deployment): the coordinator records the date removed, that the
signs are down, until when the recordings are kept (on or after the removal
date; left blank, the district's usual 31 days after the removal date) and an
optional note; the request page shows them.

Evaluation (record_evaluation): incidents before (the request's baseline),
during (installed_on to the day before removal) and after (the day after
removal for the district's ``evaluation_after_weeks``, 12 in Three Rivers),
compared per 30 days. It can be recorded only once the weeks after removal
are over.

Sites (DESIGN.md sections 3 and 5): /sites?q= finds known sites by part of
the street or ward; a site only in someone's unsent draft is not known; the
request form offers the known sites and uses one as it is.

Every expected date, count and rate is worked by hand (TEST-1).
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import Deployment, MoveRequest, Site
from cctv_requests.services.deployments import DeploymentRules
from tests import factories
from tests.conftest import config_for
from tests.readers import page
from tests.test_meetings_cycle import statements_during
from tests.test_request_pages import date_fields, error_summary

TODAY = date.today()


def shown(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


@pytest.fixture
def rules():
    """None: the district file's rules; a test may parametrise its own."""
    return None


@pytest.fixture
def app_config(database_url, rules):
    return config_for(database_url, **({"DEPLOYMENT_RULES": rules} if rules is not None else {}))


def answers(mr, **fields) -> MultiDict:
    items = [("version", str(fresh(MoveRequest, mr.id).version))]
    for name, value in fields.items():
        if isinstance(value, date):
            items += date_fields(name, value)
        elif isinstance(value, tuple):
            items += [(name, part) for part in value]
        else:
            items.append((name, str(value)))
    return MultiDict(items)


def live_request(installed_on: date, **fields):
    """A camera up at a site since ``installed_on``, its request live, with a
    baseline of 12 crimes and 48 ASB incidents from 1 January to 30 April 2026."""
    camera = factories.camera()
    site = factories.site(
        factories.ward("South Oxhey"), street="Prestwick Road", exact_location="Lamp column 7"
    )
    fields = {
        "crime_count": 12,
        "asb_count": 48,
        "baseline_start": date(2026, 1, 1),
        "baseline_end": date(2026, 4, 30),
        "approved_camera_id": camera.id,
        "approved_start": installed_on,
        "approved_end": installed_on + timedelta(weeks=26),
        "installed_on": installed_on,
        "review_due": installed_on + timedelta(weeks=13),
        **fields,
    }
    mr = factories.move_request(status="live", site_obj=site, **fields)
    deployment = factories.deployment(camera, site, installed_on=installed_on, move_request_id=mr.id)
    return mr, deployment


def ended_request(removed_on: date, installed_on: date | None = None):
    """A request whose camera came down on ``removed_on``."""
    installed_on = installed_on or removed_on - timedelta(days=60)
    mr, deployment = live_request(installed_on)
    mr.status, mr.removed_on = "ended", removed_on
    mr.recordings_kept_until = removed_on + timedelta(days=31)
    deployment.removed_on, deployment.signs_removed = removed_on, True
    db.session.commit()
    return mr


def summary_rows(response) -> dict[str, str]:
    """Every summary list row on the page: key to value."""
    return {
        r.select_one("dt").get_text(" ", strip=True): r.select_one("dd").get_text(" ", strip=True)
        for r in page(response).select(".govuk-summary-list__row")
    }


def evaluation_rows(response) -> list[list[str]]:
    """Each period: its name, its dates, incidents, rate and change. The
    name and the dates share the row's header cell, a line apart."""
    heading = page(response).find("h2", string="Evaluation")
    assert heading is not None, "no evaluation on the page"
    rows = []
    for row in heading.find_next("table").select("tbody tr"):
        header = row.select_one("th")
        name = header.find(string=True, recursive=False).strip()
        dates = header.select_one("span").get_text(strip=True)
        rows.append([name, dates, *(cell.get_text(" ", strip=True) for cell in row.select("td"))])
    return rows


def buttons(response) -> list[str]:
    return [b.get_text(strip=True) for b in page(response).select(".govuk-button-group .govuk-button")]


# --- removal and the recordings ----------------------------------------------------------------


def test_the_removal_keeps_the_recordings_date_and_note_and_the_request_page_shows_them(
    app, client, login_as
):
    mr, deployment = live_request(date(2026, 5, 1))
    login_as("coordinator")
    note = "Footage of 14 July kept for the police, reference 41/1234/26"
    response = client.post(
        f"/requests/{mr.id}/end-deployment",
        data=answers(
            mr,
            removed_on=date(2026, 7, 31),
            signs_removed="y",
            recordings_kept_until=date(2026, 8, 31),
            recordings_note=note,
        ),
    )
    assert response.status_code == 302
    ended = fresh(MoveRequest, mr.id)
    assert (ended.status, ended.removed_on, ended.recordings_kept_until, ended.recordings_note) == (
        "ended",
        date(2026, 7, 31),
        date(2026, 8, 31),
        note,
    )
    down = fresh(Deployment, deployment.id)
    assert (down.removed_on, down.signs_removed) == (date(2026, 7, 31), True)

    rows = summary_rows(client.get(f"/requests/{mr.id}"))
    assert rows["Removed on"] == "31 July 2026"
    assert rows["Recordings kept until"] == f"31 August 2026. {note}"


def remove(client, mr, **fields):
    return client.post(
        f"/requests/{mr.id}/end-deployment",
        data=answers(mr, removed_on=date(2026, 7, 31), signs_removed="y", **fields),
    )


def test_left_blank_the_recordings_are_kept_the_usual_31_days_after_the_removal(app, client, login_as):
    mr, _ = live_request(date(2026, 5, 1))
    login_as("coordinator")
    form = page(client.get(f"/requests/{mr.id}/end-deployment"))
    assert [i.get("value", "") for i in form.select('input[name="recordings_kept_until"]')] == ["", "", ""]
    assert remove(client, mr).status_code == 302
    # 31 July 2026 + 31 days = 31 August 2026 (not 31 days from today).
    ended = fresh(MoveRequest, mr.id)
    assert (ended.status, ended.recordings_kept_until, ended.recordings_note) == (
        "ended",
        date(2026, 8, 31),
        "",
    )
    assert summary_rows(client.get(f"/requests/{mr.id}"))["Recordings kept until"] == "31 August 2026"


@pytest.mark.parametrize("rules", [DeploymentRules(recordings_kept_days=90)], ids=["kept 90 days"])
def test_the_usual_keeping_time_is_the_districts(app, client, login_as):
    mr, _ = live_request(date(2026, 5, 1))
    login_as("coordinator")
    assert remove(client, mr).status_code == 302
    # 31 July + 90 days: 31 August is +31, 30 September +61, 29 October +90.
    assert fresh(MoveRequest, mr.id).recordings_kept_until == date(2026, 10, 29)


def test_an_impossible_keeping_date_is_refused(app, client, login_as):
    mr, _ = live_request(date(2026, 5, 1))
    login_as("coordinator")
    response = remove(client, mr, recordings_kept_until=("31", "9", "2026"))
    assert response.status_code == 200
    assert list(error_summary(response)) == ["recordings_kept_until-day"]
    assert fresh(MoveRequest, mr.id).status == "live"


def test_an_impossible_keeping_date_is_named_without_optional_in_the_message(app, client, login_as):
    """GOV.UK error messages name the question; "(optional)" belongs to the
    label, not to the sentence saying what is wrong."""
    mr, _ = live_request(date(2026, 5, 1))
    login_as("coordinator")
    response = remove(client, mr, recordings_kept_until=("31", "9", "2026"))
    assert error_summary(response) == {
        "recordings_kept_until-day": "Recordings kept until must be a real date"
    }


def test_recordings_cannot_be_kept_for_less_than_until_the_removal(app, client, login_as):
    mr, _ = live_request(date(2026, 5, 1))
    login_as("coordinator")
    response = client.post(
        f"/requests/{mr.id}/end-deployment",
        data=answers(
            mr, removed_on=date(2026, 7, 31), signs_removed="y", recordings_kept_until=date(2026, 7, 30)
        ),
    )
    assert response.status_code == 200
    assert fresh(MoveRequest, mr.id).status == "live"
    # The error is about the keeping date, so it links to that answer (INP-3).
    assert error_summary(response) == {
        "recordings_kept_until-day": "The recordings must be kept until at least the date the camera was removed."
    }


def test_recordings_may_be_kept_until_the_day_of_the_removal(app, client, login_as):
    mr, _ = live_request(date(2026, 5, 1))
    login_as("coordinator")
    response = client.post(
        f"/requests/{mr.id}/end-deployment",
        data=answers(
            mr, removed_on=date(2026, 7, 31), signs_removed="y", recordings_kept_until=date(2026, 7, 31)
        ),
    )
    assert response.status_code == 302
    ended = fresh(MoveRequest, mr.id)
    assert (ended.status, ended.recordings_kept_until, ended.recordings_note) == (
        "ended",
        date(2026, 7, 31),
        "",
    )
    assert summary_rows(client.get(f"/requests/{mr.id}"))["Recordings kept until"] == "31 July 2026"


# --- the evaluation ------------------------------------------------------------------------------

# The worked example. Baseline 1 January to 30 April 2026: 31 + 28 + 31 + 30 =
# 120 days, 12 + 48 = 60 incidents, 60 x 30 / 120 = 15.0 per 30 days.
# Up on 1 May, down on 31 July: during is 1 May to 30 July, 31 + 30 + 30 = 91
# days; 13 incidents, 13 x 30 / 91 = 4.29 -> 4.3; (4.3 - 15) / 15 = -71%.
# After: 1 August to 31 July + 84 days = 23 October, 84 days; 28 incidents,
# 28 x 30 / 84 = 10.0; (10 - 15) / 15 = -33%.
# It can be recorded from 24 October 2026.
WORKED_TABLE = [
    ["Before", "1 January 2026 to 30 April 2026", "60", "15.0", ""],
    ["During", "1 May 2026 to 30 July 2026", "13", "4.3", "Down 71%"],
    ["After", "1 August 2026 to 23 October 2026", "28", "10.0", "Down 33%"],
]


def test_removal_then_evaluation_through_the_pages_gives_the_worked_rates(app, client, login_as):
    mr, _ = live_request(date(2026, 5, 1))
    login_as("coordinator")
    removed = client.post(
        f"/requests/{mr.id}/end-deployment",
        data=answers(
            mr, removed_on=date(2026, 7, 31), signs_removed="y", recordings_kept_until=date(2026, 8, 31)
        ),
    )
    assert removed.status_code == 302
    assert "Record the evaluation" in buttons(client.get(f"/requests/{mr.id}"))

    # The form counts "before" from the request's baseline and says which days each count covers.
    form = page(client.get(f"/requests/{mr.id}/record-evaluation"))
    assert form.select_one('input[name="incidents_before"]')["value"] == "60"
    hints = {
        name: form.select_one(f"#{name}-hint").get_text(strip=True)
        for name in ("incidents_before", "incidents_during", "incidents_after")
    }
    assert hints == {
        "incidents_before": "In the baseline period on the request: 1 January 2026 to 30 April 2026",
        "incidents_during": "In the deployment: 1 May 2026 to 30 July 2026",
        "incidents_after": "In the period after removal: 1 August 2026 to 23 October 2026",
    }

    notes = "Fewer incidents while the camera was up; some returned after it came down."
    response = client.post(
        f"/requests/{mr.id}/record-evaluation",
        data=answers(mr, incidents_before=60, incidents_during=13, incidents_after=28, notes=notes),
    )
    assert response.status_code == 302
    closed = fresh(MoveRequest, mr.id)
    assert (closed.status, closed.incidents_before, closed.incidents_during, closed.incidents_after) == (
        "closed",
        60,
        13,
        28,
    )
    shown_page = client.get(f"/requests/{mr.id}")
    assert evaluation_rows(shown_page) == WORKED_TABLE
    notes_heading = page(shown_page).find("h3", string="Evaluation notes")
    assert notes_heading.find_next("p").get_text(strip=True) == notes


def test_an_officer_who_filed_the_request_sees_its_evaluation(app, client, login_as):
    officer = factories.user("officer")
    mr = ended_request(date(2026, 7, 31), installed_on=date(2026, 5, 1))
    mr.requester_id = officer.id
    mr.incidents_before, mr.incidents_during, mr.incidents_after = 60, 13, 28
    mr.status = "closed"
    db.session.commit()
    login_as(user=officer)
    assert evaluation_rows(client.get(f"/requests/{mr.id}")) == WORKED_TABLE


# Rates compared with the before rate, each worked by hand. Baseline 1 to 30
# June 2026 (30 days); up 1 July, down 31 July: during 1 to 30 July (30
# days); after 1 August to 23 October (84 days).
CHANGES = [
    # before 9 -> 9.0; during 12 -> 12.0, +33%; after 0 -> 0.0, -100%.
    ((9, 12, 0), ["9.0", "12.0", "0.0"], ["Up 33%", "Down 100%"]),
    # Nothing before: a rate of 0 cannot be compared with.
    ((0, 3, 14), ["0.0", "3.0", "5.0"], ["Not comparable", "Not comparable"]),
    # The same rate: 6 in 30 days is 6.0; 16.8 in 84 days is not a count,
    # so 17 -> 17 x 30 / 84 = 6.071 -> shown 6.1; the change is worked from
    # the exact rate, not the one shown: 0.071 / 6 = +1.19%, so 1%.
    ((6, 6, 17), ["6.0", "6.0", "6.1"], ["No change", "Up 1%"]),
]


@pytest.mark.parametrize(("counts", "rates", "changes"), CHANGES, ids=["up-down", "zero-before", "level"])
def test_each_rate_is_per_30_days_and_compared_with_before(app, client, login_as, counts, rates, changes):
    mr = ended_request(date(2026, 7, 31), installed_on=date(2026, 7, 1))
    mr.baseline_start, mr.baseline_end = date(2026, 6, 1), date(2026, 6, 30)
    mr.incidents_before, mr.incidents_during, mr.incidents_after = counts
    mr.status = "closed"
    db.session.commit()
    login_as("coordinator")
    rows = evaluation_rows(client.get(f"/requests/{mr.id}"))
    assert [row[1] for row in rows] == [
        "1 June 2026 to 30 June 2026",
        "1 July 2026 to 30 July 2026",
        "1 August 2026 to 23 October 2026",
    ]
    assert [row[3] for row in rows] == rates
    assert [row[4] for row in rows[1:]] == changes


def test_a_rate_exactly_halfway_is_rounded_as_worked_by_hand(app, client, login_as):
    """1 incident in the 200 days from 1 January to 19 July 2026 is
    1 x 30 / 200 = 0.15 per 30 days exactly: 0.2 to one decimal place, by
    rounding half up and by rounding half to even alike."""
    mr = ended_request(date(2026, 9, 30), installed_on=date(2026, 8, 1))
    mr.baseline_start, mr.baseline_end = date(2026, 1, 1), date(2026, 7, 19)
    mr.incidents_before, mr.incidents_during, mr.incidents_after = 1, 0, 0
    mr.status = "closed"
    db.session.commit()
    login_as("coordinator")
    before = evaluation_rows(client.get(f"/requests/{mr.id}"))[0]
    assert before[:4] == ["Before", "1 January 2026 to 19 July 2026", "1", "0.2"]


def test_the_evaluation_waits_until_the_12_weeks_after_removal_are_over(app, client, login_as):
    # Down 84 days ago: the 12 weeks after it end today, so not yet.
    waiting = ended_request(TODAY - timedelta(days=84))
    # Down 85 days ago: the 12 weeks ended yesterday.
    due = ended_request(TODAY - timedelta(days=85))
    login_as("coordinator")

    assert "Record the evaluation" not in buttons(client.get(f"/requests/{waiting.id}"))
    refused = client.get(f"/requests/{waiting.id}/record-evaluation")
    assert refused.status_code == 409
    reason = (
        "The evaluation counts incidents in the weeks after removal. "
        f"Record it on or after {shown(TODAY + timedelta(days=1))}."
    )
    assert reason in page(refused).get_text(" ", strip=True)
    posted = client.post(
        f"/requests/{waiting.id}/record-evaluation",
        data=answers(waiting, incidents_before=1, incidents_during=1, incidents_after=1),
    )
    assert posted.status_code == 409
    assert fresh(MoveRequest, waiting.id).status == "ended"

    assert "Record the evaluation" in buttons(client.get(f"/requests/{due.id}"))
    form = page(client.get(f"/requests/{due.id}/record-evaluation"))
    first, last = TODAY - timedelta(days=84), TODAY - timedelta(days=1)
    assert form.select_one("#incidents_after-hint").get_text(strip=True) == (
        f"In the period after removal: {shown(first)} to {shown(last)}"
    )


@pytest.mark.parametrize("rules", [DeploymentRules(evaluation_after_weeks=4)], ids=["4 weeks after"])
def test_the_period_after_removal_is_the_districts_number_of_weeks(app, client, login_as):
    waiting = ended_request(TODAY - timedelta(days=28))
    due = ended_request(TODAY - timedelta(days=29))
    login_as("coordinator")
    refused = client.get(f"/requests/{waiting.id}/record-evaluation")
    assert refused.status_code == 409
    assert f"Record it on or after {shown(TODAY + timedelta(days=1))}." in page(refused).get_text(
        " ", strip=True
    )
    form = page(client.get(f"/requests/{due.id}/record-evaluation"))
    # 4 weeks from the day after removal: 29 days ago to yesterday - 28 days.
    assert form.select_one("#incidents_after-hint").get_text(strip=True) == (
        f"In the period after removal: {shown(TODAY - timedelta(days=28))} to {shown(TODAY - timedelta(days=1))}"
    )


def test_the_evaluation_needs_every_count(app, client, login_as):
    mr = ended_request(date(2026, 7, 31), installed_on=date(2026, 5, 1))
    login_as("coordinator")
    response = client.post(
        f"/requests/{mr.id}/record-evaluation",
        data=answers(mr, incidents_before="", incidents_during="many", incidents_after=-1),
    )
    assert response.status_code == 200
    assert error_summary(response) == {
        "incidents_before": "Enter the number of incidents before",
        "incidents_during": "Incidents during must be a whole number, like 12",
        "incidents_after": "Incidents after must be between 0 and 100,000",
    }
    assert fresh(MoveRequest, mr.id).status == "ended"


# --- sites ---------------------------------------------------------------------------------------


def known_and_unknown_sites() -> dict:
    """Sites that are known (a camera has been there, or a request for it
    has been sent) and some that are not."""
    ward = factories.ward
    camera = factories.camera(name="Alder", asset_tag="ALD-1")
    officer = factories.user("officer", name="Olive Officer")
    sites = {}

    def deployed(key, ward_name, street):
        sites[key] = factories.site(ward(ward_name), street=street, exact_location=f"Lamp column at {street}")
        factories.deployment(
            camera,
            sites[key],
            installed_on=date(2025, 1, 1) + timedelta(days=len(sites)),
            removed_on=date(2025, 1, 2) + timedelta(days=len(sites)),
        )

    def requested(key, ward_name, street, status, **fields):
        sites[key] = factories.site(ward(ward_name), street=street, exact_location=f"Lamp column at {street}")
        factories.move_request(requester=officer, status=status, site_obj=sites[key], **fields)

    deployed("high", "Abbots Langley and Bedmond", "High Street")
    requested("highfield", "South Oxhey", "Highfield Road", "submitted")
    deployed("bury", "Rickmansworth Town", "Bury Lane")
    requested("percent", "Leavesden", "100% Lane", "endorsed")
    deployed("thousand", "Leavesden", "1000 Lane")
    deployed("underscore", "Penn and Mill End", "Mill_End Way")
    deployed("space", "Oxhey Hall and Hayling", "Mill End Way")
    # Sent, then returned for changes: others have seen it.
    requested("returned", "Carpenders Park", "Returned Road", "returned")
    # Not known: only in a draft, only in a request withdrawn before it was
    # sent, or in nothing at all.
    requested("draft", "South Oxhey", "Hidden Draft Street", "draft")
    requested("unsent", "South Oxhey", "Hidden Unsent Street", "withdrawn", submitted_at=None)
    sites["orphan"] = factories.site(ward("Durrants"), street="Orphan Road")
    return {"sites": sites, "officer": officer}


# Every known site, by ward then street: (street, ward).
KNOWN = [
    ("High Street", "Abbots Langley and Bedmond"),
    ("Returned Road", "Carpenders Park"),
    ("100% Lane", "Leavesden"),
    ("1000 Lane", "Leavesden"),
    ("Mill End Way", "Oxhey Hall and Hayling"),
    ("Mill_End Way", "Penn and Mill End"),
    ("Bury Lane", "Rickmansworth Town"),
    ("Highfield Road", "South Oxhey"),
]
SEARCHES = [
    ("", KNOWN),
    ("high", [("High Street", "Abbots Langley and Bedmond"), ("Highfield Road", "South Oxhey")]),
    ("HIGH STREET", [("High Street", "Abbots Langley and Bedmond")]),
    (
        "  lane ",
        [("100% Lane", "Leavesden"), ("1000 Lane", "Leavesden"), ("Bury Lane", "Rickmansworth Town")],
    ),
    # By ward: both wards with "Oxhey" in their name.
    ("oxhey", [("Mill End Way", "Oxhey Hall and Hayling"), ("Highfield Road", "South Oxhey")]),
    ("mill end", [("Mill End Way", "Oxhey Hall and Hayling"), ("Mill_End Way", "Penn and Mill End")]),
    # % and _ are the characters themselves, not wildcards.
    ("100%", [("100% Lane", "Leavesden")]),
    ("%", [("100% Lane", "Leavesden")]),
    ("l_E", [("Mill_End Way", "Penn and Mill End")]),
    ("_", [("Mill_End Way", "Penn and Mill End")]),
    ("\\", []),
    # Only in unsent requests, or in nothing.
    ("hidden", []),
    ("orphan", []),
]


def site_rows(response) -> list[tuple[str, str]]:
    return [
        tuple(td.get_text(strip=True) for td in row.select("td")[:2])
        for row in page(response).select("tbody tr")
    ]


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[repr(q) for q, _ in SEARCHES])
def test_sites_are_found_by_part_of_the_street_or_ward_in_any_case(app, client, login_as, query, expected):
    known_and_unknown_sites()
    login_as("officer")
    response = client.get("/sites", query_string={"q": query})
    assert response.status_code == 200
    assert site_rows(response) == expected
    if query.strip() and not expected:
        assert f"No site matches “{query.strip()}”." in page(response).get_text(" ", strip=True)


def test_the_writer_of_a_draft_does_not_find_its_new_site_either(app, client, login_as):
    world = known_and_unknown_sites()
    login_as(user=world["officer"])
    assert site_rows(client.get("/sites", query_string={"q": "hidden"})) == []


def test_the_request_form_offers_the_known_sites_and_preselects_one(app, client, login_as):
    world = known_and_unknown_sites()
    sites = world["sites"]
    login_as("officer")
    start = client.post("/requests/new", data={"title": "Somewhere", "ward_id": sites["high"].ward_id})
    assert start.status_code == 302, error_summary(start)
    form = page(client.get(start.headers["Location"] + "/site"))
    options = [(o["value"], o.get_text(strip=True)) for o in form.select("select#existing_site_id option")]
    assert options == [("0", "A new site")] + [
        (str(sites[key].id), text)
        for key, text in (
            ("high", "High Street, Abbots Langley and Bedmond"),
            ("returned", "Returned Road, Carpenders Park"),
            ("percent", "100% Lane, Leavesden"),
            ("thousand", "1000 Lane, Leavesden"),
            ("space", "Mill End Way, Oxhey Hall and Hayling"),
            ("underscore", "Mill_End Way, Penn and Mill End"),
            ("bury", "Bury Lane, Rickmansworth Town"),
            ("highfield", "Highfield Road, South Oxhey"),
        )
    ]
    assert form.select_one("label[for=existing_site_id]").get_text(strip=True) == "Site"

    # Asked from a known site, the first page names it and carries it.
    chosen = page(client.get(f"/requests/new?site={sites['bury'].id}"))
    assert chosen.select_one("input[name=site_id]")["value"] == str(sites["bury"].id)
    assert "Bury Lane, Rickmansworth Town" in chosen.get_text(" ", strip=True)
    assert chosen.select_one("select#ward_id") is None
    started = client.post(
        f"/requests/new?site={sites['bury'].id}", data={"site_id": sites["bury"].id, "title": "At Bury Lane"}
    )
    assert started.status_code == 302, error_summary(started)
    site_page = page(client.get(started.headers["Location"] + "/site"))
    assert [o["value"] for o in site_page.select("select#existing_site_id option[selected]")] == [
        str(sites["bury"].id)
    ]
    # A site that is not known is not chosen, whatever the address says.
    for key in ("draft", "orphan"):
        unknown = page(client.get(f"/requests/new?site={sites[key].id}"))
        assert unknown.select_one("input[name=site_id]").get("value", "") == ""
        assert unknown.select_one("select#ward_id") is not None
        assert sites[key].street not in unknown.get_text()
    # The sites page offers "Request a camera here" for each site.
    links = [a["href"] for a in page(client.get("/sites?q=bury")).select('table a[href^="/requests/new"]')]
    assert links == [f"/requests/new?site={sites['bury'].id}"]


def site_details(site: Site) -> tuple:
    db.session.expire_all()
    site = db.session.get(Site, site.id)
    return (
        site.ward_id,
        site.street,
        site.exact_location,
        site.view_description,
        site.mounting,
        site.latitude,
        site.longitude,
    )


def count_sites() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Site))


def test_a_draft_at_a_known_site_points_at_it_and_leaves_it_as_it_is(app, client, login_as):
    world = known_and_unknown_sites()
    high = world["sites"]["high"]
    before, sites_before = site_details(high), count_sites()
    other_ward = factories.ward("Gade Valley")
    login_as("officer")
    response = client.post(
        f"/requests/new?site={high.id}",
        data={"site_id": str(high.id), "title": "Dealing outside the library"},
    )
    assert response.status_code == 302, error_summary(response)
    mr = db.session.scalar(sa.select(MoveRequest).where(MoveRequest.title == "Dealing outside the library"))
    assert (mr.status, mr.site_id) == ("draft", high.id)
    assert site_details(high) == before
    assert count_sites() == sites_before

    # On the site's page, new-site answers left over are ignored, and none is needed.
    saved = client.post(
        f"/requests/{mr.id}/tasks/site",
        data=answers(
            mr,
            existing_site_id=str(high.id),
            ward_id=str(other_ward.id),
            street="Not this street",
            exact_location="",
            save_later="Save and come back later",
        ),
    )
    assert saved.status_code == 302, error_summary(saved)
    assert fresh(MoveRequest, mr.id).site_id == high.id
    assert site_details(high) == before
    assert count_sites() == sites_before

    # Save and continue does not ask for the new-site answers either.
    checked = client.post(
        f"/requests/{mr.id}/tasks/site",
        data=answers(mr, existing_site_id=str(high.id), save_continue="Save and continue"),
    )
    assert checked.status_code == 302, error_summary(checked)
    assert fresh(MoveRequest, mr.id).site_id == high.id
    assert site_details(high) == before


def test_choosing_a_new_site_for_a_request_at_a_shared_site_leaves_the_shared_one_alone(
    app, client, login_as
):
    world = known_and_unknown_sites()
    high = world["sites"]["high"]
    before = site_details(high)
    login_as("officer")
    client.post(
        f"/requests/new?site={high.id}",
        data={"site_id": str(high.id), "title": "Dealing outside the library"},
    )
    mr = db.session.scalar(sa.select(MoveRequest).where(MoveRequest.title == "Dealing outside the library"))
    # Its site's page shows the shared site chosen.
    form = page(client.get(f"/requests/{mr.id}/tasks/site"))
    assert form.select_one("select#existing_site_id option[selected]")["value"] == str(high.id)

    gade = factories.ward("Gade Valley")
    response = client.post(
        f"/requests/{mr.id}/tasks/site",
        data=answers(
            mr,
            existing_site_id="0",
            ward_id=gade.id,
            street="Gosforth Lane",
            exact_location="Lamp column 40 by the bus shelter",
            mounting="lamp_column",
            save_later="Save and come back later",
        ),
    )
    assert response.status_code == 302, error_summary(response)
    moved = fresh(MoveRequest, mr.id)
    assert moved.site_id != high.id
    new_site = db.session.get(Site, moved.site_id)
    assert (new_site.ward_id, new_site.street, new_site.exact_location) == (
        gade.id,
        "Gosforth Lane",
        "Lamp column 40 by the bus shelter",
    )
    assert site_details(high) == before
    # The shared site keeps its own history; the draft's new site is its writer's alone.
    assert site_rows(client.get("/sites", query_string={"q": "gosforth"})) == []


def test_changing_a_drafts_own_new_site_changes_it_in_place(app, client, login_as):
    """The complement: a site described for this draft alone is edited, not copied."""
    ward = factories.ward("Gade Valley")
    officer = login_as("officer")
    own = factories.site(ward, street="First Street", exact_location="Lamp column 1")
    mr = factories.move_request(requester=officer, status="draft", site_obj=own)
    sites_before = count_sites()
    response = client.post(
        f"/requests/{mr.id}/tasks/site",
        data=answers(
            mr,
            existing_site_id="0",
            ward_id=ward.id,
            street="Second Street",
            exact_location="Lamp column 2",
            mounting="lamp_column",
            save_later="Save and come back later",
        ),
    )
    assert response.status_code == 302, error_summary(response)
    assert fresh(MoveRequest, mr.id).site_id == own.id
    assert site_details(own)[1:3] == ("Second Street", "Lamp column 2")
    assert count_sites() == sites_before


# --- the cost of the sites page (PERF-1) ---------------------------------------------------------


def test_the_sites_page_costs_the_same_queries_for_2_or_20_sites(app, client, login_as):
    ward = factories.ward("Leavesden")
    officer = factories.user("officer")
    made = 0

    def add_sites(count: int) -> None:
        nonlocal made
        for _ in range(count):
            site = factories.site(ward, street=f"Lane {made}", exact_location=f"Pole {made}")
            camera = factories.camera()
            # A camera there now, an earlier one gone, and a request sent.
            factories.deployment(camera, site, installed_on=date(2026, 1, 1))
            factories.deployment(
                factories.camera(), site, installed_on=date(2025, 1, 1), removed_on=date(2025, 6, 1)
            )
            factories.move_request(requester=officer, status="submitted", site_obj=site)
            made += 1

    add_sites(2)
    login_as("officer")
    two, with_two = statements_during(client, "/sites?q=lane")
    add_sites(18)
    twenty, with_twenty = statements_during(client, "/sites?q=lane")
    assert (len(site_rows(two)), len(site_rows(twenty))) == (2, 20)
    assert len(with_twenty) == len(with_two), "\n".join(with_twenty)
