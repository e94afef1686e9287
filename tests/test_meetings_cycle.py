"""A board meeting's whole cycle through the web pages and the database
(DESIGN.md sections 4 and 6): the meeting's own states, agendas that build
themselves, decisions with votes and reasons, ratification and review items,
why a decision cannot be taken now, the camera forecast beside each request,
and the cost of the meeting page (QUALITY.md PERF-1).

Every expected value is a message, date or count written here from the
design or worked by hand (each date is a number of days from today, formatted
as the pages show it); none is computed by the code under test.
"""

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import AgendaItem, Camera, Deployment, Interest, Meeting, MoveRequest
from cctv_requests.services import agendas
from tests import factories
from tests.readers import events, page
from tests.test_request_pages import date_fields, error_summary

TODAY = date.today()
NOT_BEFORE = "It can be started on that day, not before."
UNPUBLISHED = "Publish the agenda before starting the meeting."
STILL_OPEN = "Record a decision, defer it, or record it as not reached so that it goes to the next meeting."
PUBLISHED_AGENDA = "The agenda for that meeting is published. Only the chair can accept a late item."


# --- helpers -------------------------------------------------------------------------------------


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def shown(day: date) -> str:
    """A date as the pages show it: 5 March 2031."""
    return f"{day.day} {day:%B %Y}"


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def sent_days_ago(n: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=n)


def banners(response) -> str:
    return " ".join(b.get_text(" ", strip=True) for b in page(response).select(".govuk-notification-banner"))


def agenda_refs(response) -> list[str]:
    """The request reference of each agenda item, in the order shown."""
    titles = [h.get_text(strip=True) for h in page(response).select("h3.govuk-summary-card__title")]
    return [title.split(". ", 1)[1].split(":", 1)[0] for title in titles]


def card(response, item) -> str:
    found = page(response).select_one(f"#item-{item.id}")
    assert found is not None, f"item {item.id} is not on the page"
    return found.get_text(" ", strip=True)


def card_insets(response, item) -> str:
    found = page(response).select_one(f"#item-{item.id}")
    return " ".join(i.get_text(" ", strip=True) for i in found.select(".govuk-inset-text"))


def answers(mr, **fields) -> MultiDict:
    """An action form at the request's current version; dates become the
    three day, month and year boxes."""
    items = [("version", str(fresh(MoveRequest, mr.id).version))]
    for name, value in fields.items():
        if isinstance(value, date):
            items += date_fields(name, value)
        else:
            items.append((name, str(value)))
    return MultiDict(items)


def decide(client, mr, action: str, meeting, **fields):
    return client.post(f"/requests/{mr.id}/{action}?meeting={meeting.id}", data=answers(mr, **fields))


def votes(for_: int, against: int = 0, abstain: int = 0) -> dict:
    return {"votes_for": for_, "votes_against": against, "votes_abstain": abstain}


def board_of(members: int = 3):
    """The chair and ``members`` other board members."""
    chair = factories.user("board", "chair", name="Carol Chair")
    return chair, [factories.user("board") for _ in range(members)]


def in_session(present, quorum: int = 3, day: date = TODAY) -> Meeting:
    return factories.meeting(day, status="in_session", attendees=present, quorum=quorum)


def on_agenda(meeting, kind: str = "request", **fields):
    fields.setdefault("submitted_at", sent_days_ago(20))
    mr = factories.move_request(status=fields.pop("status", "on_agenda"), **fields)
    return mr, factories.agenda_item(meeting, mr, kind=kind)


def declare(item, user, note: str = "I live on that street") -> None:
    db.session.add(Interest(agenda_item_id=item.id, user_id=user.id, note=note))
    db.session.commit()


def items_of(mr) -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id).order_by(AgendaItem.id)
    )
    return [(i.meeting_id, i.kind, i.outcome) for i in rows]


def chairs_action(camera, start: date, end: date, status: str = "approved", **fields):
    return dict(
        status=status,
        chair_action=True,
        urgency="urgent",
        urgent_ground="risk_of_harm",
        urgent_explanation="Threats made to a resident",
        approved_camera_id=camera.id,
        approved_start=start,
        approved_end=end,
        last_reason="Risk to a named resident this week.",
        **fields,
    )


# --- 1. the meeting's own states -----------------------------------------------------------------


