"""The engine against the hand-written lifecycle in ``tests/lifecycle_oracle.py``:
every state, trigger and kind of user, and every guard broken on its own
(DESIGN.md section 4, QUALITY.md TEST-1)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import (
    AgendaItem,
    Attendance,
    AuditEvent,
    Camera,
    Interest,
    Meeting,
    MoveRequest,
    SiteSurvey,
)
from cctv_requests.models.meetings import ITEM_KINDS as MODEL_ITEM_KINDS
from cctv_requests.models.meetings import MEETING_STATUSES as MODEL_MEETING_STATUSES
from cctv_requests.workflow import engine
from cctv_requests.workflow.definition import STATES as DEFINED_STATES
from cctv_requests.workflow.definition import TRIGGERS as DEFINED_TRIGGERS
from tests import factories
from tests.lifecycle_oracle import (
    ACTORS,
    EXPECTED,
    FINAL_STATES,
    ITEM_KINDS,
    MEETING_STATUSES,
    STATE_LABELS,
    STATES,
    TRIGGERS,
    expected,
)

TODAY = date(2027, 3, 10)
START = TODAY + timedelta(days=30)
END = START + timedelta(weeks=12)
INSTALLED = TODAY - timedelta(days=10)
# Four members present, none with an interest: the votes fill every place.
VOTES = {"votes_for": 3, "votes_against": 0, "votes_abstain": 1}
# The triggers the board decides at a meeting, with votes on the form.
AT_MEETING = {trigger for (_, trigger, _), outcome in EXPECTED.items() if outcome.item_kind}


@dataclass
class World:
    actors: dict
    now: Meeting  # in session today, four members present
    later: Meeting  # planned, its papers cut-off weeks away
    members: list
    # The kind of agenda item the trigger under test is decided on.
    kind: str = "request"


@pytest.fixture
def world(app):
    chair = factories.user("board", "chair", name="Chair")
    members = [chair] + [factories.user("board", name=f"Board {n}") for n in (1, 2, 3)]
    actors = {
        "requester": factories.user("officer", name="Requester"),
        "named_sponsor": factories.user("sponsor", name="Named Sponsor"),
        "other_sponsor": factories.user("sponsor", name="Other Sponsor"),
        "other_officer": factories.user("officer", name="Other Officer"),
        "coordinator": factories.user("coordinator", name="Coordinator"),
        "chair": chair,
        "board": members[1],
        "councillor": factories.user("councillor", name="Councillor"),
        "admin": factories.user("admin", name="Admin"),
        "no_role": factories.user(name="Nobody"),
    }
    now = factories.meeting(TODAY, status="in_session", attendees=members)
    later = factories.meeting(TODAY + timedelta(days=60))
    return World(actors=actors, now=now, later=later, members=members)


def in_state(w: World, state: str) -> MoveRequest:
    """A request in ``state`` on which every guard holds: urgent with
    grounds, with a camera of its own so no booking clashes. Its open agenda
    items are on today's meeting: the request itself while on the agenda; the
    ratification of its approval once approved (so that the board may ratify
    it or not); and, once the camera is up, a review of the deployment."""
    mr = factories.move_request(
        requester=w.actors["requester"],
        sponsor=w.actors["named_sponsor"],
        status=state,
        urgency="urgent",
        urgent_ground="risk_of_harm",
        urgent_explanation="A resident has been threatened twice this week.",
    )
    if state == "on_agenda":
        factories.agenda_item(w.now, mr)
    if state in ("approved", "scheduled", "live"):
        factories.agenda_item(w.now, mr, kind="ratification")
    if state == "live":
        factories.agenda_item(w.now, mr, kind="review")
    camera = factories.camera()
    if state in ("approved", "scheduled", "live", "ended", "closed"):
        mr.approved_camera_id = camera.id
        mr.approved_start, mr.approved_end = START, END
    if state == "scheduled":
        mr.installation_date = START
    if state in ("live", "ended"):
        mr.installed_on = INSTALLED
        factories.deployment(
            camera,
            mr.site,
            installed_on=INSTALLED,
            move_request_id=mr.id,
            removed_on=None if state == "live" else TODAY,
        )
    db.session.commit()
    return mr


def valid_data(w: World, trigger: str, mr: MoveRequest) -> dict:
    """What each action's form would send when everything is in order. The
    installation booking sends no period: the engine takes the approved one."""
    camera_id = mr.approved_camera_id
    if camera_id is None and trigger in ("approve", "approve_urgently"):
        camera_id = factories.camera().id
    by_trigger = {
        "place_on_agenda": {"meeting_id": w.later.id},
        "approve": {
            "camera_id": camera_id,
            "start": START,
            "end": END,
            "conditions": "Signs in two languages.",
        },
        "approve_urgently": {"camera_id": camera_id, "start": START, "end": END},
        "schedule_installation": {
            "camera_id": camera_id,
            "installation_date": START,
            "installer": "Installer Ltd",
            "installation_cost": 500,
        },
        "record_installation": {
            "installed_on": TODAY,
            "dpia_reference": "DPIA-1",
            "signage_confirmed": True,
            "review_due": TODAY + timedelta(days=90),
        },
        "continue_deployment": {"review_due": TODAY + timedelta(days=90)},
        "continue_at_review": {"review_due": TODAY + timedelta(days=90)},
        "end_deployment": {
            "removed_on": TODAY,
            "signs_removed": True,
            "recordings_kept_until": date(2100, 1, 1),
        },
        "record_evaluation": {"incidents_before": 10, "incidents_during": 4, "incidents_after": 6},
    }
    votes = VOTES if trigger in AT_MEETING else {}
    return {"reason": "Recorded for the table test.", **votes, **by_trigger.get(trigger, {})}


def open_item(mr: MoveRequest, kind: str) -> AgendaItem:
    return db.session.scalar(
        sa.select(AgendaItem).where(
            AgendaItem.move_request_id == mr.id, AgendaItem.kind == kind, AgendaItem.outcome.is_(None)
        )
    )


def item_at(meeting: Meeting, mr: MoveRequest, kind: str) -> AgendaItem | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.move_request_id == mr.id, AgendaItem.kind == kind
        )
    )


def _audit_count(mr: MoveRequest, trigger: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            AuditEvent.object_id == mr.id, AuditEvent.action == f"request.{trigger}"
        )
    )


def _expect_refused(mr: MoveRequest, trigger: str, actor, data: dict, label: str, message: str) -> list[str]:
    state, version = mr.status, mr.version
    problems = []
    try:
        engine.fire(mr, trigger, actor, data, today=TODAY)
    except engine.Refused as refusal:
        if refusal.message != message:
            problems.append(f"{label}: refused with {refusal.message!r}, expected {message!r}")
    else:
        problems.append(f"{label}: was allowed")
    db.session.expire_all()
    after = db.session.get(MoveRequest, mr.id)
    if (after.status, after.version) != (state, version) or _audit_count(mr, trigger):
        problems.append(f"{label}: a refusal changed the request or wrote an audit event")
    return problems


def refusal(state: str, trigger: str) -> str:
    """What a user is told when the oracle refuses them: the action does not
    apply to a request in this state, or it does but not for them."""
    if any(expected(state, trigger, actor) for actor in ACTORS):
        return "You cannot do that to this request."
    return f"This request is {STATE_LABELS[state]}, so that cannot be done now."


def test_the_definition_has_the_states_and_triggers_of_the_design():
    assert tuple(DEFINED_STATES) == STATES
    assert set(DEFINED_TRIGGERS) == set(TRIGGERS)
    assert {s.name for s in DEFINED_STATES.values() if s.final} == set(FINAL_STATES)


def test_nothing_leaves_a_final_state_in_the_oracle():
    assert not [key for key in EXPECTED if key[0] in FINAL_STATES]


def test_meetings_and_agenda_items_have_the_statuses_and_kinds_of_the_design():
    assert tuple(MODEL_MEETING_STATUSES) == MEETING_STATUSES
    assert tuple(MODEL_ITEM_KINDS) == ITEM_KINDS
    assert {o.item_kind for o in EXPECTED.values()} == {None, *ITEM_KINDS}


@pytest.mark.parametrize("state", STATES)
def test_every_trigger_and_every_kind_of_user_in_each_state(world, state):
    """Allowed exactly when the oracle says so, to the oracle's destination,
    with one audit event; refused otherwise, changing nothing; and the buttons
    a user sees are exactly the triggers they may fire."""
    mismatches = []
    shared = in_state(world, state)
    for name in ACTORS:
        actor = world.actors[name]
        shown = {t.trigger for t in engine.allowed_actions(actor, shared, today=TODAY)}
        should_show = {trigger for trigger in TRIGGERS if expected(state, trigger, name)}
        if shown != should_show:
            mismatches.append(f"{state}/{name}: buttons {sorted(shown)}, expected {sorted(should_show)}")
        for trigger in TRIGGERS:
            outcome = expected(state, trigger, name)
            label = f"{state}/{trigger}/{name}"
            if outcome is None:
                data = valid_data(world, trigger, shared)
                mismatches += _expect_refused(shared, trigger, actor, data, label, refusal(state, trigger))
                continue
            mr = in_state(world, state)
            try:
                engine.fire(mr, trigger, actor, valid_data(world, trigger, mr), today=TODAY)
            except engine.WorkflowError as error:
                mismatches.append(f"{label}: refused ({error.message})")
                continue
            db.session.expire_all()
            after = db.session.get(MoveRequest, mr.id)
            if (after.status, after.version) != (outcome.dest, 2):
                mismatches.append(
                    f"{label}: ended {after.status} v{after.version}, expected {outcome.dest} v2"
                )
            if _audit_count(mr, trigger) != 1:
                mismatches.append(f"{label}: {_audit_count(mr, trigger)} audit events")
            if outcome.item_kind:
                # Decided on the item of its own kind, by the chair who fired it.
                item = item_at(world.now, mr, outcome.item_kind)
                if item is None or item.outcome is None or item.decided_by_id != actor.id:
                    mismatches.append(f"{label}: its {outcome.item_kind} item was not decided")
    assert mismatches == []


# ---------------------------------------------------------------------------
# Each guard broken on its own. A breaker changes the world or the data so
# that exactly that guard fails. ``hides_button``: the guard is about the
# request, the meeting or the people, not the form's answers, so the action
# is not offered at all.


@dataclass(frozen=True)
class Breaker:
    label: str
    # (world, request, actor, data) -> None, or the values for the message
    apply: Callable
    hides_button: bool
    # The refusal the user reads (QUALITY.md INP-3).
    message: str


def _set(**fields):
    def apply(w, mr, actor, data):
        for key, value in fields.items():
            setattr(mr, key, value)
        db.session.commit()

    return apply


def _data(**fields):
    def apply(w, mr, actor, data):
        data.update(fields)

    return apply


def _survey(**fields):
    def apply(w, mr, actor, data):
        row = db.session.scalar(sa.select(SiteSurvey).where(SiteSurvey.move_request_id == mr.id))
        for key, value in fields.items():
            setattr(row, key, value)
        db.session.commit()

    return apply


def _no_survey(w, mr, actor, data):
    db.session.execute(sa.delete(SiteSurvey).where(SiteSurvey.move_request_id == mr.id))
    db.session.commit()


def _camera_status(status):
    def apply(w, mr, actor, data):
        db.session.get(Camera, mr.approved_camera_id).service_status = status
        db.session.commit()

    return apply


def _no_street_or_signage_plan(w, mr, actor, data):
    mr.site.street = " "
    mr.signage_plan = ""
    db.session.commit()


def _actor_is_requester(w, mr, actor, data):
    mr.requester_id = actor.id
    db.session.commit()


def _actor_is_sponsor(w, mr, actor, data):
    mr.sponsor_id = actor.id
    db.session.commit()


def _votes(**votes):
    """Only the votes on the form change: four members present may vote."""
    return _data(**{"votes_for": None, "votes_against": None, "votes_abstain": None, **votes})


def _fit_votes(data: dict, voters: int) -> None:
    """Votes that still add up once fewer members may vote, so that a
    breaker of the quorum or of the chair's interest breaks nothing else."""
    if "votes_for" in data:
        data.update(votes_for=voters, votes_against=0, votes_abstain=0)


