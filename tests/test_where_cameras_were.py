"""Where every camera was on any day, and each camera's history (DESIGN.md
section 5): ``positions_on`` and the date question on /cameras, and the
stays on /cameras/<id> with the decision behind each (DESIGN.md section 3
for who sees what), and the cost of those pages in queries (QUALITY.md PERF-1).

The worked example below is written out by hand: four cameras, the sites they
moved between and the dates of each move, and a literal table of where each
camera was on each date asked. When a camera moves, its old stay's removal
day is the new stay's installation day, and that day belongs to the new site.
None of the expected answers is computed by the code under test (TEST-1).
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from cctv_requests.extensions import db
from cctv_requests.models import AgendaItem, Attendance, MoveRequest
from cctv_requests.services.deployments import positions_on
from cctv_requests.workflow import engine
from tests import factories
from tests.readers import page
from tests.test_meetings_cycle import statements_during
from tests.test_request_pages import error_summary

TODAY = date.today()

# --- the worked example ----------------------------------------------------------------------

# Each site: (ward, street, exact location). None of the exact locations
# contains its street, so the coordinator's line is "exact, street, ward".
SITES = {
    "prestwick": ("South Oxhey", "Prestwick Road", "Lamp column 7 outside the parade of shops"),
    "talbot": ("Rickmansworth Town", "Talbot Road", "Lamp column 3 by the footpath entrance"),
    "high": ("Abbots Langley and Bedmond", "High Street", "Building bracket behind the library car park"),
    "berry": ("Penn and Mill End", "Berry Lane", "Lamp column 21 opposite the recreation ground gate"),
    "college": ("Leavesden", "College Road", "Dedicated pole at the north corner of the parade"),
    "gosforth": ("Oxhey Hall and Hayling", "Gosforth Lane", "Lamp column 40 by the bus shelter"),
}
# What the coordinator and an officer see of each site on the cameras page.
EXACT_TEXT = {
    "prestwick": "Lamp column 7 outside the parade of shops, Prestwick Road, South Oxhey",
    "talbot": "Lamp column 3 by the footpath entrance, Talbot Road, Rickmansworth Town",
    "high": "Building bracket behind the library car park, High Street, Abbots Langley and Bedmond",
    "berry": "Lamp column 21 opposite the recreation ground gate, Berry Lane, Penn and Mill End",
    "college": "Dedicated pole at the north corner of the parade, College Road, Leavesden",
    "gosforth": "Lamp column 40 by the bus shelter, Gosforth Lane, Oxhey Hall and Hayling",
}
STREET_TEXT = {
    "prestwick": "Prestwick Road, South Oxhey",
    "talbot": "Talbot Road, Rickmansworth Town",
    "high": "High Street, Abbots Langley and Bedmond",
    "berry": "Berry Lane, Penn and Mill End",
    "college": "College Road, Leavesden",
    "gosforth": "Gosforth Lane, Oxhey Hall and Hayling",
}
CAMERAS = (("Alder", "ALD-1"), ("Birch", "BIR-2"), ("Cedar", "CED-3"), ("Damson", "DAM-4"))

# Each camera's stays: (site, installed on, removed on or None while it is there).
#   Alder: at Prestwick Road when the service started; moved to Talbot Road on
#          13 April (swapping with Cedar); taken down on 1 June and kept in
#          store; put up at High Street on 20 July, where it is now.
#   Birch: Berry Lane from 1 February; College Road from 1 May; Prestwick
#          Road from 7 September, where it is now.
#   Cedar: Gosforth Lane from 5 January; Talbot Road from 10 March; back to
#          Gosforth Lane on 13 April; taken down on 2 November, in store now.
#   Damson: never deployed.
STAYS = {
    "Alder": (
        ("prestwick", date(2026, 3, 2), date(2026, 4, 13)),
        ("talbot", date(2026, 4, 13), date(2026, 6, 1)),
        ("high", date(2026, 7, 20), None),
    ),
    "Birch": (
        ("berry", date(2026, 2, 1), date(2026, 5, 1)),
        ("college", date(2026, 5, 1), date(2026, 9, 7)),
        ("prestwick", date(2026, 9, 7), None),
    ),
    "Cedar": (
        ("gosforth", date(2026, 1, 5), date(2026, 3, 10)),
        ("talbot", date(2026, 3, 10), date(2026, 4, 13)),
        ("gosforth", date(2026, 4, 13), date(2026, 11, 2)),
    ),
    "Damson": (),
}

# Where each camera was: (Alder, Birch, Cedar, Damson); None is "in store".
WHERE = [
    # The day before the very first installation (Cedar's): all in store.
    (date(2026, 1, 4), (None, None, None, None)),
    # The very first installation day.
    (date(2026, 1, 5), (None, None, "gosforth", None)),
    (date(2026, 2, 1), (None, "berry", "gosforth", None)),
    # The day before Alder's first stay, and its first day.
    (date(2026, 3, 1), (None, "berry", "gosforth", None)),
    (date(2026, 3, 2), ("prestwick", "berry", "gosforth", None)),
    # The day before Cedar's first move, and the day of it.
    (date(2026, 3, 9), ("prestwick", "berry", "gosforth", None)),
    (date(2026, 3, 10), ("prestwick", "berry", "talbot", None)),
    # Alder and Cedar swap on 13 April: the day before and the day itself.
    (date(2026, 4, 12), ("prestwick", "berry", "talbot", None)),
    (date(2026, 4, 13), ("talbot", "berry", "gosforth", None)),
    # Birch moves on 1 May.
    (date(2026, 4, 30), ("talbot", "berry", "gosforth", None)),
    (date(2026, 5, 1), ("talbot", "college", "gosforth", None)),
    # Alder's last day at Talbot Road; its removal day (no next site: in
    # store); a day in the gap; the gap's last day; its next installation.
    (date(2026, 5, 31), ("talbot", "college", "gosforth", None)),
    (date(2026, 6, 1), (None, "college", "gosforth", None)),
    (date(2026, 7, 1), (None, "college", "gosforth", None)),
    (date(2026, 7, 19), (None, "college", "gosforth", None)),
    (date(2026, 7, 20), ("high", "college", "gosforth", None)),
    # Birch moves on 7 September.
    (date(2026, 9, 6), ("high", "college", "gosforth", None)),
    (date(2026, 9, 7), ("high", "prestwick", "gosforth", None)),
    # Cedar's last day out, and its removal day.
    (date(2026, 11, 1), ("high", "prestwick", "gosforth", None)),
    (date(2026, 11, 2), ("high", "prestwick", None, None)),
    # Today.
    (TODAY, ("high", "prestwick", None, None)),
]


def shown(day: date) -> str:
    """A date as the pages show it: 5 March 2026."""
    return f"{day.day} {day:%B %Y}"


def build_example() -> dict:
    """The four cameras, six sites and every stay above. Every stay was put
    there by a request except Alder's and Birch's first, which were in place
    when the service started. Returns the rows by name."""
    sites = {
        key: factories.site(factories.ward(w), street=s, exact_location=e) for key, (w, s, e) in SITES.items()
    }
    cameras = {name: factories.camera(name=name, asset_tag=tag) for name, tag in CAMERAS}
    deployments, requests = {}, {}
    for name, stays in STAYS.items():
        for index, (key, installed, removed) in enumerate(stays):
            request = None
            if index > 0 or name == "Cedar":
                request = factories.move_request(
                    status="live" if removed is None else "ended",
                    site_obj=sites[key],
                    title=f"{name} to {SITES[key][1]}",
                    approved_camera_id=cameras[name].id,
                    approved_start=installed,
                    approved_end=installed + timedelta(weeks=20),
                    installed_on=installed,
                    removed_on=removed,
                )
                requests[(name, index)] = request
            deployments[(name, index)] = factories.deployment(
                cameras[name],
                sites[key],
                installed_on=installed,
                removed_on=removed,
                move_request_id=request.id if request else None,
            )
    return {"sites": sites, "cameras": cameras, "deployments": deployments, "requests": requests}


def where_table(response, day: date) -> dict[str, list[str]]:
    """The rows of "Where the cameras were on <day>": camera label to its cells."""
    caption = f"Where the cameras were on {shown(day)}"
    for table in page(response).select("table"):
        found = table.select_one("caption")
        if found is not None and found.get_text(strip=True) == caption:
            return {
                row.select_one("th").get_text(strip=True): [
                    cell.get_text(" ", strip=True) for cell in row.select("td")
                ]
                for row in table.select("tbody tr")
            }
    raise AssertionError(f"no table captioned {caption!r}")


def ask(client, day: date):
    return client.get(f"/cameras?on={day.day}&on={day.month}&on={day.year}")


# --- 1. where each camera was: the service -----------------------------------------------------


def test_positions_on_gives_the_site_of_each_camera_on_each_day(app):
    build_example()
    names = [name for name, _tag in CAMERAS]
    answers = {
        day: [(camera.name, d.site.street if d else None) for camera, d in positions_on(day)]
        for day, _ in WHERE
    }
    assert answers == {
        day: [(n, SITES[k][1] if k else None) for n, k in zip(names, expected, strict=True)]
        for day, expected in WHERE
    }


def test_positions_on_keeps_a_site_that_has_two_cameras_apart(app):
    """Two cameras at one site on one day: each is listed at it, neither lost."""
    ward = factories.ward("Carpenders Park")
    shared = factories.site(ward, street="Oxhey Drive", exact_location="Lamp column 2")
    first = factories.camera(name="Elm", asset_tag="ELM-5")
    second = factories.camera(name="Fir", asset_tag="FIR-6")
    factories.deployment(first, shared, installed_on=date(2026, 2, 1), removed_on=date(2026, 6, 1))
    factories.deployment(second, shared, installed_on=date(2026, 3, 1))
    on = [(c.name, d.site.street if d else None) for c, d in positions_on(date(2026, 4, 1))]
    assert on == [("Elm", "Oxhey Drive"), ("Fir", "Oxhey Drive")]
    on = [(c.name, d.site.street if d else None) for c, d in positions_on(date(2026, 6, 1))]
    assert on == [("Elm", None), ("Fir", "Oxhey Drive")]


# --- 1. where each camera was: the page ---------------------------------------------------------


def test_the_coordinator_sees_the_exact_place_of_each_camera_on_each_day(app, client, login_as):
    build_example()
    login_as("coordinator")
    answers = {}
    for day, _ in WHERE:
        response = ask(client, day)
        assert response.status_code == 200
        answers[day] = {label: cells[0] for label, cells in where_table(response, day).items()}
    assert answers == {
        day: {
            f"{name} ({tag})": EXACT_TEXT[key] if key else "In store (not deployed)"
            for (name, tag), key in zip(CAMERAS, expected, strict=True)
        }
        for day, expected in WHERE
    }


def test_an_officer_sees_the_street_and_ward_of_each_camera_on_each_day(app, client, login_as):
    build_example()
    login_as("officer")
    answers = {}
    for day, _ in WHERE:
        response = ask(client, day)
        answers[day] = {label: cells[0] for label, cells in where_table(response, day).items()}
        html = response.get_data(as_text=True)
        assert [exact for _w, _s, exact in SITES.values() if exact in html] == []
    assert answers == {
        day: {
            f"{name} ({tag})": STREET_TEXT[key] if key else "In store (not deployed)"
            for (name, tag), key in zip(CAMERAS, expected, strict=True)
        }
        for day, expected in WHERE
    }


def test_the_days_table_gives_each_stays_dates_and_whether_a_request_put_it_there(app, client, login_as):
    build_example()
    day = date(2026, 4, 13)
    login_as("coordinator")
    rows = where_table(ask(client, day), day)
    assert rows["Alder (ALD-1)"][1:] == ["13 April 2026 to 1 June 2026", "View the request"]
    assert rows["Birch (BIR-2)"][1:] == ["1 February 2026 to 1 May 2026", "In place when the service started"]
    assert rows["Cedar (CED-3)"][1:] == ["13 April 2026 to 2 November 2026", "View the request"]
    assert rows["Damson (DAM-4)"] == ["In store (not deployed)"]

    # An open stay has no end date.
    rows = where_table(ask(client, TODAY), TODAY)
    assert rows["Alder (ALD-1)"][1] == "20 July 2026"

    # An officer is told a request put it there, without a link to it.
    login_as("officer")
    response = ask(client, day)
    rows = where_table(response, day)
    assert rows["Alder (ALD-1)"][1:] == ["13 April 2026 to 1 June 2026", "Yes"]
    assert rows["Birch (BIR-2)"][2] == "In place when the service started"
    table = (
        page(response).find("caption", string=f"Where the cameras were on {shown(day)}").find_parent("table")
    )
    assert table.select('a[href^="/requests/"]') == []


def test_a_future_date_is_refused_and_today_is_answered(app, client, login_as):
    build_example()
    login_as("coordinator")
    tomorrow = TODAY + timedelta(days=1)
    refused = ask(client, tomorrow)
    assert refused.status_code == 200
    assert page(refused).title.get_text().startswith("Error: ")
    assert error_summary(refused) == {"on-day": "Date must be today or in the past"}
    assert "Where the cameras were on" not in refused.get_data(as_text=True)
    assert where_table(ask(client, TODAY), TODAY)["Birch (BIR-2)"][0] == EXACT_TEXT["prestwick"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("on=31&on=2&on=2026", "Date must be a real date"),
        ("on=1&on=13&on=2026", "Date must be a real date"),
        ("on=1&on=May&on=2026", "Date must be a real date"),
        ("on=&on=&on=", "Enter a date"),
    ],
)
def test_an_impossible_or_missing_date_names_the_field(app, client, login_as, query, message):
    build_example()
    login_as("officer")
    response = client.get(f"/cameras?{query}")
    assert response.status_code == 200
    assert error_summary(response) == {"on-day": message}
    messages = [m.get_text(" ", strip=True) for m in page(response).select(".govuk-error-message")]
    assert messages == [f"Error: {message}"]
    # The summary's link goes to the question's day box.
    assert page(response).select_one("input#on-day")["name"] == "on"
    assert "Where the cameras were on" not in response.get_data(as_text=True)


def test_a_councillor_is_not_offered_the_date_question_and_asking_shows_no_sites(app, client, login_as):
    build_example()
    login_as("councillor")
    response = ask(client, date(2026, 5, 1))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Where the cameras were on" not in html
    assert 'id="where-on"' not in html
    for _ward, street, exact in SITES.values():
        assert street not in html and exact not in html


# --- 2. each camera's history --------------------------------------------------------------------


def cell_text(cell) -> str:
    """A cell's text as read: each line break a space, spaces collapsed."""
    for br in cell.find_all("br"):
        br.replace_with(" ")
    return " ".join(cell.get_text().split())