def test_a_meeting_is_published_started_on_its_day_and_closed_only_when_every_item_is_settled(
    app, client, login_as
):
    coordinator = factories.user("coordinator")
    chair, (member,) = board_of(1)
    todays = factories.meeting(TODAY)
    # Tomorrow: its cut-off and publication day have passed, its date has not.
    later = factories.meeting(days(1))
    camera = factories.camera(name="Camera Kestrel")
    memorial = factories.site(exact_location="Lamp column 12 by the war memorial")
    live, review_item = on_agenda(
        todays,
        kind="review",
        status="live",
        site_obj=memorial,
        approved_camera_id=camera.id,
        approved_start=days(-70),
        approved_end=days(50),
        installed_on=days(-60),
        review_due=days(-1),
    )
    deployment = factories.deployment(camera, memorial, move_request_id=live.id, installed_on=days(-60))
    asking, request_item = on_agenda(todays)

    # An agenda that is not published cannot be started, even on the day.
    login_as(user=chair)
    refused = client.post(f"/meetings/{todays.id}/open", follow_redirects=True)
    assert UNPUBLISHED in banners(refused)
    assert fresh(Meeting, todays.id).status == "planned"

    login_as(user=coordinator)
    for meeting in (todays, later):
        client.post(f"/meetings/{meeting.id}/publish")
        published = fresh(Meeting, meeting.id)
        assert (published.status, published.published_at is not None) == ("published", True)

    # A published meeting is started on its date, not before.
    login_as(user=chair)
    early = client.post(f"/meetings/{later.id}/open", follow_redirects=True)
    assert f"This meeting is on {shown(days(1))}. {NOT_BEFORE}" in banners(early)
    assert fresh(Meeting, later.id).status == "published"
    client.post(f"/meetings/{todays.id}/open")
    assert fresh(Meeting, todays.id).status == "in_session"

    # Nothing falls through: two undecided items stop the meeting closing.
    first_try = client.post(f"/meetings/{todays.id}/close", follow_redirects=True)
    assert f"2 items have no decision. {STILL_OPEN}" in banners(first_try)
    assert fresh(Meeting, todays.id).status == "in_session"

    # The review was not reached: it goes, as a review, to the next meeting.
    carried = client.post(f"/meetings/{todays.id}/items/{review_item.id}/not-reached", follow_redirects=True)
    assert f"{live.reference} was not reached. It goes to the meeting of {shown(days(1))}." in banners(
        carried
    )
    assert fresh(AgendaItem, review_item.id).outcome == "not_reached"
    follow_on = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.carried_from_id == review_item.id))
    assert (follow_on.meeting_id, follow_on.move_request_id, follow_on.kind, follow_on.outcome) == (
        later.id,
        live.id,
        "review",
        None,
    )

    second_try = client.post(f"/meetings/{todays.id}/close", follow_redirects=True)
    assert f"1 item has no decision. {STILL_OPEN}" in banners(second_try)
    assert fresh(Meeting, todays.id).status == "in_session"

    client.post(f"/meetings/{todays.id}/items/{request_item.id}/not-reached")
    follow_on = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.carried_from_id == request_item.id))
    assert (follow_on.meeting_id, follow_on.move_request_id, follow_on.kind) == (
        later.id,
        asking.id,
        "request",
    )

    closing = client.post(f"/meetings/{todays.id}/close", follow_redirects=True)
    assert "The meeting is closed." in banners(closing)
    closed = fresh(Meeting, todays.id)
    assert (closed.status, closed.closed_at is not None) == ("closed", True)
    assert closed.camera_snapshot
    kestrel = next(row for row in json.loads(closed.camera_snapshot) if row["camera"] == camera.label)
    assert (kestrel["exact"], kestrel["since"]) == (
        "Lamp column 12 by the war memorial",
        days(-60).isoformat(),
    )
    # Each carried item is there once: closing builds the next agenda again.
    assert len(items_of(live)) == 2
    assert len(items_of(asking)) == 2

    # The minutes keep the cameras as they stood: the camera moving later
    # does not change what the closed meeting shows.
    deployment = fresh(Deployment, deployment.id)
    deployment.removed_on = TODAY
    db.session.commit()
    factories.deployment(
        fresh(Camera, camera.id),
        factories.site(exact_location="Bus shelter on Bury Lane"),
        installed_on=TODAY,
    )
    record = page(client.get(f"/meetings/{todays.id}"))
    table = next(t for t in record.select("table") if "when the meeting closed" in t.caption.get_text())
    row = next(r for r in table.select("tbody tr") if camera.label in r.get_text())
    assert "Lamp column 12 by the war memorial" in row.get_text()
    assert "Bury Lane" not in row.get_text()

    # Only the chair approves the minutes.
    login_as(user=member)
    assert client.post(f"/meetings/{todays.id}/approve-minutes").status_code == 403
    assert fresh(Meeting, todays.id).status == "closed"
    login_as(user=chair)
    client.post(f"/meetings/{todays.id}/approve-minutes")
    approved = fresh(Meeting, todays.id)
    assert (approved.status, approved.minutes_approved_by_id) == ("minutes_approved", chair.id)
    assert approved.minutes_approved_at is not None


