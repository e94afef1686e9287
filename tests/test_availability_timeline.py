"""When each camera is free (DESIGN.md section 5): ``free_periods`` over a
hand-written table of edge cases, ``timeline.build`` for a fixed day, and the
page /cameras/availability, whose SVG carries a text alternative that says
the same as the table after it, and whose cost in queries does not grow
with the cameras it lists (QUALITY.md PERF-1).

Bookings include both their ends. Every expected period is written here by
hand (TEST-1).
"""

import re
from datetime import date, timedelta

import pytest

from cctv_requests.models import Camera, MoveRequest
from cctv_requests.services.availability import CameraNow
from cctv_requests.services.timeline import build, free_periods
from tests import factories
from tests.readers import page
from tests.test_meetings_cycle import statements_during

TODAY = date.today()
PAGE = "/cameras/availability"


def jan(day: int) -> date:
    return date(2027, 1, day)


def shown(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- free_periods ------------------------------------------------------------------------------

# The window is 1 to 31 January 2027 unless a case says otherwise.
FREE_PERIODS = [
    ("no bookings", [], [(jan(1), jan(31))]),
    ("ends the day before the window", [(date(2026, 12, 10), date(2026, 12, 31))], [(jan(1), jan(31))]),
    ("ends on the window's first day", [(date(2026, 12, 10), jan(1))], [(jan(2), jan(31))]),
    ("starts on the window's last day", [(jan(31), date(2027, 2, 10))], [(jan(1), jan(30))]),
    ("starts the day after the window", [(date(2027, 2, 1), date(2027, 2, 10))], [(jan(1), jan(31))]),
    (
        "back to back: no gap between them",
        [(jan(5), jan(10)), (jan(11), jan(20))],
        [(jan(1), jan(4)), (jan(21), jan(31))],
    ),
    (
        "a one-day gap between two bookings",
        [(jan(5), jan(10)), (jan(12), jan(20))],
        [(jan(1), jan(4)), (jan(11), jan(11)), (jan(21), jan(31))],
    ),
    ("overlapping", [(jan(5), jan(15)), (jan(10), jan(20))], [(jan(1), jan(4)), (jan(21), jan(31))]),
    ("one inside another", [(jan(5), jan(20)), (jan(8), jan(10))], [(jan(1), jan(4)), (jan(21), jan(31))]),
    ("a one-day booking", [(jan(15), jan(15))], [(jan(1), jan(14)), (jan(16), jan(31))]),
    ("only the first day", [(jan(1), jan(1))], [(jan(2), jan(31))]),
    ("only the last day", [(jan(31), jan(31))], [(jan(1), jan(30))]),
    ("covering the whole window and more", [(date(2026, 12, 20), date(2027, 2, 10))], []),
    ("exactly the window", [(jan(1), jan(31))], []),
    (
        "given out of order",
        [(jan(20), jan(25)), (jan(3), jan(5))],
        [(jan(1), jan(2)), (jan(6), jan(19)), (jan(26), jan(31))],
    ),
    (
        "some before, some inside, some after the window",
        [(date(2026, 12, 1), date(2026, 12, 5)), (jan(10), jan(12)), (date(2027, 3, 1), date(2027, 3, 9))],
        [(jan(1), jan(9)), (jan(13), jan(31))],
    ),
]


@pytest.mark.parametrize(
    ("case", "booked", "free"), FREE_PERIODS, ids=[case for case, _b, _f in FREE_PERIODS]
)
def test_free_periods_are_the_days_no_booking_covers(case, booked, free):
    assert free_periods(booked, jan(1), jan(31)) == free


def test_a_one_day_window_is_free_or_not():
    assert free_periods([], jan(7), jan(7)) == [(jan(7), jan(7))]
    assert free_periods([(jan(7), jan(7))], jan(7), jan(7)) == []
    assert free_periods([(jan(6), jan(6)), (jan(8), jan(8))], jan(7), jan(7)) == [(jan(7), jan(7))]


# --- build, for a fixed day --------------------------------------------------------------------


def camera_now(name: str, status: str = "in_service", bookings=(), review_due=None) -> CameraNow:
    camera = Camera(name=name, asset_tag=name[:3].upper(), service_status=status)
    booked = tuple(MoveRequest(reference=ref, approved_start=a, approved_end=b) for ref, a, b in bookings)
    return CameraNow(camera=camera, deployment=None, review_due=review_due, bookings=booked)


def test_build_from_26_november_2026_shows_each_cameras_next_12_months():
    """From 26 November 2026 for 12 months: to 25 November 2027."""
    board = [
        camera_now("Alder", bookings=[("R-1", jan(10), jan(20))], review_due=date(2027, 2, 14)),
        camera_now("Birch", status="faulty", bookings=[("R-2", jan(1), jan(31))]),
        # Started before today: shown from its real start; free after it.
        camera_now("Cedar", bookings=[("R-3", date(2026, 11, 1), date(2026, 12, 5))]),
        # Ended yesterday, and starts after the window: neither is in it.
        camera_now(
            "Damson",
            bookings=[
                ("R-4", date(2026, 10, 1), date(2026, 11, 25)),
                ("R-5", date(2027, 11, 26), date(2027, 12, 31)),
            ],
            review_due=date(2027, 11, 26),
        ),
        # Runs past the end of the window.
        camera_now("Elm", bookings=[("R-6", date(2027, 11, 1), date(2028, 1, 31))]),
        # Ends on the window's first day; review due that day.
        camera_now(
            "Fir", bookings=[("R-7", date(2026, 11, 1), date(2026, 11, 26))], review_due=date(2026, 11, 26)
        ),
        # Starts on the window's last day; review due that day.
        camera_now(
            "Gorse", bookings=[("R-8", date(2027, 11, 25), date(2027, 12, 5))], review_due=date(2027, 11, 25)
        ),
    ]
    timeline = build(date(2026, 11, 26), board=board)
    assert (timeline.start, timeline.end) == (date(2026, 11, 26), date(2027, 11, 25))
    segments = {
        row.now.camera.name: [(s.kind, s.label, s.first, s.last) for s in row.segments]
        for row in timeline.rows
    }
    assert segments == {
        "Alder": [
            ("free", "Free", date(2026, 11, 26), jan(9)),
            ("booked", "R-1", jan(10), jan(20)),
            ("free", "Free", jan(21), date(2027, 11, 25)),
        ],
        # Faulty: its booking stands; the days around it are not bookable.
        "Birch": [
            ("out", "Faulty", date(2026, 11, 26), date(2026, 12, 31)),
            ("booked", "R-2", jan(1), jan(31)),
            ("out", "Faulty", date(2027, 2, 1), date(2027, 11, 25)),
        ],
        "Cedar": [
            ("booked", "R-3", date(2026, 11, 1), date(2026, 12, 5)),
            ("free", "Free", date(2026, 12, 6), date(2027, 11, 25)),
        ],
        "Damson": [("free", "Free", date(2026, 11, 26), date(2027, 11, 25))],
        "Elm": [
            ("free", "Free", date(2026, 11, 26), date(2027, 10, 31)),
            ("booked", "R-6", date(2027, 11, 1), date(2028, 1, 31)),
        ],
        "Fir": [
            ("booked", "R-7", date(2026, 11, 1), date(2026, 11, 26)),
            ("free", "Free", date(2026, 11, 27), date(2027, 11, 25)),
        ],
        "Gorse": [
            ("free", "Free", date(2026, 11, 26), date(2027, 11, 24)),
            ("booked", "R-8", date(2027, 11, 25), date(2027, 12, 5)),
        ],
    }
    # The review marker is drawn only for a review inside the window, its
    # first and last days included.
    assert [row.review_x is not None for row in timeline.rows] == [
        True,
        False,
        False,
        False,
        False,
        True,
        True,
    ]
    # Each row's bars run on from one to the next, across the whole drawing
    # from the end of the label column to the right-hand margin.
    for row in timeline.rows:
        edges = [(s.x, round(s.x + s.width, 1)) for s in row.segments]
        assert edges[0][0] == 150 and edges[-1][1] == 950
        assert all(edges[i][1] == edges[i + 1][0] for i in range(len(edges) - 1))


# --- the page ------------------------------------------------------------------------------------


def a_year_on(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 2, 28)


WINDOW_END = a_year_on(TODAY) - timedelta(days=1)


def ten_to_twenty() -> tuple[date, date]:
    """10 to 20 January, the next one wholly in the coming 12 months; in the
    few days of the year when no January is (11 to 20 January), 10 to 20 July."""
    year = TODAY.year if date(TODAY.year, 1, 10) > TODAY else TODAY.year + 1
    first, last = date(year, 1, 10), date(year, 1, 20)
    if last > WINDOW_END:
        first, last = date(TODAY.year, 7, 10), date(TODAY.year, 7, 20)
    return first, last


def on_the_page():
    """Alder: up at Prestwick Road, review due in 40 days, booked by a
    request for 10 to 20 January. Birch: faulty. Cedar: in store, not booked."""
    ward = factories.ward("South Oxhey")
    site = factories.site(ward, street="Prestwick Road", exact_location="Lamp column 7 outside the shops")
    alder = factories.camera(name="Alder", asset_tag="ALD-1")
    birch = factories.camera(name="Birch", asset_tag="BIR-2", service_status="faulty")
    cedar = factories.camera(name="Cedar", asset_tag="CED-3")
    live = factories.move_request(
        status="live",
        site_obj=site,
        approved_camera_id=alder.id,
        approved_start=TODAY - timedelta(days=30),
        approved_end=TODAY + timedelta(days=5),
        installed_on=TODAY - timedelta(days=20),
        review_due=TODAY + timedelta(days=40),
    )
    factories.deployment(alder, site, installed_on=TODAY - timedelta(days=20), move_request_id=live.id)
    first, last = ten_to_twenty()
    booking = factories.move_request(
        status="approved", approved_camera_id=alder.id, approved_start=first, approved_end=last
    )
    return {"alder": alder, "birch": birch, "cedar": cedar, "booking": booking, "live": live}


def table_rows(response) -> dict[str, list[str]]:
    table = page(response).find("caption", string=re.compile("^Each camera from")).find_parent("table")
    rows = {}
    for row in table.select("tbody tr"):
        for br in row.find_all("br"):
            br.replace_with("\n")
        label = " ".join(row.select_one("th").get_text(" ").split())
        rows[label] = [
            "\n".join(" ".join(line.split()) for line in c.get_text().split("\n")) for c in row.select("td")
        ]
    return rows


def described_free_periods(desc: str) -> dict[str, list[str]]:
    """The free periods the SVG's description gives for each camera."""
    found = {}
    for sentence in re.findall(r"(.+?\(\w+-\d\)): (.*?)\.(?: |$)", desc.strip()):
        name, text = sentence
        found[name.strip()] = re.findall(r"free (\d+ \w+ \d{4} to \d+ \w+ \d{4})", text)
    return found


def test_the_page_gives_each_cameras_free_periods_in_the_table_and_the_drawing(app, client, login_as):
    world = on_the_page()
    first, last = ten_to_twenty()
    login_as("coordinator")
    response = client.get(PAGE)
    assert response.status_code == 200
    rows = table_rows(response)
    before, after = first - timedelta(days=1), last + timedelta(days=1)
    ref = world["booking"].reference
    assert rows == {
        "Alder (ALD-1)": [
            f"Lamp column 7 outside the shops, Prestwick Road, South Oxhey; review due {shown(TODAY + timedelta(days=40))}",
            f"{ref}: {shown(first)} to {shown(last)}",
            f"{shown(TODAY)} to {shown(before)}\n{shown(after)} to {shown(WINDOW_END)}",
        ],
        "Birch (BIR-2) Faulty": ["In store", "Not booked", "Not bookable while faulty"],
        "Cedar (CED-3)": ["In store", "Not booked", f"{shown(TODAY)} to {shown(WINDOW_END)}"],
    }


def test_the_drawing_has_a_title_and_a_description_that_match_the_table(app, client, login_as):
    world = on_the_page()
    first, last = ten_to_twenty()
    login_as("officer")
    response = client.get(PAGE)
    svg = page(response).select_one("svg")
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "timeline-title timeline-desc"
    assert (
        svg.select_one("title#timeline-title").get_text()
        == f"Cameras from {shown(TODAY)} to {shown(WINDOW_END)}"
    )
    desc = svg.select_one("desc#timeline-desc").get_text()
    ref = world["booking"].reference
    review = shown(TODAY + timedelta(days=40))
    assert (
        f"Alder (ALD-1): free {shown(TODAY)} to {shown(first - timedelta(days=1))}; "
        f"booked by {ref} {shown(first)} to {shown(last)}; "
        f"free {shown(last + timedelta(days=1))} to {shown(WINDOW_END)}; review due {review}."
    ) in desc
    assert f"Birch (BIR-2): faulty, not bookable, {shown(TODAY)} to {shown(WINDOW_END)}." in desc
    assert f"Cedar (CED-3): free {shown(TODAY)} to {shown(WINDOW_END)}." in desc

    # The description and the table give the same free periods.
    table = {label.removesuffix(" Faulty"): cells[2] for label, cells in table_rows(response).items()}
    described = described_free_periods(desc)
    assert set(described) == set(table) == {"Alder (ALD-1)", "Birch (BIR-2)", "Cedar (CED-3)"}
    for label, periods in described.items():
        if label == "Birch (BIR-2)":
            assert (periods, table[label]) == ([], "Not bookable while faulty")
        else:
            assert "\n".join(periods) == table[label]

    # An officer sees the street and ward, not the exact place.
    assert table_rows(response)["Alder (ALD-1)"][0] == f"Prestwick Road, South Oxhey; review due {review}"
    assert "Lamp column 7" not in response.get_data(as_text=True)


def test_a_faulty_cameras_bookings_are_still_shown_as_booked(app, client, login_as):
    """A camera that develops a fault keeps the bookings made before it (the
    camera's own page says so: "those requests need a decision about another
    camera"). The timeline must not tell the board it is "Not booked"."""
    camera = factories.camera(name="Birch", asset_tag="BIR-2", service_status="faulty")
    stuck = factories.move_request(
        status="scheduled",
        approved_camera_id=camera.id,
        approved_start=TODAY + timedelta(days=10),
        approved_end=TODAY + timedelta(days=40),
        installation_date=TODAY + timedelta(days=10),
    )
    login_as("coordinator")
    response = client.get(PAGE)
    booked = f"{stuck.reference}: {shown(TODAY + timedelta(days=10))} to {shown(TODAY + timedelta(days=40))}"
    assert table_rows(response)["Birch (BIR-2) Faulty"] == ["In store", booked, "Not bookable while faulty"]
    desc = page(response).select_one("desc#timeline-desc").get_text()
    assert desc.strip() == (
        f"Birch (BIR-2): faulty, not bookable, {shown(TODAY)} to {shown(TODAY + timedelta(days=9))}; "
        f"booked by {stuck.reference} {shown(TODAY + timedelta(days=10))} to {shown(TODAY + timedelta(days=40))}; "
        f"faulty, not bookable, {shown(TODAY + timedelta(days=41))} to {shown(WINDOW_END)}."
    )
    # The camera's own page, for comparison, lists the booking.
    assert stuck.reference in page(client.get(f"/cameras/{camera.id}")).get_text()


def test_an_overdue_review_is_marked_in_the_table_and_the_description(app, client, login_as):
    camera = factories.camera(name="Alder", asset_tag="ALD-1")
    site = factories.site(factories.ward("Leavesden"), street="College Road", exact_location="Pole 1")
    overdue = TODAY - timedelta(days=3)
    live = factories.move_request(
        status="live", site_obj=site, installed_on=TODAY - timedelta(days=100), review_due=overdue
    )
    factories.deployment(camera, site, installed_on=TODAY - timedelta(days=100), move_request_id=live.id)
    login_as("officer")
    response = client.get(PAGE)
    assert (
        table_rows(response)["Alder (ALD-1)"][0]
        == f"College Road, Leavesden; review overdue since {shown(overdue)}"
    )
    desc = page(response).select_one("desc#timeline-desc").get_text()
    assert desc.strip() == (
        f"Alder (ALD-1): free {shown(TODAY)} to {shown(WINDOW_END)}; review overdue since {shown(overdue)}."
    )


def test_a_camera_booked_back_to_back_is_never_shown_free_between_its_bookings(app, client, login_as):
    camera = factories.camera(name="Alder", asset_tag="ALD-1")
    start = TODAY + timedelta(days=10)
    first = factories.move_request(
        status="approved",
        approved_camera_id=camera.id,
        approved_start=start,
        approved_end=start + timedelta(days=9),
    )
    second = factories.move_request(
        status="scheduled",
        approved_camera_id=camera.id,
        approved_start=start + timedelta(days=10),
        approved_end=start + timedelta(days=20),
        installation_date=start + timedelta(days=10),
    )
    # Requests no longer holding the camera do not book it.
    for status in ("cancelled", "rejected", "closed"):
        factories.move_request(
            status=status,
            approved_camera_id=camera.id,
            approved_start=start + timedelta(days=30),
            approved_end=start + timedelta(days=40),
        )
    login_as("sponsor")
    rows = table_rows(client.get(PAGE))
    assert rows["Alder (ALD-1)"][1:] == [
        f"{first.reference}: {shown(start)} to {shown(start + timedelta(days=9))}\n"
        f"{second.reference}: {shown(start + timedelta(days=10))} to {shown(start + timedelta(days=20))}",
        f"{shown(TODAY)} to {shown(start - timedelta(days=1))}\n"
        f"{shown(start + timedelta(days=21))} to {shown(WINDOW_END)}",
    ]


# --- the cost of the page (PERF-1) ---------------------------------------------------------------


def test_the_page_costs_the_same_queries_for_2_or_20_cameras(app, client, login_as):
    ward = factories.ward("Leavesden")

    def add_cameras(count: int) -> None:
        for n in range(count):
            camera = factories.camera()
            site = factories.site(ward, street="College Road", exact_location=f"Pole {n}")
            live = factories.move_request(
                status="live",
                site_obj=site,
                installed_on=TODAY - timedelta(days=9),
                review_due=TODAY + timedelta(days=n),
            )
            factories.deployment(
                camera, site, installed_on=TODAY - timedelta(days=9), move_request_id=live.id
            )
            factories.move_request(
                status="approved",
                approved_camera_id=camera.id,
                approved_start=TODAY + timedelta(days=20 + n),
                approved_end=TODAY + timedelta(days=30 + n),
            )

    add_cameras(2)
    login_as("coordinator")
    two, with_two = statements_during(client, PAGE)
    add_cameras(18)
    twenty, with_twenty = statements_during(client, PAGE)
    assert (len(table_rows(two)), len(table_rows(twenty))) == (2, 20)
    assert len(with_twenty) == len(with_two), "\n".join(with_twenty)
