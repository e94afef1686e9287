"""The move request lifecycle as data (DESIGN.md section 4).

This is the only description of the machine: the engine builds the
``transitions`` machine from it, and the views ask the engine which triggers
a user may fire.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class State:
    name: str
    label: str
    # GOV.UK tag colour modifier (govuk-tag--<colour>).
    colour: str
    meaning: str
    final: bool = False
    # What happened to the request as it reached this state, after "it"
    # ("it was endorsed on 3 March"), and who it then waits for and to do
    # what, after "waiting for" (none in a final state). A link to a step
    # the request has moved past says both (engine.unavailable_reason).
    entered: str = ""
    waiting_for: str = ""


STATE_LIST = (
    State(
        "draft",
        "Draft",
        "grey",
        "being written by the requester",
        entered="was started",
        waiting_for="the requester to finish it and send it to the sponsor",
    ),
    State(
        "submitted",
        "Waiting for sponsor",
        "blue",
        "waiting for a sponsor to back it",
        entered="was sent to its sponsor",
        waiting_for="its sponsor to endorse it, return it for changes or decline it",
    ),
    State(
        "returned",
        "Returned for changes",
        "orange",
        "sent back to the requester for changes",
        entered="was returned for changes",
        waiting_for="the requester to change it and send it again",
    ),
    State(
        "endorsed",
        "Endorsed",
        "turquoise",
        "backed by a sponsor, waiting for a board agenda",
        entered="was endorsed",
        waiting_for="the CSP team to place it on a board agenda",
    ),
    State(
        "on_agenda",
        "On board agenda",
        "purple",
        "on the agenda of a board meeting",
        entered="was placed on a board agenda",
        waiting_for="the board to decide it at its meeting",
    ),
    State(
        "approved",
        "Approved",
        "green",
        "approved by the board; camera and period set",
        entered="was approved",
        waiting_for="the CSP team to book the camera's installation",
    ),
    State(
        "scheduled",
        "Installation booked",
        "light-blue",
        "installation booked",
        entered="had its installation booked",
        waiting_for="the CSP team to record the camera's installation",
    ),
    State(
        "live",
        "Camera installed",
        "green",
        "camera installed at the site",
        entered="had its camera installed",
        waiting_for="the CSP team to record its next review or the camera's removal",
    ),
    State(
        "ended",
        "Camera removed",
        "yellow",
        "camera removed; evaluation due",
        entered="had its camera removed",
        waiting_for="the CSP team to record the evaluation",
    ),
    State("closed", "Closed", "grey", "evaluation recorded", final=True, entered="was evaluated and closed"),
    State(
        "not_sponsored",
        "Not sponsored",
        "red",
        "declined by the sponsor",
        final=True,
        entered="was declined by its sponsor",
    ),
    State(
        "rejected",
        "Rejected",
        "red",
        "rejected by the board",
        final=True,
        entered="was rejected by the board",
    ),
    State("withdrawn", "Withdrawn", "grey", "withdrawn", final=True, entered="was withdrawn"),
    State("cancelled", "Cancelled", "red", "cancelled after approval", final=True, entered="was cancelled"),
)

STATES = {s.name: s for s in STATE_LIST}

# Who may fire a trigger. "requester" and "named_sponsor" are relations to the
# request; "system" is the service itself, building agendas; the others are
# roles.
ACTORS = {
    "requester": "the requester",
    "named_sponsor": "the named sponsor",
    "coordinator": "the CSP coordinator",
    "chair": "the board chair",
    "system": "the service, automatically",
}

# The guards every board decision at a meeting shares (DESIGN.md section 6).
AT_MEETING = ("meeting_in_session", "no_interest_declared")
DECIDING = (*AT_MEETING, "meeting_quorate", "votes_add_up")


@dataclass(frozen=True)
class Transition:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    actors: tuple[str, ...]
    label: str
    guards: tuple[str, ...] = ()
    # Board decisions are recorded against the request's open agenda item
    # of ``item_kind``.
    at_meeting: bool = False
    item_kind: str = "request"
    # The form asks for a reason and the reason_given guard checks it.
    needs_reason: bool = False
    # The buttons for a request or an agenda item follow the GOV.UK Design
    # System: one primary (green) button, the expected next step from the
    # source states; the other steps secondary (grey); a warning (red) button
    # only for a step that ends or reverses the request, placed last
    # (in_button_order).
    primary: bool = False
    warning: bool = False
    # The link under the step's form that leaves it undone. Never "Cancel",
    # which would read as cancelling the request.
    leave: str = "Go back without changing this request"
    # What the step does, in plain English for the process guide, after the
    # name of who takes it ("the named sponsor" + "backs the request...").
    explained: str = ""
    extra: dict = field(default_factory=dict, compare=False)


TRANSITIONS = (
    Transition(
        "submit",
        ("draft", "returned"),
        "submitted",
        ("requester",),
        "Send this request to its sponsor",
        guards=("form_complete", "sponsor_named"),
        primary=True,
        leave="Go back without sending this request",
        explained="sends the request to their sponsor. Every part of the form must be filled in first.",
    ),
    Transition(
        "endorse",
        ("submitted",),
        "endorsed",
        ("named_sponsor",),
        "Endorse this request",
        guards=("sponsor_is_not_requester",),
        primary=True,
        leave="Go back without endorsing this request",
        explained="backs the request. A sponsor can never back a request they made.",
    ),
    Transition(
        "return_for_changes",
        ("submitted",),
        "returned",
        ("named_sponsor",),
        "Return this request for changes",
        guards=("sponsor_is_not_requester", "reason_given"),
        needs_reason=True,
        leave="Go back without returning this request",
        explained="sends the request back to the requester to change, and says why.",
    ),
    Transition(
        "return_for_changes",
        ("on_agenda",),
        "returned",
        ("chair",),
        "Return this request for changes",
        guards=(*AT_MEETING, "votes_add_up", "reason_given"),
        at_meeting=True,
        needs_reason=True,
        leave="Go back without returning this request",
        explained="sends the request back to the requester to change, and says why. The board agrees this at its meeting.",
    ),
    Transition(
        "decline",
        ("submitted",),
        "not_sponsored",
        ("named_sponsor",),
        "Decline to sponsor this request",
        guards=("sponsor_is_not_requester", "reason_given"),
        needs_reason=True,
        warning=True,
        leave="Go back without declining this request",
        explained="says no to backing the request, and says why. The request stops here.",
    ),
    Transition(
        "withdraw",
        ("draft", "submitted", "returned", "endorsed", "on_agenda"),
        "withdrawn",
        ("requester", "coordinator"),
        "Withdraw this request",
        guards=("reason_given",),
        needs_reason=True,
        warning=True,
        leave="Keep the request",
        explained="takes the request back, and says why. The request stops here.",
    ),
    Transition(
        "place_on_agenda",
        ("endorsed",),
        "on_agenda",
        ("coordinator", "chair", "system"),
        "Place this request on a board agenda",
        guards=("meeting_accepts_items",),
        primary=True,
        leave="Go back without placing this request on an agenda",
        explained="puts the request on the agenda of the next board meeting whose papers have not closed.",
    ),
    Transition(
        "defer",
        ("on_agenda",),
        "on_agenda",
        ("chair",),
        "Defer this request to the next meeting",
        guards=(*AT_MEETING, "votes_add_up", "next_meeting_exists", "reason_given"),
        at_meeting=True,
        needs_reason=True,
        leave="Go back without deferring this request",
        explained="moves the request to the next meeting, and says why.",
    ),
    Transition(
        "approve",
        ("on_agenda",),
        "approved",
        ("chair",),
        "Approve this request",
        guards=(*DECIDING, "majority_for", "period_valid", "camera_available"),
        at_meeting=True,
        primary=True,
        leave="Go back without approving this request",
        explained="says yes at the meeting. The board picks a free camera and the dates it will be up.",
    ),
    Transition(
        "reject",
        ("on_agenda",),
        "rejected",
        ("chair",),
        "Reject this request",
        guards=(*DECIDING, "reason_given"),
        at_meeting=True,
        needs_reason=True,
        warning=True,
        leave="Go back without rejecting this request",
        explained="says no at the meeting, and gives the reasons. The request stops here.",
    ),
    Transition(
        "approve_urgently",
        ("endorsed", "on_agenda"),
        "approved",
        ("chair",),
        "Approve this request by chair's action",
        guards=(
            "urgent_with_grounds",
            "chair_is_independent",
            "next_meeting_exists",
            "period_valid",
            "camera_available",
            "reason_given",
        ),
        needs_reason=True,
        leave="Go back without approving this request",
        explained="can say yes straight away, between meetings, if the request is urgent. The board must agree this at its next meeting.",
    ),
    Transition(
        "schedule_installation",
        ("approved",),
        "scheduled",
        ("coordinator",),
        "Book the camera's installation",
        guards=("installation_in_period", "camera_available"),
        primary=True,
        leave="Go back without booking the installation",
        explained="books the date the camera will be put up, the installer and the cost.",
    ),
    Transition(
        "record_installation",
        ("scheduled",),
        "live",
        ("coordinator",),
        "Record the camera's installation",
        guards=("site_prepared", "approved_camera_in_service", "installation_ready"),
        primary=True,
        leave="Go back without recording the installation",
        explained="records that the camera is up, with its signs, privacy check and the consents of the landowner and the highway authority.",
    ),
    # The board's own review decision belongs to a meeting; between meetings
    # the coordinator records reviews (README decisions).
    Transition(
        "continue_deployment",
        ("live",),
        "live",
        ("coordinator",),
        "Record a review of the deployment",
        guards=("review_recorded",),
        primary=True,
        leave="Go back without recording a review",
        explained="checks the camera is still needed and sets the next review date.",
    ),
    # The board's review of a live deployment, as an agenda item: continue it
    # with a new review date, or end it, which sets a removal due that the
    # coordinator carries out with end_deployment (DESIGN.md section 4).
    Transition(
        "continue_at_review",
        ("live",),
        "live",
        ("chair",),
        "Continue the deployment",
        guards=(*DECIDING, "review_recorded"),
        at_meeting=True,
        item_kind="review",
        primary=True,
        leave="Go back without continuing the deployment",
        explained="checks at its meeting that the camera is still needed and sets the next review date.",
    ),
    Transition(
        "end_at_review",
        ("live",),
        "live",
        ("chair",),
        "End the deployment",
        guards=(*DECIDING, "reason_given"),
        at_meeting=True,
        item_kind="review",
        needs_reason=True,
        warning=True,
        leave="Go back without ending the deployment",
        explained="decides at its meeting that the camera should come down.",
    ),
    Transition(
        "end_deployment",
        ("live",),
        "ended",
        ("coordinator",),
        "Record the camera's removal",
        guards=("removal_recorded", "recordings_kept"),
        leave="Go back without recording the removal",
        explained="records that the camera and its signs have been taken down.",
    ),
    Transition(
        "cancel",
        ("approved", "scheduled"),
        "cancelled",
        ("coordinator", "chair"),
        "Cancel this request",
        guards=("reason_given",),
        needs_reason=True,
        warning=True,
        leave="Keep the request",
        explained="stops an approved request, and says why.",
    ),
    # The board ratifies a chair's action, or does not: then the request is
    # cancelled, or, if the camera is already up, its removal falls due.
    *(
        Transition(
            "ratify",
            (state,),
            state,
            ("chair",),
            "Ratify the chair's action",
            guards=(*DECIDING, "majority_for"),
            at_meeting=True,
            item_kind="ratification",
            primary=True,
            leave="Go back without ratifying the chair's action",
            explained="agrees the chair's urgent decision at its next meeting.",
        )
        for state in ("approved", "scheduled", "live")
    ),
    # Not ratified: cancelled before the camera is up; once it is up, the
    # request stays live with its removal due.
    *(
        Transition(
            "not_ratify",
            sources,
            dest,
            ("chair",),
            "Do not ratify the chair's action",
            guards=(*DECIDING, "reason_given"),
            at_meeting=True,
            item_kind="ratification",
            needs_reason=True,
            warning=True,
            leave="Go back without deciding on the chair's action",
            explained="does not agree the chair's urgent decision. The request is cancelled, or, if the camera is up, it comes down.",
        )
        for sources, dest in ((("approved", "scheduled"), "cancelled"), (("live",), "live"))
    ),
    Transition(
        "record_evaluation",
        ("ended",),
        "closed",
        ("coordinator",),
        "Record the evaluation",
        guards=("after_period_over", "evaluation_recorded"),
        primary=True,
        leave="Go back without recording the evaluation",
        explained="records how many incidents there were before, during and after the camera was there.",
    ),
)

# Triggers in the order the process runs, each once.
TRIGGERS = tuple(dict.fromkeys(t.trigger for t in TRANSITIONS))


def in_button_order(transitions: Iterable[Transition]) -> list[Transition]:
    """``transitions`` in the order their buttons go: the expected next step
    first, then the other steps in the order the process runs, then those that
    end or reverse the request. Only the first is shown as the primary
    button, and only when it is the expected step (GOV.UK Design System:
    one primary button per page or item, warning buttons for destructive
    actions)."""
    return sorted(transitions, key=lambda t: (t.warning, not t.primary))


def transition_for(trigger: str, state: str) -> Transition | None:
    """The transition ``trigger`` takes from ``state``, if there is one."""
    for t in TRANSITIONS:
        if t.trigger == trigger and state in t.sources:
            return t
    return None