def _meeting_status(status):
    def apply(w, mr, actor, data):
        w.now.status = status
        db.session.commit()

    return apply


def _item_on_a_later_agenda(w, mr, actor, data):
    """Its item waits for next meeting's agenda, while today's meeting (with
    the request's other items) is in session."""
    open_item(mr, w.kind).meeting_id = w.later.id
    db.session.commit()


def _declare(w, mr, *people, note="Neighbour"):
    item = open_item(mr, w.kind)
    for person in people:
        db.session.add(Interest(agenda_item_id=item.id, user_id=person.id, note=note))
    db.session.commit()


def _actor_declares_interest(w, mr, actor, data):
    _declare(w, mr, actor, note="Lives on the street")
    _fit_votes(data, 3)


def _members_leave(count: int, fit: bool):
    def apply(w, mr, actor, data):
        leaving = [m.id for m in w.members[len(w.members) - count :]]
        db.session.execute(
            sa.delete(Attendance).where(Attendance.meeting_id == w.now.id, Attendance.user_id.in_(leaving))
        )
        db.session.commit()
        if fit:
            _fit_votes(data, len(w.members) - count)

    return apply


def _two_members_declare_interests(w, mr, actor, data):
    _declare(w, mr, *w.members[2:])
    _fit_votes(data, 2)