# --- 2. agendas that build themselves ------------------------------------------------------------


def test_endorsed_requests_join_the_first_meeting_open_for_papers_oldest_first(app, client, login_as):
    cut_off_passed = factories.meeting(days(5))
    open_for_papers = factories.meeting(days(40))
    # The set-up the test relies on: ten working days before is always more
    # than five calendar days and less than forty.
    assert cut_off_passed.cutoff_on < TODAY <= open_for_papers.cutoff_on
    newest = factories.move_request(status="submitted", submitted_at=sent_days_ago(3), title="Newest")
    oldest = factories.move_request(status="submitted", submitted_at=sent_days_ago(30), title="Oldest")
    middle = factories.move_request(status="submitted", submitted_at=sent_days_ago(10), title="Middle")
    # Endorsed in an order that is neither their age nor their ids.
    for mr in (middle, newest, oldest):
        login_as(user=mr.sponsor)
        assert client.post(f"/requests/{mr.id}/endorse", data={"version": mr.version}).status_code == 302
    for mr in (newest, oldest, middle):
        assert fresh(MoveRequest, mr.id).status == "on_agenda"
        assert items_of(mr) == [(open_for_papers.id, "request", None)]
    login_as("coordinator")
    listed = client.get(f"/meetings/{open_for_papers.id}")
    assert agenda_refs(listed) == [oldest.reference, middle.reference, newest.reference]
    assert agenda_refs(client.get(f"/meetings/{cut_off_passed.id}")) == []


def test_building_skips_a_passed_cut_off_and_a_published_agenda_and_adds_each_due_review_once(app):
    cut_off_passed = factories.meeting(days(5))
    published = factories.meeting(days(40), status="published")
    open_for_papers = factories.meeting(days(80))
    younger = factories.move_request(status="endorsed", submitted_at=sent_days_ago(5))
    older = factories.move_request(status="endorsed", submitted_at=sent_days_ago(25))
    # Reviews go to the next planned meeting (in five days) when due by its date.
    overdue = factories.move_request(status="live", installed_on=days(-90), review_due=days(-3))
    due_that_day = factories.move_request(status="live", installed_on=days(-90), review_due=days(5))
    due_the_day_after = factories.move_request(status="live", installed_on=days(-90), review_due=days(6))

    for _ in range(2):  # building twice adds nothing
        agendas.build(TODAY)
        assert items_of(older) == [(open_for_papers.id, "request", None)]
        assert items_of(younger) == [(open_for_papers.id, "request", None)]
        assert items_of(overdue) == [(cut_off_passed.id, "review", None)]
        assert items_of(due_that_day) == [(cut_off_passed.id, "review", None)]
        assert items_of(due_the_day_after) == []
        on_published = db.session.scalar(
            sa.select(sa.func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == published.id)
        )
        assert on_published == 0
    assert (fresh(MoveRequest, older.id).status, fresh(MoveRequest, overdue.id).status) == (
        "on_agenda",
        "live",
    )


def test_a_chairs_action_puts_a_ratification_item_on_the_next_meeting(app, client, login_as):
    next_one = factories.meeting(days(5))
    factories.meeting(days(40))
    camera = factories.camera()
    mr = factories.move_request(
        status="endorsed", urgency="urgent", urgent_ground="risk_of_harm", urgent_explanation="Threats made"
    )
    login_as("board", "chair")
    response = client.post(
        f"/requests/{mr.id}/approve-urgently",
        data=answers(mr, camera_id=camera.id, start=days(2), end=days(30), reason="Risk to a resident."),
    )
    assert response.status_code == 302, error_summary(response)
    assert fresh(MoveRequest, mr.id).status == "approved"
    assert items_of(mr) == [(next_one.id, "ratification", None)]


