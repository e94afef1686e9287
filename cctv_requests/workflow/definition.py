"""The move request lifecycle as data (DESIGN.md section 4).

This is the only description of the machine: the engine builds the
``transitions`` machine from it, and the views ask the engine which triggers
a user may fire.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class State:
    name: str
    label: str
    # GOV.UK tag colour modifier (govuk-tag--<colour>).
    colour: str
    meaning: str
    final: bool = False


STATE_LIST = (
    State("draft", "Draft", "grey", "being written by the requester"),
    State("submitted", "Waiting for sponsor", "blue", "waiting for a sponsor to back it"),
    State("returned", "Returned for changes", "orange", "sent back to the requester for changes"),
    State("endorsed", "Endorsed", "turquoise", "backed by a sponsor, waiting for a board agenda"),
    State("on_agenda", "On board agenda", "purple", "on the agenda of a board meeting"),
    State("approved", "Approved", "green", "approved by the board; camera and period set"),
    State("scheduled", "Installation booked", "light-blue", "installation booked"),
    State("live", "Camera installed", "green", "camera installed at the site"),
    State("ended", "Camera removed", "yellow", "camera removed; evaluation due"),
    State("closed", "Closed", "grey", "evaluation recorded", final=True),
    State("not_sponsored", "Not sponsored", "red", "declined by the sponsor", final=True),
    State("rejected", "Rejected", "red", "rejected by the board", final=True),
    State("withdrawn", "Withdrawn", "grey", "withdrawn", final=True),
    State("cancelled", "Cancelled", "red", "cancelled after approval", final=True),
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
    # Shown as a warning button: it ends or reverses the request.
    warning: bool = False
    extra: dict = field(default_factory=dict, compare=False)


TRANSITIONS = (
    Transition(
        "submit",
        ("draft", "returned"),
        "submitted",
        ("requester",),
        "Submit request",
        guards=("form_complete", "sponsor_named"),
    ),
    Transition(
        "endorse",
        ("submitted",),
        "endorsed",
        ("named_sponsor",),
        "Endorse",
        guards=("sponsor_is_not_requester",),
    ),
    Transition(
        "return_for_changes",
        ("submitted",),
        "returned",
        ("named_sponsor",),
        "Return for changes",
        guards=("sponsor_is_not_requester", "reason_given"),
        needs_reason=True,
    ),
    Transition(
        "return_for_changes",
        ("on_agenda",),
        "returned",
        ("chair",),
        "Return for changes",
        guards=(*AT_MEETING, "votes_add_up", "reason_given"),
        at_meeting=True,
        needs_reason=True,
    ),
    Transition(
        "decline",
        ("submitted",),
        "not_sponsored",
        ("named_sponsor",),
        "Decline",
        guards=("sponsor_is_not_requester", "reason_given"),
        needs_reason=True,
        warning=True,
    ),
    Transition(
        "withdraw",
        ("draft", "submitted", "returned", "endorsed", "on_agenda"),
        "withdrawn",
        ("requester", "coordinator"),
        "Withdraw",
        guards=("reason_given",),
        needs_reason=True,
        warning=True,
    ),
    Transition(
        "place_on_agenda",
        ("endorsed",),
        "on_agenda",
        ("coordinator", "chair", "system"),
        "Place on an agenda",
        guards=("meeting_accepts_items",),
    ),
    Transition(
        "defer",
        ("on_agenda",),
        "on_agenda",
        ("chair",),
        "Defer to next meeting",
        guards=(*AT_MEETING, "votes_add_up", "next_meeting_exists", "reason_given"),
        at_meeting=True,
        needs_reason=True,
    ),
    Transition(
        "approve",
        ("on_agenda",),
        "approved",
        ("chair",),
        "Approve",
        guards=(*DECIDING, "majority_for", "period_valid", "camera_available"),
        at_meeting=True,
    ),
    Transition(
        "reject",
        ("on_agenda",),
        "rejected",
        ("chair",),
        "Reject",
        guards=(*DECIDING, "reason_given"),
        at_meeting=True,
        needs_reason=True,
        warning=True,
    ),
    Transition(
        "approve_urgently",
        ("endorsed", "on_agenda"),
        "approved",
        ("chair",),
        "Approve by chair's action",
        guards=(
            "urgent_with_grounds",
            "chair_is_independent",
            "next_meeting_exists",
            "period_valid",
            "camera_available",
            "reason_given",
        ),
        needs_reason=True,
    ),
    Transition(
        "schedule_installation",
        ("approved",),
        "scheduled",
        ("coordinator",),
        "Book installation",
        guards=("installation_in_period", "camera_available"),
    ),
    Transition(
        "record_installation",
        ("scheduled",),
        "live",
        ("coordinator",),
        "Record installation",
        guards=("site_prepared", "approved_camera_in_service", "installation_ready"),
    ),
    # The board's own review decision belongs to a meeting; between meetings
    # the coordinator records reviews (README decisions).
    Transition(
        "continue_deployment",
        ("live",),
        "live",
        ("coordinator",),
        "Record a review",
        guards=("review_recorded",),
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
    ),
    Transition(
        "end_deployment",
        ("live",),
        "ended",
        ("coordinator",),
        "Record removal",
        guards=("removal_recorded", "recordings_kept"),
    ),
    Transition(
        "cancel",
        ("approved", "scheduled"),
        "cancelled",
        ("coordinator", "chair"),
        "Cancel",
        guards=("reason_given",),
        needs_reason=True,
        warning=True,
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
            "Do not ratify",
            guards=(*DECIDING, "reason_given"),
            at_meeting=True,
            item_kind="ratification",
            needs_reason=True,
            warning=True,
        )
        for sources, dest in ((("approved", "scheduled"), "cancelled"), (("live",), "live"))
    ),
    Transition(
        "record_evaluation",
        ("ended",),
        "closed",
        ("coordinator",),
        "Record evaluation",
        guards=("after_period_over", "evaluation_recorded"),
    ),
)

# Triggers in the order the process runs, each once.
TRIGGERS = tuple(dict.fromkeys(t.trigger for t in TRANSITIONS))


def transition_for(trigger: str, state: str) -> Transition | None:
    """The transition ``trigger`` takes from ``state``, if there is one."""
    for t in TRANSITIONS:
        if t.trigger == trigger and state in t.sources:
            return t
    return None