def _one_member_declares_an_interest(w, mr, actor, data):
    """Three may vote, and three are a quorum; the form still counts four."""
    _declare(w, mr, w.members[3])


def _later_meeting(status: str):
    def apply(w, mr, actor, data):
        w.later.status = status
        db.session.commit()

    return apply


def _later_meeting_moved_before_today(w, mr, actor, data):
    w.later.meets_on = TODAY - timedelta(days=5)
    w.later.cutoff_on = w.later.publish_on = TODAY - timedelta(days=20)
    db.session.commit()


def _choose(make):
    def apply(w, mr, actor, data):
        data["meeting_id"] = make(w)

    return apply


def _meeting_cutoff_passed(w, mr, actor, data):
    soon = factories.meeting(TODAY + timedelta(days=3))
    assert soon.cutoff_on < TODAY  # set-up: ten working days before is already gone
    data["meeting_id"] = soon.id


def _camera_faulty(w, mr, actor, data):
    camera = factories.camera(service_status="faulty")
    data["camera_id"] = camera.id
    if mr.approved_camera_id:
        mr.approved_camera_id = camera.id
        db.session.commit()


def _camera_booked_by_another(w, mr, actor, data):
    """Another approved request holds the camera for part of the period."""
    other = factories.move_request(
        status="approved",
        approved_camera_id=data["camera_id"],
        approved_start=END - timedelta(days=7),
        approved_end=END + timedelta(days=60),
    )
    return {"other": other.reference}