def test_the_agenda_lists_ratifications_then_requests_oldest_first_then_reviews_and_can_be_reordered(
    app, client, login_as
):
    meeting = factories.meeting(days(40))
    camera = factories.camera()
    review, _ = on_agenda(meeting, kind="review", status="live", installed_on=days(-90), review_due=days(30))
    newer, newer_item = on_agenda(meeting, submitted_at=sent_days_ago(2))
    ratify, ratify_item = on_agenda(meeting, kind="ratification", **chairs_action(camera, days(1), days(60)))
    older, _ = on_agenda(meeting, submitted_at=sent_days_ago(40))
    login_as("coordinator")
    path = f"/meetings/{meeting.id}"
    assert agenda_refs(client.get(path)) == [
        ratify.reference,
        older.reference,
        newer.reference,
        review.reference,
    ]

    client.post(f"{path}/items/{newer_item.id}/up")
    assert agenda_refs(client.get(path)) == [
        ratify.reference,
        newer.reference,
        older.reference,
        review.reference,
    ]
    client.post(f"{path}/items/{ratify_item.id}/down")
    assert agenda_refs(client.get(path)) == [
        newer.reference,
        ratify.reference,
        older.reference,
        review.reference,
    ]
    # The board sees the coordinator's order too.
    login_as("board")
    assert agenda_refs(client.get(path)) == [
        newer.reference,
        ratify.reference,
        older.reference,
        review.reference,
    ]


def test_an_item_moves_to_another_planned_meeting_until_its_agenda_is_published(app, client, login_as):
    first = factories.meeting(days(40))
    second = factories.meeting(days(80))
    mr, item = on_agenda(first)
    login_as("coordinator")
    form = page(client.get(f"/meetings/{first.id}/items/{item.id}/move"))
    offered = [o["value"] for o in form.select("#meeting_id option")]
    assert str(second.id) in offered and str(first.id) not in offered
    moved = client.post(f"/meetings/{first.id}/items/{item.id}/move", data={"meeting_id": second.id})
    assert moved.headers["Location"].endswith(f"/meetings/{first.id}")
    assert fresh(AgendaItem, item.id).meeting_id == second.id
    assert agenda_refs(client.get(f"/meetings/{second.id}")) == [mr.reference]

    client.post(f"/meetings/{second.id}/publish")
    assert fresh(Meeting, second.id).status == "published"
    refused = client.get(f"/meetings/{second.id}/items/{item.id}/move", follow_redirects=True)
    assert "Only an undecided item on an agenda that is not yet published can be moved." in banners(refused)
    refused = client.post(
        f"/meetings/{second.id}/items/{item.id}/move", data={"meeting_id": first.id}, follow_redirects=True
    )
    assert "Only an undecided item on an agenda that is not yet published can be moved." in banners(refused)
    assert fresh(AgendaItem, item.id).meeting_id == second.id


def test_the_coordinator_cannot_place_a_request_on_a_published_agenda(app, client, login_as):
    published = factories.meeting(days(5), status="published")
    mr = factories.move_request(status="endorsed")
    login_as("coordinator")
    response = client.post(
        f"/requests/{mr.id}/place-on-agenda", data={"version": mr.version, "meeting_id": published.id}
    )
    assert fresh(MoveRequest, mr.id).status == "endorsed"
    assert items_of(mr) == []
    assert error_summary(response) == {"meeting_id": PUBLISHED_AGENDA}


def test_the_chair_accepts_a_late_item_on_a_published_agenda(app, client, login_as):
    published = factories.meeting(days(5), status="published")
    mr = factories.move_request(status="endorsed")
    login_as("board", "chair")
    response = client.post(
        f"/requests/{mr.id}/place-on-agenda", data={"version": mr.version, "meeting_id": published.id}
    )
    assert response.status_code == 302, page(response).select_one(".govuk-error-summary")
    assert fresh(MoveRequest, mr.id).status == "on_agenda"
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id))
    assert (item.meeting_id, item.late) == (published.id, True)


def test_the_chair_accepts_a_late_item_after_the_cut_off_and_it_is_marked_late(app, client, login_as):
    cut_off_passed = factories.meeting(days(5))
    open_for_papers = factories.meeting(days(40))
    late, on_time = factories.move_request(status="endorsed"), factories.move_request(status="endorsed")
    login_as("board", "chair")
    for mr, meeting in ((late, cut_off_passed), (on_time, open_for_papers)):
        response = client.post(
            f"/requests/{mr.id}/place-on-agenda", data={"version": mr.version, "meeting_id": meeting.id}
        )
        assert response.status_code == 302, error_summary(response)
    flags = {(i.move_request_id, i.meeting_id, i.late) for i in db.session.scalars(sa.select(AgendaItem))}
    assert flags == {(late.id, cut_off_passed.id, True), (on_time.id, open_for_papers.id, False)}
    late_item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.move_request_id == late.id))
    assert "(late item)" in card(client.get(f"/meetings/{cut_off_passed.id}"), late_item)


# --- 3. decisions --------------------------------------------------------------------------------