def stays_rows(response) -> list[list[str]]:
    """The "Where it has been" table: each row's cells as text."""
    heading = page(response).find("h2", string="Where it has been")
    table = heading.find_next("table")
    return [[cell_text(c) for c in row.select("td")] for row in table.select("tbody tr")]


def stays_table(response):
    return page(response).find("h2", string="Where it has been").find_next("table")


def decide(meeting, mr, kind: str, outcome: str, by, at: datetime) -> AgendaItem:
    return factories.agenda_item(meeting, mr, kind=kind, outcome=outcome, decided_by_id=by.id, decided_at=at)


def with_decisions(world) -> dict:
    """The decisions behind the stays of Alder and Birch:
    - Alder at Talbot Road: approved at the board meeting of 19 March 2026,
      recorded by Rita Recorder (after a deferral at the meeting of 12 February,
      and continued at a review on 21 May);
    - Alder at High Street: a chair's action by Carol Chair on 10 July 2026,
      ratified at the meeting of 17 September 2026;
    - Birch at College Road: approved at the meeting of 9 April 2026, recorded by Carol Chair;
    - Birch at Prestwick Road: a chair's action by Carol Chair on 1 September
      2026, not ratified at the meeting of 12 November 2026;
    - Cedar at Gosforth Lane (its first stay): a chair's action by Sam Stand-in on
      2 January 2026, its ratification still to come;
    - Cedar at Talbot Road and back at Gosforth Lane: no decision recorded."""
    chair = factories.user("board", "chair", name="Carol Chair")
    recorder = factories.user("board", "chair", name="Rita Recorder")
    deputy = factories.user("board", "chair", name="Sam Stand-in")
    feb = factories.meeting(date(2026, 2, 12), status="closed")
    march = factories.meeting(date(2026, 3, 19), status="closed")
    april = factories.meeting(date(2026, 4, 9), status="closed")
    july = factories.meeting(date(2026, 7, 16), status="closed")
    september = factories.meeting(date(2026, 9, 17), status="closed")
    november = factories.meeting(date(2026, 11, 12), status="closed")
    january = factories.meeting(date(2026, 1, 15), status="closed")
    later = factories.meeting(TODAY + timedelta(days=60))
    r = world["requests"]
    at = lambda *args: datetime(*args, 10, 0, tzinfo=UTC)  # noqa: E731
    decide(feb, r[("Alder", 1)], "request", "deferred", chair, at(2026, 2, 12))
    decide(march, r[("Alder", 1)], "request", "approved", recorder, at(2026, 3, 19))
    # A later review continued it: the stay's authority is still the approval.
    may = factories.meeting(date(2026, 5, 21), status="closed")
    decide(may, r[("Alder", 1)], "review", "continued", chair, at(2026, 5, 21))
    decide(july, r[("Alder", 2)], "request", "chair_action", chair, at(2026, 7, 10))
    decide(september, r[("Alder", 2)], "ratification", "ratified", recorder, at(2026, 9, 17))
    decide(april, r[("Birch", 1)], "request", "approved", chair, at(2026, 4, 9))
    decide(september, r[("Birch", 2)], "request", "chair_action", chair, at(2026, 9, 1))
    decide(november, r[("Birch", 2)], "ratification", "not_ratified", recorder, at(2026, 11, 12))
    decide(january, r[("Cedar", 0)], "request", "chair_action", deputy, at(2026, 1, 2))
    factories.agenda_item(later, r[("Cedar", 0)], kind="ratification")
    return {"meetings": {"march": march, "april": april}, "chair": chair}