def _camera_live_elsewhere_since(w, mr, actor, data):
    camera = db.session.get(Camera, mr.approved_camera_id)
    factories.deployment(camera, installed_on=TODAY - timedelta(days=2))
    data["installed_on"] = TODAY - timedelta(days=3)


B = Breaker
STILL_NEEDED = "Answer every question before submitting. Still needed: {}."
NOT_STARTED = "Select a meeting that has not started."
DATE_PASSED = "The date of that meeting has passed. Select a meeting still to come."
NOT_IN_SESSION = "The board can decide this only while its meeting is in session."
NO_NEXT_MEETING = "There is no later meeting to take it. Ask the coordinator to plan one."
VOTES_OVER = (
    "The votes add up to {}, but only {} members present may vote on this item. "
    "Check the votes for, against and abstaining."
)
NO_MAJORITY = (
    "This needs a majority of the votes cast: {} for and {} against. "
    "Enter the votes, or record a different decision."
)
BREAKERS: dict[str, tuple[Breaker, ...]] = {
    "form_complete": (
        B("signage plan missing", _set(signage_plan=""), True, STILL_NEEDED.format("the signage plan")),
        B("title missing", _set(title=""), True, STILL_NEEDED.format("a short title")),
        B(
            "not confirmed overt",
            _set(overt_confirmed=False),
            True,
            STILL_NEEDED.format("confirmation that the camera will be overt with signs"),
        ),
        B(
            "urgent without an explanation",
            _set(urgent_explanation=""),
            True,
            STILL_NEEDED.format("the grounds for urgency"),
        ),
        B(
            "no exact location",
            lambda w, mr, a, d: _set(exact_location="")(w, mr.site, a, d),
            True,
            STILL_NEEDED.format("the exact location"),
        ),
        B(
            "no street or signage plan",
            _no_street_or_signage_plan,
            True,
            STILL_NEEDED.format("the street name, the signage plan"),
        ),
    ),
    "sponsor_named": (
        B("no sponsor named", _set(sponsor_id=None), True, "Choose the sponsor you have approached."),
        B(
            "requester named as sponsor",
            lambda w, mr, a, d: _set(sponsor_id=mr.requester_id)(w, mr, a, d),
            True,
            "Choose a sponsor other than yourself.",
        ),
    ),
    "sponsor_is_not_requester": (
        B("the sponsor filed it", _actor_is_requester, True, "You cannot sponsor a request you filed."),
    ),
    "reason_given": (
        B("no reason", _data(reason=""), False, "Enter the reason."),
        B("blank reason", _data(reason="  \n "), False, "Enter the reason."),
    ),
    "meeting_not_started": (
        B("meeting in session", _choose(lambda w: w.now.id), False, NOT_STARTED),
        B(
            "meeting closed",
            _choose(lambda w: factories.meeting(TODAY - timedelta(days=30), status="closed").id),
            False,
            NOT_STARTED,
        ),
        B(
            "minutes approved",
            _choose(lambda w: factories.meeting(TODAY - timedelta(days=60), status="minutes_approved").id),
            False,
            NOT_STARTED,
        ),
        B(
            "meeting cancelled",
            _choose(lambda w: factories.meeting(TODAY + timedelta(days=40), status="cancelled").id),
            False,
            NOT_STARTED,
        ),
        B("no meeting chosen", _choose(lambda w: None), False, NOT_STARTED),
        B("no such meeting", _choose(lambda w: 987654), False, NOT_STARTED),
    ),
    "meeting_date_not_passed": (
        B(
            "planned meeting dated yesterday",
            _choose(lambda w: factories.meeting(TODAY - timedelta(days=1)).id),
            False,
            DATE_PASSED,
        ),
        # Before the published agenda's own refusal, for the coordinator too.
        B(
            "published meeting dated yesterday",
            _choose(lambda w: factories.meeting(TODAY - timedelta(days=1), status="published").id),
            False,
            DATE_PASSED,
        ),
    ),
    "agenda_not_published": (
        B(
            "agenda published, papers cut-off weeks away",
            _later_meeting("published"),
            False,
            "The agenda for that meeting is published. Only the chair can accept a late item.",
        ),
    ),
    "papers_cutoff_not_passed": (
        B(
            "cut-off passed",
            _meeting_cutoff_passed,
            False,
            "The papers cut-off for that meeting has passed. Only the chair can accept a late item.",
        ),
    ),
    "meeting_in_session": (
        B("meeting planned", _meeting_status("planned"), True, NOT_IN_SESSION),
        B("agenda published, meeting not opened", _meeting_status("published"), True, NOT_IN_SESSION),
        B("meeting closed", _meeting_status("closed"), True, NOT_IN_SESSION),
        B("its item is on next meeting's agenda", _item_on_a_later_agenda, True, NOT_IN_SESSION),
    ),
    "no_interest_declared": (
        B(
            "the chair declared an interest",
            _actor_declares_interest,
            True,
            "You have declared an interest in this item, so you take no part in its decision.",
        ),
    ),
    "meeting_quorate": (
        B(
            "two of four present",
            _members_leave(2, fit=True),
            True,
            "The meeting is not quorate: 2 present, 3 needed.",
        ),
        B(
            "two of four present have an interest",
            _two_members_declare_interests,
            True,
            "The meeting is not quorate: 2 present, 3 needed.",
        ),
    ),
    "votes_add_up": (
        B(
            "five votes, four present",
            _votes(votes_for=3, votes_against=1, votes_abstain=1),
            False,
            VOTES_OVER.format(5, 4),
        ),
        B("five for, the rest blank", _votes(votes_for=5), False, VOTES_OVER.format(5, 4)),
        B(
            "one of four present has an interest",
            _one_member_declares_an_interest,
            False,
            VOTES_OVER.format(4, 3),
        ),
        B("one of four left", _members_leave(1, fit=False), False, VOTES_OVER.format(4, 3)),
    ),
    "majority_for": (
        B("a tie", _votes(votes_for=2, votes_against=2), False, NO_MAJORITY.format(2, 2)),
        B(
            "more against",
            _votes(votes_for=1, votes_against=2, votes_abstain=1),
            False,
            NO_MAJORITY.format(1, 2),
        ),
        B("only abstentions", _votes(votes_abstain=4), False, NO_MAJORITY.format(0, 0)),
        B("no votes entered", _votes(), False, NO_MAJORITY.format(0, 0)),
    ),
    "next_meeting_exists": (
        B("later meeting closed", _later_meeting("closed"), True, NO_NEXT_MEETING),
        B("later meeting cancelled", _later_meeting("cancelled"), True, NO_NEXT_MEETING),
        B("only meeting to come is past", _later_meeting_moved_before_today, True, NO_NEXT_MEETING),
    ),
    "period_valid": (
        B(
            "end before start",
            _data(end=START - timedelta(days=1)),
            False,
            "The end of the deployment period must be the same as or after its start.",
        ),
        B("no end", _data(end=None), False, "Enter the start and end of the deployment period."),
        B("no start", _data(start=None), False, "Enter the start and end of the deployment period."),
    ),
    "camera_available": (
        B("no camera chosen", _data(camera_id=None), False, "Select a camera."),
        B("camera faulty", _camera_faulty, False, "That camera is not in service."),
        B(
            "camera booked for an overlapping period",
            _camera_booked_by_another,
            False,
            "That camera is already booked for an overlapping period by {other}.",
        ),
    ),
    "urgent_with_grounds": (
        B(
            "routine request",
            _set(urgency="routine"),
            True,
            "Only an urgent request with grounds can be approved by chair's action.",
        ),
        B(
            "urgent without grounds",
            _set(urgent_ground=""),
            True,
            "Only an urgent request with grounds can be approved by chair's action.",
        ),
    ),
    "chair_is_independent": (
        B(
            "the chair is the sponsor",
            _actor_is_sponsor,
            True,
            "A chair's action cannot be taken by the request's requester or sponsor.",
        ),
        B(
            "the chair is the requester",
            _actor_is_requester,
            True,
            "A chair's action cannot be taken by the request's requester or sponsor.",
        ),
    ),
    "installation_in_period": (
        B(
            "before the period",
            _data(installation_date=START - timedelta(days=1)),
            False,
            "The installation date must be within the approved period.",
        ),
        B(
            "after the period",
            _data(installation_date=END + timedelta(days=1)),
            False,
            "The installation date must be within the approved period.",
        ),
        B("no date", _data(installation_date=None), False, "Enter the installation date."),
    ),
    "installation_ready": (
        B("no DPIA reference", _data(dpia_reference=" "), False, "Enter the DPIA reference."),
        B("no date", _data(installed_on=None), False, "Enter the date the camera was installed."),
        B(
            "installed tomorrow",
            _data(installed_on=TODAY + timedelta(days=1)),
            False,
            "The date installed cannot be in the future.",
        ),
        B("signs not confirmed", _data(signage_confirmed=False), False, "Confirm that the signs are up."),
        B(
            "highway consent dated after the installation",
            _survey(highway_consent_on=TODAY + timedelta(days=1)),
            False,
            "The highway authority's consent is dated 11 March 2027, after that date. "
            "The camera cannot go up before it.",
        ),
        B(
            "review on the installation day",
            _data(review_due=TODAY),
            False,
            "Enter a review date after the installation date.",
        ),
        B(
            "no review date",
            _data(review_due=None),
            False,
            "Enter a review date after the installation date.",
        ),
        B(
            "camera still at its previous site",
            _camera_live_elsewhere_since,
            False,
            "The camera was still at its previous site then. Enter a date on or after 8 March 2027.",
        ),
    ),
    "review_recorded": (
        B("no findings", _data(reason=""), False, "Enter the findings of the review."),
        B("next review today", _data(review_due=TODAY), False, "Enter a next review date in the future."),
        B("no next review", _data(review_due=None), False, "Enter a next review date in the future."),
    ),
    "removal_recorded": (
        B("no date", _data(removed_on=None), False, "Enter the date the camera was removed."),
        B(
            "removed tomorrow",
            _data(removed_on=TODAY + timedelta(days=1)),
            False,
            "The date removed cannot be in the future.",
        ),
        B(
            "removed before installation",
            _data(removed_on=INSTALLED - timedelta(days=1)),
            False,
            "The removal date cannot be before the installation date.",
        ),
        B(
            "signs not removed",
            _data(signs_removed=False),
            False,
            "Confirm that the signs have been removed.",
        ),
    ),
    "recordings_kept": (
        B(
            "recordings kept until the day before removal",
            _data(recordings_kept_until=TODAY - timedelta(days=1)),
            False,
            "The recordings must be kept until at least the date the camera was removed.",
        ),
    ),
    "site_prepared": (
        B(
            "no site survey",
            _survey(surveyed_on=None),
            True,
            "Record the site survey before the camera goes live.",
        ),
        B(
            "no consents",
            _survey(landowner_consent_on=None, highway_consent_on=None),
            True,
            "Record the landowner's consent and the highway authority's consent before the camera goes live.",
        ),
        B(
            "nothing recorded",
            _no_survey,
            True,
            "Record the site survey, the landowner's consent and the highway authority's consent "
            "before the camera goes live.",
        ),
        B(
            "no signage plan",
            _set(signage_plan="  "),
            True,
            "The request has no signage plan. The camera cannot go live without one.",
        ),
    ),
    "approved_camera_in_service": (
        B(
            "the camera became faulty",
            _camera_status("faulty"),
            True,
            "The approved camera is not in service. It cannot be installed until it is repaired.",
        ),
        B(
            "the camera was retired",
            _camera_status("retired"),
            True,
            "The approved camera is not in service. It cannot be installed until it is repaired.",
        ),
    ),
    "after_period_over": (
        # The district's 12 weeks after a removal on 3 March 2027 end on 26 May 2027.
        B(
            "removed a week ago",
            _set(removed_on=TODAY - timedelta(days=7)),
            True,
            "The evaluation counts incidents in the weeks after removal. Record it on or after 27 May 2027.",
        ),
    ),
    "evaluation_recorded": (
        B(
            "no count before",
            _data(incidents_before=None),
            False,
            "Enter the number of incidents before the deployment.",
        ),
        B(
            "no count during",
            _data(incidents_during=None),
            False,
            "Enter the number of incidents during the deployment.",
        ),
        B(
            "no count after",
            _data(incidents_after=None),
            False,
            "Enter the number of incidents after the deployment.",
        ),
    ),
}

