"""Why an action cannot be taken now, for someone who could take it at some
stage; and no explanation (a 403) for someone who never could (issue: "only
a user who may never act sees a 403"). Messages are the design's words."""

from datetime import date, timedelta

from cctv_requests.workflow.engine import unavailable_reason
from tests import factories

TODAY = date(2027, 3, 10)
MOVED_ON = "This request is now {}, so that cannot be done."


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
    rejected = factories.move_request(status="rejected")
    assert unavailable_reason(chair, rejected, "approve", today=TODAY) == MOVED_ON.format("rejected")
    sent = factories.move_request(status="submitted")
    # The requester sends a draft; this one has gone to the sponsor.
    assert unavailable_reason(sent.requester, sent, "submit", today=TODAY) == MOVED_ON.format(
        "waiting for sponsor"
    )


def test_a_step_that_is_someone_elses_in_this_state_is_moved_on_not_forbidden(app):
    # The named sponsor returns a submitted request; on an agenda only the
    # chair returns it.
    chair, meeting = board(attending=4)
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    assert unavailable_reason(mr.sponsor, mr, "return_for_changes", today=TODAY) == MOVED_ON.format(
        "on board agenda"
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