def test_a_cameras_page_lists_every_stay_newest_first_with_the_decision_behind_it(app, client, login_as):
    world = build_example()
    decisions = with_decisions(world)
    r = world["requests"]
    login_as("coordinator")
    alder = world["cameras"]["Alder"]
    response = client.get(f"/cameras/{alder.id}")
    assert response.status_code == 200
    assert stays_rows(response) == [
        [
            EXACT_TEXT["high"],
            "20 July 2026 Correct the installation date of Alder (ALD-1) at High Street",
            "Still there",
            f"{r[('Alder', 2)].reference} Chair's action by Carol Chair, 10 July 2026; ratified",
        ],
        [
            EXACT_TEXT["talbot"],
            "13 April 2026 Correct the installation date of Alder (ALD-1) at Talbot Road",
            "1 June 2026 Correct the removal date of Alder (ALD-1) at Talbot Road",
            f"{r[('Alder', 1)].reference} Board decision, meeting of 19 March 2026, recorded by Rita Recorder",
        ],
        [
            EXACT_TEXT["prestwick"],
            "2 March 2026 Correct the installation date of Alder (ALD-1) at Prestwick Road",
            "13 April 2026 Correct the removal date of Alder (ALD-1) at Prestwick Road",
            "In place when the service started",
        ],
    ]
    # Each stay links to its request and its meeting.
    table = stays_table(response)
    links = [a["href"] for a in table.select("td:nth-of-type(4) a")]
    assert links == [
        f"/requests/{r[('Alder', 2)].id}",
        f"/requests/{r[('Alder', 1)].id}",
        f"/meetings/{decisions['meetings']['march'].id}",
    ]

    birch = world["cameras"]["Birch"]
    rows = stays_rows(client.get(f"/cameras/{birch.id}"))
    assert [row[3] for row in rows] == [
        f"{r[('Birch', 2)].reference} Chair's action by Carol Chair, 1 September 2026; not ratified",
        f"{r[('Birch', 1)].reference} Board decision, meeting of 9 April 2026, recorded by Carol Chair",
        "In place when the service started",
    ]

    cedar = world["cameras"]["Cedar"]
    rows = stays_rows(client.get(f"/cameras/{cedar.id}"))
    assert [(row[0], row[3]) for row in rows] == [
        (EXACT_TEXT["gosforth"], f"{r[('Cedar', 2)].reference} No board decision recorded"),
        (EXACT_TEXT["talbot"], f"{r[('Cedar', 1)].reference} No board decision recorded"),
        # Awaiting ratification: neither ratified nor not.
        (
            EXACT_TEXT["gosforth"],
            f"{r[('Cedar', 0)].reference} Chair's action by Sam Stand-in, 2 January 2026",
        ),
    ]

    damson = world["cameras"]["Damson"]
    response = client.get(f"/cameras/{damson.id}")
    assert "This camera has not been deployed yet." in response.get_data(as_text=True)