GUARD_CASES = [
    pytest.param(state, trigger, actor, breaker, id=f"{state}-{trigger}-{actor}-{breaker.label}")
    for (state, trigger, actor), outcome in EXPECTED.items()
    for guard in outcome.guards
    for breaker in BREAKERS[guard]
]


def test_every_guard_of_the_oracle_has_a_breaker():
    named = {guard for outcome in EXPECTED.values() for guard in outcome.guards}
    assert named == set(BREAKERS)


@pytest.mark.parametrize(("state", "trigger", "actor_name", "breaker"), GUARD_CASES)
def test_each_guard_broken_alone_refuses_the_action(world, state, trigger, actor_name, breaker):
    actor = world.actors[actor_name]
    world.kind = expected(state, trigger, actor_name).item_kind or "request"
    mr = in_state(world, state)
    data = valid_data(world, trigger, mr)
    values = breaker.apply(world, mr, actor, data) or {}
    problems = _expect_refused(mr, trigger, actor, data, breaker.label, breaker.message.format(**values))
    # A guard on the form's answers cannot be judged before they are given:
    # the action is offered and refused when sent. Any other hides it.
    shown = {t.trigger for t in engine.allowed_actions(actor, mr, today=TODAY)}
    if breaker.hides_button and trigger in shown:
        problems.append(f"{breaker.label}: the action is still offered")
    if not breaker.hides_button and trigger not in shown:
        problems.append(f"{breaker.label}: the action is hidden before the form is sent")
    assert problems == []
