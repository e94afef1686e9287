"""The request lifecycle written out by hand from DESIGN.md section 4 and the
decisions in the README, as the expected answers for the workflow tests.

Nothing here is imported from ``cctv_requests.workflow``: if the definition
gains a wrong destination, loses a guard or lets in an extra actor, the
engine and this table disagree and the table test fails (QUALITY.md TEST-1).

Actors are the kinds of user a request can meet, by their relation to it:

- ``requester``: the officer who filed it;
- ``named_sponsor``: the sponsor the requester named;
- ``other_sponsor``, ``other_officer``: holders of those roles with no tie to it;
- ``coordinator``, ``chair`` (a board member who chairs), ``board`` (a member
  who does not), ``councillor``, ``admin`` and ``no_role``.

Guards are named in the design's words. The table test breaks each one on its
own and expects a refusal, so a guard the engine forgets is found.

A board decision is taken "at a meeting": it is recorded against the
request's open agenda item of one kind (``item_kind``), needs that item's
meeting in session and the chair free of any interest in that item, and its
votes must add up to no more than the members present who may vote on it.
"""

from dataclasses import dataclass

STATES = (
    "draft",
    "submitted",
    "returned",
    "endorsed",
    "on_agenda",
    "approved",
    "scheduled",
    "live",
    "ended",
    "closed",
    "not_sponsored",
    "rejected",
    "withdrawn",
    "cancelled",
)
# How each state is named to users, in running text.
STATE_LABELS = {
    "draft": "draft",
    "submitted": "waiting for sponsor",
    "returned": "returned for changes",
    "endorsed": "endorsed",
    "on_agenda": "on board agenda",
    "approved": "approved",
    "scheduled": "installation booked",
    "live": "camera installed",
    "ended": "camera removed",
    "closed": "closed",
    "not_sponsored": "not sponsored",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
    "cancelled": "cancelled",
}
FINAL_STATES = ("closed", "not_sponsored", "rejected", "withdrawn", "cancelled")

TRIGGERS = (
    "submit",
    "endorse",
    "return_for_changes",
    "decline",
    "withdraw",
    "place_on_agenda",
    "defer",
    "approve",
    "reject",
    "approve_urgently",
    "schedule_installation",
    "record_installation",
    "continue_deployment",
    "end_deployment",
    "cancel",
    "ratify",
    "not_ratify",
    "continue_at_review",
    "end_at_review",
    "record_evaluation",
)

# The statuses a board meeting passes through.
MEETING_STATUSES = ("planned", "published", "in_session", "closed", "minutes_approved", "cancelled")
# The kinds of agenda item a request can have.
ITEM_KINDS = ("request", "ratification", "review")

ACTORS = (
    "requester",
    "named_sponsor",
    "other_sponsor",
    "other_officer",
    "coordinator",
    "chair",
    "board",
    "councillor",
    "admin",
    "no_role",
)


@dataclass(frozen=True)
class Rule:
    """``trigger`` takes a request in any of ``sources`` to ``dest`` when one
    of ``actors`` fires it and every guard holds."""

    trigger: str
    sources: tuple[str, ...]
    dest: str
    actors: tuple[str, ...]
    guards: tuple[str, ...]
    # For a decision at a meeting: the kind of the request's open agenda item
    # it is recorded against. None for anything decided outside a meeting.
    item_kind: str | None = None


# Every decision at a meeting: its meeting in session, the chair without an
# interest in its item.
AT_MEETING = ("meeting_in_session", "no_interest_declared")
# A decision the board votes on, which needs a quorum of members present
# without an interest in the item, and votes that add up.
VOTED = (*AT_MEETING, "meeting_quorate", "votes_add_up")