def test_an_officer_sees_the_history_at_street_level_without_links_to_meetings_or_requests(
    app, client, login_as
):
    world = build_example()
    with_decisions(world)
    r = world["requests"]
    officer = login_as("officer")
    alder = world["cameras"]["Alder"]
    response = client.get(f"/cameras/{alder.id}")
    assert stays_rows(response) == [
        [
            STREET_TEXT["high"],
            "20 July 2026",
            "Still there",
            f"{r[('Alder', 2)].reference} Chair's action by Carol Chair, 10 July 2026; ratified",
        ],
        [
            STREET_TEXT["talbot"],
            "13 April 2026",
            "1 June 2026",
            f"{r[('Alder', 1)].reference} Board decision, meeting of 19 March 2026, recorded by Rita Recorder",
        ],
        [STREET_TEXT["prestwick"], "2 March 2026", "13 April 2026", "In place when the service started"],
    ]
    assert officer.id not in {mr.requester_id for mr in r.values()}
    assert stays_table(response).select("a") == []
    html = response.get_data(as_text=True)
    assert "/meetings/" not in html
    for _ward, _street, exact in SITES.values():
        assert exact not in html


def install_by_chairs_action(mr, camera, chair, coordinator) -> None:
    """Approve ``mr`` by chair's action, book and record its installation
    today, through the workflow."""
    engine.fire(
        mr,
        "approve_urgently",
        chair,
        {
            "camera_id": camera.id,
            "start": TODAY,
            "end": TODAY + timedelta(days=60),
            "reason": "Risk this week",
        },
    )
    engine.fire(
        mr,
        "schedule_installation",
        coordinator,
        {
            "camera_id": camera.id,
            "installation_date": TODAY,
            "installer": "Herts CCTV",
            "installation_cost": 850,
        },
    )
    engine.fire(
        mr,
        "record_installation",
        coordinator,
        {
            "installed_on": TODAY,
            "dpia_reference": "DPIA-9",
            "signage_confirmed": True,
            "actual_cost": None,
            "review_due": TODAY + timedelta(days=90),
        },
    )
    assert db.session.get(MoveRequest, mr.id).status == "live"