def test_the_votes_cannot_exceed_the_members_present_without_an_interest(app, client, login_as):
    chair, members = board_of(3)
    # A quorum of two, so that the item stays quorate once two declare an interest.
    meeting = in_session((), quorum=2)
    mr, item = on_agenda(meeting)
    camera = factories.camera()
    booking = dict(camera_id=camera.id, start=days(10), end=days(60))
    login_as(user=chair)
    client.post(
        f"/meetings/{meeting.id}/attendance", data=MultiDict([("present", m.id) for m in (chair, *members)])
    )
    assert "4 recorded as present" in page(client.get(f"/meetings/{meeting.id}")).get_text()

    too_many = decide(client, mr, "approve", meeting, **booking, **votes(9))
    # Shown at the votes, the answer to change (QUALITY.md INP-3).
    assert error_summary(too_many) == {
        "votes_for": "The votes add up to 9, but only 4 members present may vote on this item. "
        "Check the votes for, against and abstaining."
    }
    unchanged = fresh(MoveRequest, mr.id)
    assert (unchanged.status, unchanged.version, unchanged.approved_camera_id) == ("on_agenda", 1, None)
    assert (fresh(AgendaItem, item.id).outcome, fresh(Camera, camera.id).booking_version) == (None, 0)

    for member in members[:2]:
        login_as(user=member)
        client.post(f"/meetings/{meeting.id}/items/{item.id}/interest", data={"note": "A neighbour"})
    login_as(user=chair)
    three = decide(client, mr, "approve", meeting, **booking, **votes(2, 0, 1))
    assert error_summary(three) == {
        "votes_for": "The votes add up to 3, but only 2 members present may vote on this item. "
        "Check the votes for, against and abstaining."
    }
    assert fresh(MoveRequest, mr.id).status == "on_agenda"
    two = decide(client, mr, "approve", meeting, **booking, **votes(2))
    assert two.status_code == 302, error_summary(two)
    assert two.headers["Location"].endswith(f"/meetings/{meeting.id}")
    decided = fresh(AgendaItem, item.id)
    assert (decided.outcome, decided.votes_for, decided.votes_against) == ("approved", 2, 0)
    assert fresh(MoveRequest, mr.id).approved_camera_id == camera.id


def test_an_approval_needs_a_majority_of_the_votes_cast(app, client, login_as):
    chair, members = board_of(3)
    meeting = in_session((chair, *members))
    mr, item = on_agenda(meeting)
    camera = factories.camera()
    booking = dict(camera_id=camera.id, start=days(10), end=days(60))
    login_as(user=chair)
    tied = decide(client, mr, "approve", meeting, **booking, **votes(2, 2))
    assert error_summary(tied) == {
        "votes_for": "This needs a majority of the votes cast: 2 for and 2 against. "
        "Enter the votes, or record a different decision."
    }
    assert (fresh(MoveRequest, mr.id).status, fresh(AgendaItem, item.id).outcome) == ("on_agenda", None)
    # Abstentions are not votes cast: 2 for and 1 against is a majority.
    carried = decide(client, mr, "approve", meeting, **booking, **votes(2, 1, 1))
    assert carried.status_code == 302, error_summary(carried)
    assert (fresh(MoveRequest, mr.id).status, fresh(AgendaItem, item.id).outcome) == ("approved", "approved")


