"""The board's papers (DESIGN.md sections 3 and 6; QUALITY.md SEC-4, SEC-13):
the agenda pack and the minutes as pages and PDFs, marked restricted, read
only by the board, the chair and the coordinator, every view and download
audited; the minutes a record of the meeting as it closed; and the
councillor's summary, counts only, small numbers suppressed.

Every expected value (dates in words, labels, counts) is worked by hand from
the data each test sets up; none is read back from the code under test.
"""

import io
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent, Camera, Meeting
from cctv_requests.services import meetings
from cctv_requests.workflow import engine
from tests import factories
from tests.readers import events, page
from tests.scene import RESTRICTED_MARKS

TODAY = date(2027, 3, 10)  # a Wednesday: the meeting day in the minutes tests
PACK_EXACT = "PACKSPOT lamp column 12 by the bus shelter"
PACK_INTEL = "PACKINTEL dealing reported from the lock-up garages"
PAPER_ROUTES = ("agenda-pack", "agenda-pack.pdf", "minutes", "minutes.pdf")


# --- readers -------------------------------------------------------------------------------------


def pdf_pages(response) -> list[str]:
    """The text of each page of a PDF response, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(response.data))
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


def paper_items(soup) -> list[dict[str, str]]:
    """Each item of a paper: its heading and its summary-list rows."""
    return [
        {
            "heading": div.find("h3").get_text(" ", strip=True),
            **{
                row.find("dt").get_text(" ", strip=True): row.find("dd").get_text(" ", strip=True)
                for row in div.select("div.govuk-summary-list__row")
            },
        }
        for div in soup.select(".app-paper-item")
    ]


def table(soup, caption: str) -> list[list[str]]:
    """The body rows of the table with ``caption``, cell by cell."""
    for found in soup.select("table"):
        if found.caption and found.caption.get_text(" ", strip=True) == caption:
            return [
                [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
                for row in found.select("tbody tr")
            ]
    raise AssertionError(f"no table captioned {caption!r}")


def meeting_line(soup) -> dict[str, str]:
    """The meeting's own summary list (the first one on a paper)."""
    first = soup.select_one("dl.govuk-summary-list")
    return {
        row.find("dt").get_text(" ", strip=True): row.find("dd").get_text(" ", strip=True)
        for row in first.select("div.govuk-summary-list__row")
    }


def paper_events(action: str) -> list[tuple]:
    """(actor, object type, object id, paper) of each audit event with ``action``."""
    rows = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    )
    return [(e.actor_id, e.object_type, e.object_id, e.details.get("paper")) for e in rows]


def denied_paths() -> list[tuple]:
    rows = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(AuditEvent.id)
    )
    return [(e.actor_id, e.outcome, e.details.get("path")) for e in rows]


# --- 1. the agenda pack --------------------------------------------------------------------------


def planned_meeting_with_twelve_items():
    officer, sponsor = factories.user("officer", name="Olive Officer"), factories.user("sponsor")
    meeting = factories.meeting(date(2027, 6, 9))
    ward = factories.ward("Gade Valley")
    refs = []
    for n in range(1, 13):
        fields = {"exact_location": PACK_EXACT} if n == 1 else {}
        site = factories.site(ward, street="Pack Street", **fields)
        mr = factories.move_request(
            requester=officer,
            sponsor=sponsor,
            status="on_agenda",
            site_obj=site,
            reference=f"CCTV-2027-{n:04d}",
            title=f"Item number {n}",
            **({"intelligence_summary": PACK_INTEL} if n == 1 else {}),
        )
        factories.agenda_item(meeting, mr)
        refs.append(mr.reference)
    return meeting, refs