def test_a_chairs_action_between_meetings_is_shown_as_the_authority_for_the_stay(app, client, login_as):
    """An urgent request approved by chair's action before it reaches an
    agenda (from endorsed, as DESIGN.md section 4 allows), booked, installed
    and then ratified, all through the workflow: the camera's history names
    the chair's action that put it there, and its ratification."""
    chair = factories.user("board", "chair", name="Carol Chair")
    members = [factories.user("board", name=f"Member {n}") for n in (1, 2)]
    coordinator = factories.user("coordinator", name="Colin Coordinator")
    next_meeting = factories.meeting(TODAY + timedelta(days=30))
    camera = factories.camera(name="Hawthorn", asset_tag="HAW-8")
    site = factories.site(factories.ward("Durrants"), street="Durrants Drive", exact_location="Lamp column 9")
    mr = factories.move_request(
        status="endorsed",
        site_obj=site,
        urgency="urgent",
        urgent_ground="risk_of_harm",
        urgent_explanation="Threats made to a resident",
    )
    factories.survey(mr)
    install_by_chairs_action(mr, camera, chair, coordinator)

    login_as("coordinator")
    awaiting = stays_rows(client.get(f"/cameras/{camera.id}"))

    # The board ratifies it at its next meeting.
    db.session.add_all(Attendance(meeting_id=next_meeting.id, user_id=u.id) for u in (chair, *members))
    next_meeting.status = "in_session"
    db.session.commit()
    engine.fire(db.session.get(MoveRequest, mr.id), "ratify", chair, {"votes_for": 3})
    ratified = stays_rows(client.get(f"/cameras/{camera.id}"))
    assert db.session.get(MoveRequest, mr.id).status == "live"
    assert ([row[3] for row in awaiting], [row[3] for row in ratified]) == (
        [f"{mr.reference} Chair's action by Carol Chair, {shown(TODAY)}"],
        [f"{mr.reference} Chair's action by Carol Chair, {shown(TODAY)}; ratified"],
    )


