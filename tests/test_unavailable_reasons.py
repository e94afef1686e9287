"""Why an action cannot be taken now, for someone who could take it at some
stage; and no explanation (a 403) for someone who never could (issue: "only
a user who may never act sees a 403"). Messages are the design's words."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from cctv_requests import audit
from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent, MoveRequest
from cctv_requests.workflow import engine
from cctv_requests.workflow.engine import unavailable_reason
from tests import factories
from tests.readers import page

TODAY = date(2027, 3, 10)
MOVED_ON = "{ref} has moved on since you opened that link: "


def changed_on(mr, when: datetime) -> None:
    """The request last changed at ``when`` (it has no step in the audit log)."""
    mr.updated_at = when
    db.session.commit()


def step(mr, trigger: str, source: str, dest: str, when: datetime, monkeypatch) -> None:
    """A step in the audit log at ``when``, as the engine writes one."""
    monkeypatch.setattr(audit, "utcnow", lambda: when)
    audit.record(f"request.{trigger}", object_type="move_request", object_id=mr.id, source=source, dest=dest)
    db.session.commit()


def board(attending: int):
    chair = factories.user("board", "chair")
    members = [chair] + [factories.user("board") for _ in range(3)]
    meeting = factories.meeting(TODAY, status="in_session", attendees=members[:attending])
    return chair, meeting


def test_a_guard_that_holds_the_decision_back_is_named(app):
    chair, meeting = board(attending=2)
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    assert unavailable_reason(chair, mr, "approve", today=TODAY) == (
        "The meeting is not quorate: 2 present, 3 needed."
    )


def test_nothing_is_said_when_only_the_forms_answers_are_missing(app):
    chair, meeting = board(attending=4)
    factories.meeting(TODAY + timedelta(days=50))
    urgent = factories.move_request(
        status="endorsed",
        urgency="urgent",
        urgent_ground="risk_of_harm",
        urgent_explanation="Threats this week.",
    )
    # Everything about the request, the chair and the calendar holds.
    assert unavailable_reason(chair, urgent, "approve_urgently", today=TODAY) is None


def test_a_request_that_has_moved_on_says_where_it_is(app):
    chair, meeting = board(attending=4)
    rejected = factories.move_request(status="rejected", reference="CCTV-2027-0007")
    changed_on(rejected, datetime(2027, 3, 3, 11, 0, tzinfo=UTC))
    assert unavailable_reason(chair, rejected, "approve", today=TODAY) == (
        "CCTV-2027-0007 has moved on since you opened that link: it was rejected by the board on 3 March, "
        "so nothing more can be done to it."
    )
    sent = factories.move_request(status="submitted", reference="CCTV-2027-0008")
    changed_on(sent, datetime(2027, 3, 4, 9, 30, tzinfo=UTC))
    # The requester sends a draft; this one has gone to the sponsor.
    assert unavailable_reason(sent.requester, sent, "submit", today=TODAY) == (
        "CCTV-2027-0008 has moved on since you opened that link: it was sent to its sponsor on 4 March "
        "and is now waiting for its sponsor to endorse it, return it for changes or decline it."
    )


def test_a_step_that_is_someone_elses_in_this_state_is_moved_on_not_forbidden(app):
    # The named sponsor returns a submitted request; on an agenda only the
    # chair returns it.
    chair, meeting = board(attending=4)
    mr = factories.move_request(status="on_agenda", reference="CCTV-2027-0009")
    changed_on(mr, datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    factories.agenda_item(meeting, mr)
    assert unavailable_reason(mr.sponsor, mr, "return_for_changes", today=TODAY) == (
        "CCTV-2027-0009 has moved on since you opened that link: it was placed on a board agenda on 1 March "
        "and is now waiting for the board to decide it at its meeting."
    )


def test_someone_who_could_never_take_the_step_gets_no_explanation(app):
    mr = factories.move_request(status="submitted")
    other_officer = factories.user("officer")
    assert unavailable_reason(other_officer, mr, "submit", today=TODAY) is None
    assert unavailable_reason(other_officer, mr, "approve", today=TODAY) is None
    assert unavailable_reason(factories.user("councillor"), mr, "endorse", today=TODAY) is None


def test_every_undecided_item_of_a_meeting_gets_its_choices_whatever_comes_before_it(app):
    """The meeting page asks once for all its items (STYLE.md): a decided item
    or one whose request moved on must not stop the items after it."""
    from cctv_requests.services.meetings import agenda, present
    from cctv_requests.workflow.engine import meeting_choices

    chair, meeting = board(attending=4)
    decided = factories.move_request(status="rejected")
    factories.agenda_item(meeting, decided, outcome="rejected")
    moved_on = factories.move_request(status="withdrawn")
    factories.agenda_item(meeting, moved_on)
    waiting = factories.move_request(status="on_agenda")
    open_item = factories.agenda_item(meeting, waiting)
    items = agenda(meeting)
    items.sort(key=lambda item: item.id)  # decided, moved on, open: in that order
    here = {a.user_id for a in present(meeting)}
    # No later meeting: deferring is held back, the rest are offered.
    choices = meeting_choices(chair, meeting, items, present_ids=here, next_meeting_id=None, today=TODAY)
    assert set(choices) == {items[1].id, open_item.id}
    assert choices[items[1].id].blocked == ("The request has moved on: it is withdrawn.",)
    assert [t.trigger for t in choices[open_item.id].allowed] == ["approve", "return_for_changes", "reject"]


# --- the day it moved on, and who it waits for --------------------------------------------------


def test_the_day_it_moved_on_is_its_latest_step_into_its_state_not_a_step_that_stayed(app, monkeypatch):
    mr = factories.move_request(status="on_agenda", reference="CCTV-2027-0010")
    step(mr, "endorse", "submitted", "endorsed", datetime(2027, 2, 1, 10, 0, tzinfo=UTC), monkeypatch)
    step(mr, "place_on_agenda", "endorsed", "on_agenda", datetime(2027, 2, 8, 10, 0, tzinfo=UTC), monkeypatch)
    # Deferred on 1 March: still on an agenda, so the day it got there stands.
    step(mr, "defer", "on_agenda", "on_agenda", datetime(2027, 3, 1, 10, 0, tzinfo=UTC), monkeypatch)
    changed_on(mr, datetime(2027, 3, 9, 10, 0, tzinfo=UTC))
    assert engine.moved_on_message(mr, TODAY) == (
        "CCTV-2027-0010 has moved on since you opened that link: it was placed on a board agenda on "
        "8 February and is now waiting for the board to decide it at its meeting."
    )


def test_the_day_is_the_councils_day_in_london_and_names_the_year_when_it_is_not_this_one(app, monkeypatch):
    mr = factories.move_request(status="approved", reference="CCTV-2027-0011")
    # 23:30 UTC on 30 June is half past midnight on 1 July in London (BST).
    step(mr, "approve", "on_agenda", "approved", datetime(2027, 6, 30, 23, 30, tzinfo=UTC), monkeypatch)
    assert engine.moved_on_message(mr, date(2027, 7, 10)) == (
        "CCTV-2027-0011 has moved on since you opened that link: it was approved on 1 July "
        "and is now waiting for the CSP team to book the camera's installation."
    )
    assert engine.moved_on_message(mr, date(2028, 1, 5)).startswith(
        "CCTV-2027-0011 has moved on since you opened that link: it was approved on 1 July 2027 and"
    )


# Who each state waits for, in the design's words (DESIGN.md section 4).
WAITING = [
    ("draft", "was started", "the requester to finish it and send it to the sponsor"),
    ("returned", "was returned for changes", "the requester to change it and send it again"),
    ("endorsed", "was endorsed", "the CSP team to place it on a board agenda"),
    ("scheduled", "had its installation booked", "the CSP team to record the camera's installation"),
    ("live", "had its camera installed", "the CSP team to record its next review or the camera's removal"),
    ("ended", "had its camera removed", "the CSP team to record the evaluation"),
]


@pytest.mark.parametrize("state, entered, waiting_for", WAITING)
def test_each_state_says_who_the_request_is_waiting_for(app, state, entered, waiting_for):
    mr = factories.move_request(status=state, reference="CCTV-2027-0012")
    changed_on(mr, datetime(2027, 3, 2, 9, 0, tzinfo=UTC))
    assert engine.moved_on_message(mr, TODAY) == (
        f"CCTV-2027-0012 has moved on since you opened that link: it {entered} on 2 March "
        f"and is now waiting for {waiting_for}."
    )


@pytest.mark.parametrize(
    "state, entered",
    [
        ("closed", "was evaluated and closed"),
        ("not_sponsored", "was declined by its sponsor"),
        ("withdrawn", "was withdrawn"),
        ("cancelled", "was cancelled"),
    ],
)
def test_a_final_state_says_nothing_more_can_be_done(app, state, entered):
    mr = factories.move_request(status=state, reference="CCTV-2027-0013")
    changed_on(mr, datetime(2027, 3, 2, 9, 0, tzinfo=UTC))
    assert engine.moved_on_message(mr, TODAY) == (
        f"CCTV-2027-0013 has moved on since you opened that link: it {entered} on 2 March, "
        "so nothing more can be done to it."
    )


# --- the pages ------------------------------------------------------------------------------------


def denials(path: str) -> int:
    """Refusals (403) written to the audit log for ``path``."""
    rows = db.session.scalars(
        sa.select(AuditEvent.detail).where(
            AuditEvent.action == "access.denied", AuditEvent.outcome == "refused"
        )
    )
    return sum(1 for detail in rows if f'"path": "{path}"' in detail)


def test_an_out_of_date_endorse_link_says_the_request_moved_on_and_changes_nothing(app, client, login_as):
    mr = factories.move_request(status="submitted", reference="CCTV-2026-0003")
    login_as(user=mr.sponsor)
    link = f"/requests/{mr.id}/endorse"
    assert client.get(link).status_code == 200
    endorsed = client.post(link, data={"version": str(mr.version)})
    assert endorsed.status_code == 302
    db.session.expire_all()
    version = db.session.get(MoveRequest, mr.id).version
    endorsed_on = datetime.now(ZoneInfo("Europe/London")).date()  # the council's day

    stale = client.get(link)
    assert stale.status_code == 409
    shown = page(stale)
    assert shown.h1.get_text(strip=True) == "CCTV-2026-0003 has moved on"
    assert shown.title.get_text(strip=True).startswith("CCTV-2026-0003 has moved on")
    assert (
        f"CCTV-2026-0003 has moved on since you opened that link: it was endorsed on {endorsed_on:%-d %B} "
        "and is now waiting for the CSP team to place it on a board agenda. Nothing has been changed."
    ) in shown.select_one("main").get_text(" ", strip=True)
    links = {a["href"]: a.get_text(strip=True) for a in shown.select("main a.govuk-link")}
    assert links == {f"/requests/{mr.id}": "Go back to CCTV-2026-0003 to see where it is now"}
    # Sent again from the stale form: the same answer, and still nothing changed.
    assert client.post(link, data={"version": str(version)}).status_code == 409
    db.session.expire_all()
    assert db.session.get(MoveRequest, mr.id).version == version
    assert denials(link) == 0


def test_a_decision_the_meeting_cannot_take_yet_says_why_under_an_honest_heading(app, client, login_as):
    chair = factories.user("board", "chair")
    meeting = factories.meeting(date.today(), status="in_session", attendees=[chair])
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    login_as(user=chair)
    response = client.get(f"/requests/{mr.id}/approve?meeting={meeting.id}")
    assert response.status_code == 409
    shown = page(response)
    assert shown.h1.get_text(strip=True) == "This cannot be done now"
    text = shown.select_one("main").get_text(" ", strip=True)
    assert "The meeting is not quorate: 1 present, 3 needed. Nothing has been changed." in text
    links = [a["href"] for a in shown.select("main a.govuk-link")]
    assert links == [f"/requests/{mr.id}", f"/meetings/{meeting.id}"]


@pytest.mark.parametrize(
    "who, state, action",
    [
        ("another sponsor", "submitted", "endorse"),  # not the named sponsor
        ("coordinator", "submitted", "endorse"),  # the sponsor's step, never the CSP team's
        ("chair", "endorsed", "withdraw"),  # the requester's or the CSP team's
        ("board", "on_agenda", "approve"),  # a member who is not the chair
        ("another officer", "submitted", "withdraw"),  # not the requester
        ("requester", "submitted", "endorse"),  # never the requester's
        ("sponsor", "endorsed", "place-on-agenda"),
    ],
)
def test_someone_who_may_never_take_the_step_is_refused_and_the_refusal_is_audited(
    app, client, login_as, who, state, action
):
    mr = factories.move_request(status=state)
    users = {
        "another sponsor": lambda: factories.user("sponsor"),
        "another officer": lambda: factories.user("officer"),
        "requester": lambda: mr.requester,
        "sponsor": lambda: mr.sponsor,
        "chair": lambda: factories.user("board", "chair"),
    }
    login_as(user=users.get(who, lambda: factories.user(who))())
    link = f"/requests/{mr.id}/{action}"
    assert client.get(link).status_code == 403
    assert client.post(link, data={"version": str(mr.version)}).status_code == 403
    assert denials(link) == 2
    db.session.expire_all()
    assert db.session.get(MoveRequest, mr.id).version == mr.version