# DESIGN.md section 4, "Transitions", one row per row of the design's table
# (split where the actors have different guards or destinations).
RULES = (
    Rule("submit", ("draft", "returned"), "submitted", ("requester",), ("form_complete", "sponsor_named")),
    Rule("endorse", ("submitted",), "endorsed", ("named_sponsor",), ("sponsor_is_not_requester",)),
    Rule(
        "return_for_changes",
        ("submitted",),
        "returned",
        ("named_sponsor",),
        ("sponsor_is_not_requester", "reason_given"),
    ),
    # The chair returns an item at a meeting: a board decision, so the
    # meeting is in session, the chair has no interest in the item and the
    # votes add up; no quorum is needed to send it back.
    Rule(
        "return_for_changes",
        ("on_agenda",),
        "returned",
        ("chair",),
        (*AT_MEETING, "votes_add_up", "reason_given"),
        item_kind="request",
    ),
    Rule(
        "decline",
        ("submitted",),
        "not_sponsored",
        ("named_sponsor",),
        ("sponsor_is_not_requester", "reason_given"),
    ),
    Rule(
        "withdraw",
        ("draft", "submitted", "returned", "endorsed", "on_agenda"),
        "withdrawn",
        ("requester", "coordinator"),
        ("reason_given",),
    ),
    # README: placing an item is the coordinator's action, and the chair's
    # for a late item. The meeting chosen must be planned or published and
    # still to come; a published agenda is frozen and only the coordinator is
    # held to the papers cut-off. (The service places items too, but it is
    # not a kind of user.)
    Rule(
        "place_on_agenda",
        ("endorsed",),
        "on_agenda",
        ("coordinator",),
        (
            "meeting_not_started",
            "meeting_date_not_passed",
            "agenda_not_published",
            "papers_cutoff_not_passed",
        ),
    ),
    Rule(
        "place_on_agenda",
        ("endorsed",),
        "on_agenda",
        ("chair",),
        ("meeting_not_started", "meeting_date_not_passed"),
    ),
    Rule(
        "defer",
        ("on_agenda",),
        "on_agenda",
        ("chair",),
        (*AT_MEETING, "votes_add_up", "next_meeting_exists", "reason_given"),
        item_kind="request",
    ),
    Rule(
        "approve",
        ("on_agenda",),
        "approved",
        ("chair",),
        (*VOTED, "majority_for", "period_valid", "camera_available"),
        item_kind="request",
    ),
    Rule(
        "reject",
        ("on_agenda",),
        "rejected",
        ("chair",),
        (*VOTED, "reason_given"),
        item_kind="request",
    ),
    # A chair's action needs a later meeting to ratify it (README).
    Rule(
        "approve_urgently",
        ("endorsed", "on_agenda"),
        "approved",
        ("chair",),
        (
            "urgent_with_grounds",
            "chair_is_independent",
            "next_meeting_exists",
            "period_valid",
            "camera_available",
            "reason_given",
        ),
    ),
    Rule(
        "schedule_installation",
        ("approved",),
        "scheduled",
        ("coordinator",),
        ("installation_in_period", "camera_available"),
    ),
    # Issue 7: the survey and both consents recorded, the approved camera in
    # service, then the installation's own answers.
    Rule(
        "record_installation",
        ("scheduled",),
        "live",
        ("coordinator",),
        ("site_prepared", "approved_camera_in_service", "installation_ready"),
    ),
    # README: a review between meetings is the coordinator's to record; the
    # board's review decision is taken at a meeting, as an agenda item.
    Rule("continue_deployment", ("live",), "live", ("coordinator",), ("review_recorded",)),
    # Recordings are kept at least until the removal (issue 7).
    Rule("end_deployment", ("live",), "ended", ("coordinator",), ("removal_recorded", "recordings_kept")),
    Rule("cancel", ("approved", "scheduled"), "cancelled", ("coordinator", "chair"), ("reason_given",)),
    # The board ratifies a chair's action at a later meeting, whatever has
    # happened to the request since; the request stays where it is.
    *(
        Rule("ratify", (state,), state, ("chair",), (*VOTED, "majority_for"), item_kind="ratification")
        for state in ("approved", "scheduled", "live")
    ),
    # Not ratified before the camera is up: the request is cancelled. After:
    # the request stays live and the camera's removal falls due today.
    Rule(
        "not_ratify",
        ("approved", "scheduled"),
        "cancelled",
        ("chair",),
        (*VOTED, "reason_given"),
        item_kind="ratification",
    ),
    Rule("not_ratify", ("live",), "live", ("chair",), (*VOTED, "reason_given"), item_kind="ratification"),
    # The board's review of a live deployment: continue it to a new review
    # date, or order the camera's removal.
    Rule(
        "continue_at_review",
        ("live",),
        "live",
        ("chair",),
        (*VOTED, "review_recorded"),
        item_kind="review",
    ),
    Rule("end_at_review", ("live",), "live", ("chair",), (*VOTED, "reason_given"), item_kind="review"),
    # The "after" count needs the configured weeks after removal to be over.
    Rule(
        "record_evaluation",
        ("ended",),
        "closed",
        ("coordinator",),
        ("after_period_over", "evaluation_recorded"),
    ),
)


@dataclass(frozen=True)
class Outcome:
    dest: str
    guards: tuple[str, ...]
    item_kind: str | None = None


def _expand() -> dict[tuple[str, str, str], Outcome]:
    table: dict[tuple[str, str, str], Outcome] = {}
    for rule in RULES:
        for state in rule.sources:
            for actor in rule.actors:
                key = (state, rule.trigger, actor)
                assert key not in table, f"the oracle lists {key} twice"
                table[key] = Outcome(rule.dest, rule.guards, rule.item_kind)
    return table


# (state, trigger, actor) -> Outcome. A combination not listed is refused.
EXPECTED = _expand()


def expected(state: str, trigger: str, actor: str) -> Outcome | None:
    return EXPECTED.get((state, trigger, actor))