def test_a_chairs_action_on_an_agenda_item_is_shown_as_the_authority_for_the_stay(app, client, login_as):
    """The same, but the request was already on an agenda when the chair acted."""
    chair = factories.user("board", "chair", name="Carol Chair")
    coordinator = factories.user("coordinator")
    meeting = factories.meeting(TODAY + timedelta(days=20))
    factories.meeting(TODAY + timedelta(days=80))
    camera = factories.camera(name="Hawthorn", asset_tag="HAW-8")
    mr = factories.move_request(
        status="on_agenda", urgency="urgent", urgent_ground="risk_of_harm", urgent_explanation="Threats"
    )
    factories.agenda_item(meeting, mr)
    factories.survey(mr)
    install_by_chairs_action(mr, camera, chair, coordinator)
    login_as("coordinator")
    rows = stays_rows(client.get(f"/cameras/{camera.id}"))
    assert [row[3] for row in rows] == [f"{mr.reference} Chair's action by Carol Chair, {shown(TODAY)}"]


# --- the cost of the pages (PERF-1) --------------------------------------------------------------


def add_cameras_with_history(count: int, ward) -> None:
    """``count`` cameras, each with a closed stay (by a request approved at a
    meeting) and an open one."""
    chair = factories.user("board", "chair")
    meeting = factories.meeting(date(2025, 12, 1) + timedelta(days=count), status="closed")
    for _ in range(count):
        camera = factories.camera()
        old = factories.site(ward, street="Old Street", exact_location="Lamp column 1")
        new = factories.site(ward, street="New Street", exact_location="Lamp column 2")
        mr = factories.move_request(status="live", site_obj=new, installed_on=date(2026, 3, 1))
        factories.agenda_item(
            meeting,
            mr,
            outcome="approved",
            decided_by_id=chair.id,
            decided_at=datetime(2026, 2, 1, tzinfo=UTC),
        )
        factories.deployment(camera, old, installed_on=date(2026, 1, 1), removed_on=date(2026, 3, 1))
        factories.deployment(camera, new, installed_on=date(2026, 3, 1), move_request_id=mr.id)