def test_the_agenda_pack_page_shows_the_restricted_detail_and_each_view_is_audited(app, client, login_as):
    meeting, _refs = planned_meeting_with_twelve_items()
    member = login_as("board")
    response = client.get(f"/meetings/{meeting.id}/agenda-pack")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    shown = page(response)
    assert shown.select_one("strong.govuk-tag").get_text(strip=True) == "Restricted"
    assert shown.h1.get_text(strip=True) == "Agenda pack"
    items = paper_items(shown)
    assert [i["heading"] for i in items] == [
        f"{n}. Request for decision: CCTV-2027-{n:04d}, Item number {n}" for n in range(1, 13)
    ]
    assert items[0]["Site"] == f"Pack Street, Gade Valley: {PACK_EXACT}"
    assert items[0]["Intelligence"] == PACK_INTEL
    assert items[0]["Requested by"].startswith("Olive Officer; sponsored by ")
    assert paper_events("papers.viewed") == [(member.id, "meeting", meeting.id, "agenda-pack")]
    client.get(f"/meetings/{meeting.id}/agenda-pack")
    assert len(paper_events("papers.viewed")) == 2
    assert paper_events("papers.downloaded") == []


def test_the_agenda_pack_pdf_is_marked_restricted_on_every_page_and_each_download_is_audited(
    app, client, login_as
):
    meeting, refs = planned_meeting_with_twelve_items()
    coordinator = login_as("coordinator")
    response = client.get(f"/meetings/{meeting.id}/agenda-pack.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    # 9 June 2027, the meeting day chosen above.
    assert response.headers["Content-Disposition"] == 'attachment; filename="agenda-pack-2027-06-09.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    pages = pdf_pages(response)
    total = len(pages)
    assert total >= 2
    for number, text in enumerate(pages, start=1):
        assert "RESTRICTED" in text, f"page {number} is not marked"
        assert f"Page {number} of {total}" in text
    whole = " ".join(pages)
    assert all(ref in whole for ref in refs)
    assert PACK_EXACT in whole and PACK_INTEL in whole
    assert paper_events("papers.downloaded") == [(coordinator.id, "meeting", meeting.id, "agenda-pack")]
    assert paper_events("papers.viewed") == []


# --- 2. the minutes ------------------------------------------------------------------------------


@pytest.fixture
def held(app):
    """A meeting on TODAY: one request approved (Camera 9, 1 April to 24 June
    2027, votes 3/0/0, with conditions, reasons and an interest), one
    rejected; closed with Camera 4 at SNAPSPOT. Then today's data moves on:
    Camera 4 goes to LATERSPOT, Camera 9 turns faulty, the approval is
    cancelled (so its booking is gone)."""
    chair = factories.user("board", "chair", name="Margaret Hale")
    others = [factories.user("board", name=name) for name in ("Tom Reed", "Ana Lopes", "Priya Shah")]
    meeting = factories.meeting(TODAY, status="in_session", attendees=[chair, *others])
    camera9 = factories.camera(name="Camera 9", asset_tag="TRDC-09")
    camera4 = factories.camera(name="Camera 4", asset_tag="TRDC-04")
    leavesden = factories.ward("Leavesden")
    then = factories.deployment(
        camera4,
        factories.site(leavesden, exact_location="SNAPSPOT lamp column 7"),
        installed_on=date(2026, 11, 2),
    )
    approved = factories.move_request(status="on_agenda", reference="CCTV-2027-0031", title="Canal towpath")
    rejected = factories.move_request(status="on_agenda", reference="CCTV-2027-0032", title="Market square")
    approved_item = factories.agenda_item(meeting, approved)
    factories.agenda_item(meeting, rejected)
    meetings.declare_interest(approved_item, others[2], "Lives on the towpath")
    engine.fire(
        approved,
        "approve",
        chair,
        {
            "camera_id": camera9.id,
            "start": date(2027, 4, 1),
            "end": date(2027, 6, 24),
            "votes_for": 3,
            "votes_against": 0,
            "votes_abstain": 0,
            "reason": "Strong evidence of harm to walkers",
            "conditions": "Mask the nursery windows",
        },
        today=TODAY,
    )
    engine.fire(
        rejected,
        "reject",
        chair,
        {"reason": "Lighting not yet tried", "votes_for": 1, "votes_against": 3, "votes_abstain": 0},
        today=TODAY,
    )
    assert meetings.change_status(meeting, "close", chair, TODAY) is None
    # Today's data moves on after the meeting.
    then.removed_on = date(2027, 3, 20)
    db.session.commit()
    factories.deployment(
        camera4,
        factories.site(factories.ward("Durrants"), exact_location="LATERSPOT gable end of the library"),
        installed_on=date(2027, 3, 21),
    )
    db.session.get(Camera, camera9.id).service_status = "faulty"
    db.session.commit()
    engine.fire(
        approved,
        "cancel",
        factories.user("coordinator"),
        {"reason": "Landowner refused"},
        today=date(2027, 3, 24),
    )
    db.session.expire_all()
    return {"meeting": meeting, "chair": chair}


# The decisions as they were taken, worked by hand from the fixture.
DECISIONS = [
    {
        "heading": "1. Request for decision: CCTV-2027-0031, Canal towpath",
        "Decision": "Approved: Camera 9 (TRDC-09), 1 April 2027 to 24 June 2027",
        "Votes": "For 3, against 0, abstaining 0",
        "Reasons": "Strong evidence of harm to walkers",
        "Conditions": "Mask the nursery windows",
        "Interests declared": "Priya Shah: Lives on the towpath",
    },
    {
        "heading": "2. Request for decision: CCTV-2027-0032, Market square",
        "Decision": "Rejected",
        "Votes": "For 1, against 3, abstaining 0",
        "Reasons": "Lighting not yet tried",
        "Interests declared": "None",
    },
]
SNAPSHOT = "The cameras as they stood when the meeting closed"
# Both cameras as they stood at the close: Camera 4 at SNAPSPOT since
# 2 November 2026; Camera 9 in store, in service, booked for the approval.
CAMERAS_AT_CLOSE = [
    [
        "Camera 4 (TRDC-04)",
        "In service",
        "SNAPSPOT lamp column 7, Leavesden, since 2 November 2026",
        "None set",
        "Not booked",
    ],
    [
        "Camera 9 (TRDC-09)",
        "In service",
        "In store",
        "None set",
        "CCTV-2027-0031: 1 April 2027 to 24 June 2027",
    ],
]


def test_the_minutes_keep_the_decisions_and_the_cameras_as_they_stood_at_the_close(
    app, client, login_as, held
):
    meeting = held["meeting"]
    reader = login_as("board")
    response = client.get(f"/meetings/{meeting.id}/minutes")
    assert response.status_code == 200
    shown = page(response)
    assert shown.select_one("strong.govuk-tag").get_text(strip=True) == "Restricted"
    assert shown.h1.get_text(strip=True) == "Minutes"
    line = meeting_line(shown)
    assert line["Present"] == "Margaret Hale, Tom Reed, Ana Lopes, Priya Shah"
    assert line["Minutes"] == "Draft: not yet approved by the chair"
    items = paper_items(shown)
    assert [{k: v for k, v in item.items() if k != "Site"} for item in items] == DECISIONS
    assert items[0]["Site"].endswith(": EXACTSECRET lamp column 99 behind the sorting office")
    assert table(shown, SNAPSHOT) == CAMERAS_AT_CLOSE
    body = response.get_data(as_text=True)
    assert "LATERSPOT" not in body and "Faulty" not in body
    assert "What each camera is doing now" not in body
    assert paper_events("papers.viewed") == [(reader.id, "meeting", meeting.id, "minutes")]


def test_the_minutes_pdf_keeps_the_record_and_is_marked_restricted(app, client, login_as, held):
    meeting = held["meeting"]
    chair = login_as(user=held["chair"])
    response = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="minutes-2027-03-10.pdf"'
    pages = pdf_pages(response)
    for number, text in enumerate(pages, start=1):
        assert "RESTRICTED" in text
        assert f"Page {number} of {len(pages)}" in text
    whole = " ".join(pages)
    for expected in (
        "Approved: Camera 9 (TRDC-09), 1 April 2027 to 24 June 2027",
        "For 3, against 0, abstaining 0",
        "Strong evidence of harm to walkers",
        "Mask the nursery windows",
        "Priya Shah: Lives on the towpath",
        "Rejected",
        "For 1, against 3, abstaining 0",
        "Lighting not yet tried",
        "SNAPSPOT",
        "CCTV-2027-0031: 1 April 2027 to 24 June 2027",
    ):
        assert expected in whole, expected
    assert "LATERSPOT" not in whole and "Faulty" not in whole
    assert paper_events("papers.downloaded") == [(chair.id, "meeting", meeting.id, "minutes")]


def test_a_meeting_not_yet_closed_has_no_minutes(app, client, login_as):
    login_as("coordinator")
    for status in ("planned", "published", "in_session"):
        meeting = factories.meeting(date(2027, 5, 3 + ("planned", "published", "in_session").index(status)))
        meeting.status = status
        db.session.commit()
        assert client.get(f"/meetings/{meeting.id}/minutes").status_code == 404, status
        assert client.get(f"/meetings/{meeting.id}/minutes.pdf").status_code == 404, status
    assert paper_events("papers.viewed") == paper_events("papers.downloaded") == []


def test_the_chair_approves_the_minutes_as_a_true_record(app, client, login_as, held):
    meeting = held["meeting"]
    login_as(user=held["chair"])
    client.post(f"/meetings/{meeting.id}/approve-minutes")
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "minutes_approved"
    shown = page(client.get(f"/meetings/{meeting.id}/minutes"))
    assert meeting_line(shown)["Minutes"].startswith("Approved as a true record by Margaret Hale on ")
    # Still the record as taken.
    assert table(shown, SNAPSHOT) == CAMERAS_AT_CLOSE
    assert [i["Decision"] for i in paper_items(shown)] == [d["Decision"] for d in DECISIONS]
    pdf = " ".join(pdf_pages(client.get(f"/meetings/{meeting.id}/minutes.pdf")))
    assert "Approved as a true record by Margaret Hale" in pdf


# --- 3. who may read the papers ------------------------------------------------------------------


@pytest.fixture
def closed_meeting(app):
    meeting = factories.meeting(date(2027, 2, 3), status="closed")
    factories.agenda_item(
        meeting, factories.move_request(status="rejected"), outcome="rejected", reasons="INTELSECRET reasons"
    )
    return meeting


@pytest.mark.parametrize("roles", [("officer",), ("sponsor",), ("councillor",), ("admin",), ()])
def test_other_roles_are_refused_every_paper_and_each_refusal_is_audited(
    app, client, login_as, closed_meeting, roles
):
    who = login_as(*roles)
    paths = [f"/meetings/{closed_meeting.id}/{route}" for route in PAPER_ROUTES]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 403, path
        body = response.get_data(as_text=True)
        assert [mark for mark in RESTRICTED_MARKS if mark in body] == []
    assert denied_paths() == [(who.id, "refused", path) for path in paths]
    assert paper_events("papers.viewed") == paper_events("papers.downloaded") == []


@pytest.mark.parametrize("roles", [("board",), ("board", "chair"), ("coordinator",)])
def test_the_board_the_chair_and_the_coordinator_read_every_paper(
    app, client, login_as, closed_meeting, roles
):
    who = login_as(*roles)
    for route in PAPER_ROUTES:
        assert client.get(f"/meetings/{closed_meeting.id}/{route}").status_code == 200, route
    assert denied_paths() == []
    assert events("papers.viewed") == [(who.id, "meeting", closed_meeting.id)] * 2
    assert events("papers.downloaded") == [(who.id, "meeting", closed_meeting.id)] * 2


def test_an_anonymous_visitor_is_sent_to_sign_in(app, client, closed_meeting):
    for route in PAPER_ROUTES:
        response = client.get(f"/meetings/{closed_meeting.id}/{route}")
        assert response.status_code == 302, route
        assert "/sign-in" in response.headers["Location"]


# --- 4. the councillor's summary -----------------------------------------------------------------

SECRETS = (
    *RESTRICTED_MARKS,
    "TITLESECRET",
    "REASONSECRET",
    "CONDSECRET",
    "CCTV-SUM-",
)


def summary_meeting(meets_on: date, status: str = "closed"):
    """Nine items: 4 in Durrants, 5 in Gade Valley; 5 approved, 3 rejected,
    1 deferred."""
    officer, sponsor = factories.user("officer"), factories.user("sponsor")
    meeting = factories.meeting(meets_on, status=status)
    wards = ["Durrants"] * 4 + ["Gade Valley"] * 5
    outcomes = [
        "approved",
        "rejected",
        "approved",
        "deferred",
        "approved",
        "rejected",
        "approved",
        "rejected",
    ]
    outcomes.append("approved")
    for n, (ward, outcome) in enumerate(zip(wards, outcomes, strict=True), start=1):
        site = factories.site(factories.ward(ward), street="STREETSECRET Road")
        mr = factories.move_request(
            requester=officer,
            sponsor=sponsor,
            status="rejected" if outcome == "rejected" else "approved",
            site_obj=site,
            reference=f"CCTV-SUM-{meeting.id}-{n}",
            title=f"TITLESECRET item {n}",
        )
        factories.agenda_item(
            meeting,
            mr,
            outcome=outcome,
            reasons=f"REASONSECRET {n}",
            conditions="CONDSECRET",
            terms="Camera 1",
        )
    return meeting


def test_a_councillor_sees_counts_by_outcome_and_ward_with_small_numbers_suppressed(app, client, login_as):
    meeting = summary_meeting(date(2027, 3, 10))
    login_as("councillor")
    response = client.get(f"/meetings/{meeting.id}/summary")
    assert response.status_code == 200
    shown = page(response)
    text = shown.get_text(" ", strip=True)
    assert "The board met in closed session on 10 March 2027 and considered 9 items." in text
    assert table(shown, "Items by outcome") == [
        ["Approved", "5"],
        ["Deferred", "Fewer than 5"],
        ["Rejected", "Fewer than 5"],
    ]
    assert table(shown, "Items by ward") == [["Durrants", "Fewer than 5"], ["Gade Valley", "5"]]
    body = response.get_data(as_text=True)
    assert [mark for mark in SECRETS if mark in body] == []
    assert "Camera 1" not in body
    # The threshold is the council's to set: at 4, a count of 4 is shown.
    app.config["SMALL_NUMBER_THRESHOLD"] = 4
    lowered = page(client.get(f"/meetings/{meeting.id}/summary"))
    assert table(lowered, "Items by ward") == [["Durrants", "4"], ["Gade Valley", "5"]]
    assert table(lowered, "Items by outcome") == [
        ["Approved", "5"],
        ["Deferred", "Fewer than 4"],
        ["Rejected", "Fewer than 4"],
    ]


def test_a_meeting_with_one_item_does_not_give_its_number_away(app, client, login_as):
    meeting = factories.meeting(date(2027, 3, 10), status="closed")
    mr = factories.move_request(status="rejected", title="TITLESECRET lone item")
    factories.agenda_item(meeting, mr, outcome="rejected", reasons="REASONSECRET")
    login_as("councillor")
    shown = page(client.get(f"/meetings/{meeting.id}/summary"))
    text = shown.get_text(" ", strip=True)
    # One item reads exactly as two, three or four would: "fewer than 5
    # items". A singular "item" would tell the reader it was exactly one.
    assert "considered fewer than 5 items." in text, shown.select_one("main p.govuk-body").get_text(
        " ", strip=True
    )
    assert table(shown, "Items by outcome") == [["Rejected", "Fewer than 5"]]
    assert "TITLESECRET" not in text and "REASONSECRET" not in text


def test_only_closed_meetings_have_a_summary_and_are_listed(app, client, login_as):
    closed = summary_meeting(date(2027, 3, 10))
    approved = factories.meeting(date(2026, 11, 4), status="minutes_approved")
    not_done = {
        status: factories.meeting(day, status=status)
        for status, day in (
            ("planned", date(2027, 6, 9)),
            ("published", date(2027, 5, 5)),
            ("in_session", date(2027, 4, 7)),
            ("cancelled", date(2027, 4, 14)),
        )
    }
    login_as("councillor")
    for status, meeting in not_done.items():
        assert client.get(f"/meetings/{meeting.id}/summary").status_code == 404, status
    assert client.get(f"/meetings/{approved.id}/summary").status_code == 200
    listing = client.get("/meetings/summaries")
    assert listing.status_code == 200
    links = [(a.get_text(" ", strip=True), a["href"]) for a in page(listing).select("main ul.govuk-list a")]
    # Latest first.
    assert links == [
        ("Meeting of 10 March 2027", f"/meetings/{closed.id}/summary"),
        ("Meeting of 4 November 2026", f"/meetings/{approved.id}/summary"),
    ]
    assert [mark for mark in SECRETS if mark in listing.get_data(as_text=True)] == []