def test_rejecting_and_deferring_need_reasons(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    next_meeting = factories.meeting(days(40))
    rejected, rejected_item = on_agenda(meeting)
    deferred, deferred_item = on_agenda(meeting)
    login_as(user=chair)
    for mr, action in ((rejected, "reject"), (deferred, "defer")):
        response = decide(client, mr, action, meeting, reason="   ", **votes(3))
        assert error_summary(response) == {"reason": "Enter the reason"}
        assert fresh(MoveRequest, mr.id).status == "on_agenda"
    assert (fresh(AgendaItem, rejected_item.id).outcome, fresh(AgendaItem, deferred_item.id).outcome) == (
        None,
        None,
    )

    decide(client, rejected, "reject", meeting, reason="No evidence of a pattern", **votes(0, 3))
    decide(client, deferred, "defer", meeting, reason="Police figures awaited", **votes(3))
    assert (fresh(MoveRequest, rejected.id).status, fresh(MoveRequest, rejected.id).last_reason) == (
        "rejected",
        "No evidence of a pattern",
    )
    assert items_of(deferred) == [(meeting.id, "request", "deferred"), (next_meeting.id, "request", None)]
    assert fresh(AgendaItem, deferred_item.id).reasons == "Police figures awaited"


def test_a_chairs_action_not_ratified_before_installation_is_cancelled_and_frees_the_camera(
    app, client, login_as
):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    camera = factories.camera(name="Camera Heron")
    start, end = days(10), days(40)
    urgent, ratification = on_agenda(meeting, kind="ratification", **chairs_action(camera, start, end))
    rival, rival_item = on_agenda(meeting)
    login_as(user=chair)
    # While the chair's action stands, the camera is booked for that period.
    clash = decide(client, rival, "approve", meeting, camera_id=camera.id, start=start, end=end, **votes(3))
    assert error_summary(clash) == {
        "camera_id": f"That camera is already booked for an overlapping period by {urgent.reference}."
    }

    refused = decide(client, urgent, "not-ratify", meeting, reason="Not urgent enough", **votes(0, 3))
    assert refused.headers["Location"].endswith(f"/meetings/{meeting.id}")
    cancelled = fresh(MoveRequest, urgent.id)
    assert (cancelled.status, cancelled.removal_due) == ("cancelled", None)
    assert fresh(AgendaItem, ratification.id).outcome == "not_ratified"

    # The booking is released: the same camera, the same period, another request.
    approved = decide(
        client, rival, "approve", meeting, camera_id=camera.id, start=start, end=end, **votes(3)
    )
    assert approved.status_code == 302, error_summary(approved)
    rival = fresh(MoveRequest, rival.id)
    assert (rival.status, rival.approved_camera_id, rival.approved_start, rival.approved_end) == (
        "approved",
        camera.id,
        start,
        end,
    )
    assert fresh(AgendaItem, rival_item.id).outcome == "approved"


def test_a_ratified_chairs_action_stands(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    camera = factories.camera()
    urgent, ratification = on_agenda(
        meeting, kind="ratification", **chairs_action(camera, days(10), days(40))
    )
    login_as(user=chair)
    response = decide(client, urgent, "ratify", meeting, **votes(3))
    assert response.status_code == 302, error_summary(response)
    item = fresh(AgendaItem, ratification.id)
    assert (item.outcome, item.votes_for, item.decided_by_id) == ("ratified", 3, chair.id)
    stands = fresh(MoveRequest, urgent.id)
    assert (stands.status, stands.approved_camera_id, stands.removal_due) == ("approved", camera.id, None)


def test_a_chairs_action_not_ratified_once_the_camera_is_up_sets_a_removal_for_the_coordinator(
    app, client, login_as
):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    camera = factories.camera()
    site = factories.site()
    urgent, ratification = on_agenda(
        meeting,
        kind="ratification",
        site_obj=site,
        **chairs_action(
            camera, days(-20), days(40), status="live", installed_on=days(-15), review_due=days(60)
        ),
    )
    deployment = factories.deployment(camera, site, move_request_id=urgent.id, installed_on=days(-15))
    login_as(user=chair)
    decide(client, urgent, "not-ratify", meeting, reason="The risk has passed", **votes(1, 2))
    still_up = fresh(MoveRequest, urgent.id)
    assert (still_up.status, still_up.removal_due) == ("live", TODAY)
    assert fresh(AgendaItem, ratification.id).outcome == "not_ratified"

    login_as("coordinator")
    removed = client.post(
        f"/requests/{urgent.id}/end-deployment",
        data=answers(urgent, removed_on=TODAY, signs_removed="y", recordings_kept_until=days(31)),
    )
    assert removed.status_code == 302, error_summary(removed)
    ended = fresh(MoveRequest, urgent.id)
    assert (ended.status, ended.removed_on) == ("ended", TODAY)
    assert fresh(Deployment, deployment.id).removed_on == TODAY


def test_the_board_continues_one_deployment_at_review_and_ends_another(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    live = dict(status="live", installed_on=days(-100), review_due=days(-2))
    kept, kept_item = on_agenda(meeting, kind="review", **live)
    ending, ending_item = on_agenda(meeting, kind="review", **live)
    login_as(user=chair)
    continued = decide(
        client,
        kept,
        "continue-at-review",
        meeting,
        reason="Incidents down by half",
        review_due=days(90),
        **votes(3),
    )
    assert continued.status_code == 302, error_summary(continued)
    kept = fresh(MoveRequest, kept.id)
    assert (kept.status, kept.review_due, kept.removal_due) == ("live", days(90), None)
    assert fresh(AgendaItem, kept_item.id).outcome == "continued"

    ended = decide(client, ending, "end-at-review", meeting, reason="No incidents for months", **votes(3))
    assert ended.status_code == 302, error_summary(ended)
    ending = fresh(MoveRequest, ending.id)
    assert (ending.status, ending.removal_due) == ("live", TODAY)
    assert fresh(AgendaItem, ending_item.id).outcome == "removal_ordered"


# --- 4. why a decision cannot be taken now -------------------------------------------------------


def test_the_meeting_page_says_why_no_decision_can_be_taken_on_an_item(app, client, login_as):
    chair, members = board_of(3)
    meeting = in_session((chair, *members))
    factories.meeting(days(40))  # somewhere to defer to
    _, short_of_quorum = on_agenda(meeting)
    _, chairs_interest = on_agenda(meeting)
    moved_on, moved_on_item = on_agenda(meeting, status="withdrawn")
    _, open_item = on_agenda(meeting)
    declare(short_of_quorum, members[0])
    declare(short_of_quorum, members[1])
    declare(chairs_interest, chair)
    login_as(user=chair)
    response = client.get(f"/meetings/{meeting.id}")

    assert "not quorate" in card_insets(response, short_of_quorum)
    assert "The meeting is not quorate: 2 present, 3 needed." in card_insets(response, short_of_quorum)
    assert "You have declared an interest" in card_insets(response, chairs_interest)
    assert "The request has moved on: it is withdrawn." in card_insets(response, moved_on_item)
    assert card_insets(response, open_item) == ""

    def decisions(item) -> list[str]:
        links = page(response).select(f"#item-{item.id} a.govuk-button")
        return [a["href"].split("/")[3].split("?")[0] for a in links]

    # Approving and rejecting need a quorum (DESIGN.md section 4); deferring
    # and returning do not.
    assert decisions(short_of_quorum) == ["return-for-changes", "defer"]
    assert decisions(chairs_interest) == []
    assert decisions(moved_on_item) == []
    # The expected decision first (the one primary button), rejecting last
    # (a warning button).
    assert decisions(open_item) == ["approve", "return-for-changes", "defer", "reject"]
    assert moved_on.status == "withdrawn"


def test_a_stale_decision_link_explains_and_one_never_theirs_is_forbidden(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    mr, _ = on_agenda(meeting)
    link = f"/requests/{mr.id}/approve?meeting={meeting.id}"
    login_as(user=chair)
    assert client.get(link).status_code == 200
    decide(client, mr, "reject", meeting, reason="Covert use is outside this process", **votes(0, 3))
    assert fresh(MoveRequest, mr.id).status == "rejected"

    stale = client.get(link)
    assert stale.status_code == 409
    shown_page = page(stale)
    assert shown_page.h1.get_text(strip=True) == f"{mr.reference} has moved on"
    london_today = datetime.now(ZoneInfo("Europe/London")).date()  # the day of the rejection
    assert (
        f"{mr.reference} has moved on since you opened that link: it was rejected by the board on "
        f"{london_today:%-d %B}, so nothing more can be done to it."
    ) in shown_page.get_text(" ", strip=True)
    links = [a["href"] for a in shown_page.select("main a.govuk-link")]
    assert f"/requests/{mr.id}" in links
    assert f"/meetings/{meeting.id}" in links

    login_as(user=mr.requester)  # an officer, who could never approve
    assert client.get(link).status_code == 403
    login_as("board")  # a member who is not the chair
    assert client.get(link).status_code == 403


# --- 5. decision support -------------------------------------------------------------------------


def test_the_board_sees_where_each_camera_is_and_when_it_is_free_for_the_period_asked(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    ward = factories.ward("Oxhey Hall and Hayling")
    library = factories.site(ward, street="High Street", exact_location="Lamp column 3 outside the library")
    alpha = factories.camera(name="Alpha")
    bravo = factories.camera(name="Bravo")
    charlie = factories.camera(name="Charlie", service_status="faulty")
    live = factories.move_request(
        status="live",
        site_obj=library,
        approved_camera_id=alpha.id,
        installed_on=days(-60),
        review_due=days(45),
    )
    factories.deployment(alpha, library, move_request_id=live.id, installed_on=days(-60))
    booked = factories.move_request(
        status="approved", approved_camera_id=bravo.id, approved_start=days(20), approved_end=days(60)
    )
    # Asked: from day 30 for four weeks, to day 58. Bravo's booking ends on
    # day 60, so it is next free for 29 days running from day 61.
    first, first_item = on_agenda(meeting, wanted_start=days(30), duration_weeks=4)
    # From day 50 for two weeks: overlaps the first.
    second, second_item = on_agenda(meeting, wanted_start=days(50), duration_weeks=2)
    # From day 100 for two weeks: clear of both, and of Bravo's booking.
    third, third_item = on_agenda(meeting, wanted_start=days(100), duration_weeks=2)
    login_as(user=chair)

    form = page(client.get(f"/requests/{first.id}/approve?meeting={meeting.id}"))
    table = next(t for t in form.select("table") if "when each is free" in t.caption.get_text())
    headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert headers[-1] == f"Free {shown(days(30))} to {shown(days(58))}?"
    rows = {
        r.select_one("th").get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in r.select("td")]
        for r in table.select("tbody tr")
    }
    assert rows[alpha.label] == [
        f"Lamp column 3 outside the library, Oxhey Hall and Hayling, since {shown(days(-60))}",
        shown(days(45)),
        "Not booked",
        "Yes",
    ]
    assert rows[bravo.label] == [
        "In store",
        "None set",
        f"{booked.reference}: {shown(days(20))} to {shown(days(60))}",
        f"No: next free for that long from {shown(days(61))}",
    ]
    assert rows[f"{charlie.label} Faulty"][-1] == "No: not in service"

    agenda = client.get(f"/meetings/{meeting.id}")
    assert (
        f"Cameras free for the period asked {alpha.label}. Later: {bravo.label} from {shown(days(61))}."
        in card(agenda, first_item)
    )
    assert f"Cameras free for the period asked {alpha.label}, {bravo.label}." in card(agenda, third_item)
    assert f"Competing for the same period on this agenda: {second.reference}." in card(agenda, first_item)
    assert f"Competing for the same period on this agenda: {first.reference}." in card(agenda, second_item)
    assert "Competing" not in card(agenda, third_item)
    # What each camera is doing now, on the same page.
    board = next(t for t in page(agenda).select("table") if "doing now" in t.caption.get_text())
    board_rows = {
        r.select_one("th").get_text(" ", strip=True): r.get_text(" ", strip=True)
        for r in board.select("tbody tr")
    }
    assert "Lamp column 3 outside the library" in board_rows[alpha.label]
    assert shown(days(45)) in board_rows[alpha.label]
    assert f"{booked.reference}: {shown(days(20))} to {shown(days(60))}" in board_rows[bravo.label]


# --- 6. the cost of the meeting page (PERF-1) ----------------------------------------------------


def statements_during(client, path: str):
    """The response to GET ``path`` and every statement sent to the database
    while it was served, COMMIT included, in order."""
    seen: list[str] = []

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.lstrip())

    def on_commit(conn):
        seen.append("COMMIT")

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", on_statement)
    sa.event.listen(engine, "commit", on_commit)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(engine, "before_cursor_execute", on_statement)
        sa.event.remove(engine, "commit", on_commit)
    return response, seen


def verb(statement: str) -> str:
    return statement.split(None, 1)[0].upper()


def test_the_meeting_page_costs_the_same_queries_for_2_or_20_items_and_audits_last(app, client, login_as):
    chair, members = board_of(3)
    meeting = in_session((chair, *members))
    for camera in (factories.camera(), factories.camera()):
        factories.deployment(camera)
    preferred = factories.camera()
    made = 0

    def add_items(count: int) -> None:
        nonlocal made
        for _ in range(count):
            # Each request on a site of its own; every other one names a camera
            # and every third has a declared interest.
            extra = {"camera_preference_id": preferred.id} if made % 2 else {}
            _, item = on_agenda(meeting, submitted_at=sent_days_ago(made + 1), **extra)
            if made % 3 == 0:
                declare(item, members[made % len(members)])
            made += 1

    add_items(2)
    login_as(user=chair)
    path = f"/meetings/{meeting.id}"
    two, with_two = statements_during(client, path)
    add_items(18)
    twenty, with_twenty = statements_during(client, path)

    assert (two.status_code, twenty.status_code) == (200, 200)
    assert (len(agenda_refs(two)), len(agenda_refs(twenty))) == (2, 20)
    assert len(with_twenty) == len(with_two), "\n".join(with_twenty)

    assert events("meeting.papers_viewed") == [(chair.id, "meeting", meeting.id)] * 2
    for statements in (with_two, with_twenty):
        writes = [s for s in statements if verb(s) != "SELECT"]
        assert [verb(s) for s in writes] == ["INSERT", "COMMIT"]
        assert "audit_events" in writes[0]
        last_read = max(i for i, s in enumerate(statements) if verb(s) == "SELECT")
        first_write = min(i for i, s in enumerate(statements) if verb(s) != "SELECT")
        assert last_read < first_write


def test_a_removal_the_board_orders_waits_on_the_coordinators_home_page(app, client, login_as):
    """Not ratified after installation, or ended at review: the camera stays up
    until the coordinator records its removal, so their home page lists it."""
    ordered = factories.move_request(status="live", title="Ordered down", removal_due=date.today())
    factories.move_request(status="live", title="Still running")
    login_as("coordinator")
    heading = page(client.get("/")).find(id="coordinator_removals-heading")
    assert heading.get_text(strip=True) == "Cameras the board has ordered removed (1)"
    text = heading.find_parent("section").get_text(" ", strip=True)
    assert ordered.reference in text and "Still running" not in text