def test_the_cameras_page_with_a_past_date_costs_the_same_queries_for_2_or_20_cameras(app, client, login_as):
    ward = factories.ward("Gade Valley")
    add_cameras_with_history(2, ward)
    login_as("coordinator")
    path = "/cameras?on=15&on=2&on=2026"
    two, with_two = statements_during(client, path)
    add_cameras_with_history(18, ward)
    twenty, with_twenty = statements_during(client, path)
    assert (two.status_code, twenty.status_code) == (200, 200)
    assert (len(where_table(two, date(2026, 2, 15))), len(where_table(twenty, date(2026, 2, 15)))) == (2, 20)
    assert len(with_twenty) == len(with_two), "\n".join(with_twenty)


def test_a_cameras_history_costs_the_same_queries_for_2_or_20_stays(app, client, login_as):
    ward = factories.ward("Gade Valley")
    chair = factories.user("board", "chair")
    camera = factories.camera(name="Juniper", asset_tag="JUN-9")
    made = 0

    def add_stays(count: int) -> None:
        nonlocal made
        for _ in range(count):
            start = date(2024, 1, 1) + timedelta(days=10 * made)
            site = factories.site(ward, street=f"Street {made}", exact_location=f"Lamp column {made}")
            mr = factories.move_request(status="ended", site_obj=site)
            meeting = factories.meeting(start - timedelta(days=5), status="closed")
            factories.agenda_item(
                meeting,
                mr,
                outcome="chair_action" if made % 2 else "approved",
                decided_by_id=chair.id,
                decided_at=datetime(start.year, start.month, start.day, tzinfo=UTC),
            )
            factories.deployment(
                camera, site, installed_on=start, removed_on=start + timedelta(days=10), move_request_id=mr.id
            )
            made += 1

    add_stays(2)
    login_as("coordinator")
    two, with_two = statements_during(client, f"/cameras/{camera.id}")
    add_stays(18)
    twenty, with_twenty = statements_during(client, f"/cameras/{camera.id}")
    assert (len(stays_rows(two)), len(stays_rows(twenty))) == (2, 20)
    assert len(with_twenty) == len(with_two), "\n".join(with_twenty)
