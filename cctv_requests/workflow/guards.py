"""Guards: small pure functions over a ``Context``.

Each returns ``None`` when the transition may go ahead, or a sentence for the
user saying why not. Guards read only the context (the request, the actor,
the submitted data and the facts the engine loaded): no queries, no writes,
so ``may_<trigger>()`` can run them as often as it likes.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

Guard = Callable[["Context"], str | None]


@dataclass(frozen=True)
class Facts:
    """What the engine read from the database for the guards."""

    # The meeting chosen for place_on_agenda.
    chosen_meeting_status: str | None = None
    chosen_meeting_cutoff: date | None = None
    chosen_meeting_date: date | None = None
    # The meeting of the request's open agenda item.
    item_meeting_status: str | None = None
    # Members present who have not declared an interest in the item: they
    # alone count towards its quorum and may vote on it.
    present_count: int = 0
    quorum: int = 0
    actor_declared_interest: bool = False
    next_meeting_id: int | None = None
    # The camera named in the data.
    camera_in_service: bool | None = None
    camera_clashes: tuple[str, ...] = ()
    # The camera's booking version when its clashes were read.
    camera_booking_version: int | None = None
    # The first day the approved camera can be installed at a new site: when
    # it came down from its last site, or went up at the one it is at now.
    camera_free_from: date | None = None
    # The go-live records (DESIGN.md section 5): the site survey, the
    # consents with their dates, and whether the approved camera is in service.
    survey_done: bool = False
    landowner_consent_on: date | None = None
    highway_consent_on: date | None = None
    approved_camera_in_service: bool = False
    # The first day the evaluation can count every incident "after": the
    # day after the period after removal ends.
    evaluation_from: date | None = None


@dataclass(frozen=True)
class Context:
    move_request: Any
    actor_id: int
    actor_roles: frozenset[str]
    today: date
    # None when the engine only lists the actions a user may take: guards
    # that need submitted data pass then, and are checked when it is sent.
    data: Mapping[str, Any] | None = None
    facts: Facts = field(default_factory=Facts)

    def value(self, key: str):
        # Only guards that need data read it, and the engine runs those only
        # when the form's answers are in hand.
        return self.data.get(key)


# The questions a request must answer before it is submitted, with the
# name used in the refusal.
REQUIRED_ANSWERS = (
    ("title", "a short title"),
    ("problem", "what is happening"),
    ("purposes", "the purpose"),
    ("pressing_need", "the pressing need"),
    ("priority_id", "the CSP priority"),
    ("crime_count", "the number of crimes"),
    ("asb_count", "the number of ASB incidents"),
    ("baseline_start", "the start of the baseline period"),
    ("baseline_end", "the end of the baseline period"),
    ("intelligence_sources", "the intelligence sources"),
    ("intelligence_summary", "the intelligence summary"),
    ("alternatives", "the alternatives tried or considered"),
    ("wanted_start", "the wanted start date"),
    ("duration_weeks", "the duration"),
    ("signage_plan", "the signage plan"),
    ("dpia_reference", "the DPIA or location annex reference"),
    ("estimated_cost", "the estimated cost"),
)


# The questions about the proposed site, asked on the same form.
REQUIRED_SITE_ANSWERS = (
    ("street", "the street name"),
    ("exact_location", "the exact location"),
)


def missing_answers(move_request) -> list[str]:
    site = move_request.site
    missing = [label for name, label in REQUIRED_SITE_ANSWERS if not (getattr(site, name) or "").strip()]
    missing += [label for name, label in REQUIRED_ANSWERS if getattr(move_request, name) in (None, "")]
    if not move_request.overt_confirmed:
        missing.append("confirmation that the camera will be overt with signs")
    if move_request.urgency == "urgent" and not (
        move_request.urgent_ground and move_request.urgent_explanation
    ):
        missing.append("the grounds for urgency")
    return missing


def _has_text(value) -> bool:
    return bool(value and str(value).strip())


def form_complete(ctx: Context) -> str | None:
    missing = missing_answers(ctx.move_request)
    if missing:
        return "Answer every question before submitting. Still needed: " + ", ".join(missing) + "."
    return None


def sponsor_named(ctx: Context) -> str | None:
    if ctx.move_request.sponsor_id is None:
        return "Choose the sponsor you have approached."
    if ctx.move_request.sponsor_id == ctx.move_request.requester_id:
        return "Choose a sponsor other than yourself."
    return None


def sponsor_is_not_requester(ctx: Context) -> str | None:
    if ctx.actor_id == ctx.move_request.requester_id:
        return "You cannot sponsor a request you filed."
    return None


def reason_given(ctx: Context) -> str | None:
    if not _has_text(ctx.value("reason")):
        return "Enter the reason."
    return None


def meeting_accepts_items(ctx: Context) -> str | None:
    """A planned meeting still to come takes items until its papers cut-off;
    after that, and once its agenda is published (frozen), only the chair can
    accept a late item (DESIGN.md section 6)."""
    facts = ctx.facts
    chair = "chair" in ctx.actor_roles
    if facts.chosen_meeting_status not in ("planned", "published"):
        return "Select a meeting that has not started."
    if facts.chosen_meeting_date is not None and facts.chosen_meeting_date < ctx.today:
        return "The date of that meeting has passed. Select a meeting still to come."
    if facts.chosen_meeting_status == "published" and not chair:
        return "The agenda for that meeting is published. Only the chair can accept a late item."
    late = facts.chosen_meeting_cutoff is not None and facts.chosen_meeting_cutoff < ctx.today
    if late and not chair:
        return "The papers cut-off for that meeting has passed. Only the chair can accept a late item."
    return None


def meeting_in_session(ctx: Context) -> str | None:
    if ctx.facts.item_meeting_status != "in_session":
        return "The board can decide this only while its meeting is in session."
    return None


def meeting_quorate(ctx: Context) -> str | None:
    if ctx.facts.present_count < ctx.facts.quorum:
        return f"The meeting is not quorate: {ctx.facts.present_count} present, {ctx.facts.quorum} needed."
    return None


def no_interest_declared(ctx: Context) -> str | None:
    if ctx.facts.actor_declared_interest:
        return "You have declared an interest in this item, so you take no part in its decision."
    return None


def _votes(ctx: Context) -> tuple[int, int, int]:
    return tuple(ctx.value(key) or 0 for key in ("votes_for", "votes_against", "votes_abstain"))


def votes_add_up(ctx: Context) -> str | None:
    """Votes for, against and abstaining add up to no more than the members
    present without an interest in the item (DESIGN.md section 6)."""
    total = sum(_votes(ctx))
    if total > ctx.facts.present_count:
        return (
            f"The votes add up to {total}, but only {ctx.facts.present_count} members present "
            "may vote on this item. Check the votes for, against and abstaining."
        )
    return None


def majority_for(ctx: Context) -> str | None:
    """An approval needs a majority of the votes cast: more for than against
    (abstentions are not votes cast)."""
    votes_for, votes_against, _ = _votes(ctx)
    if votes_for <= votes_against:
        return (
            f"This needs a majority of the votes cast: {votes_for} for and {votes_against} against. "
            "Enter the votes, or record a different decision."
        )
    return None


def next_meeting_exists(ctx: Context) -> str | None:
    if ctx.facts.next_meeting_id is None:
        return "There is no later meeting to take it. Ask the coordinator to plan one."
    return None


def period_valid(ctx: Context) -> str | None:
    start, end = ctx.value("start"), ctx.value("end")
    if not start or not end:
        return "Enter the start and end of the deployment period."
    if end < start:
        return "The end of the deployment period must be the same as or after its start."
    return None


def camera_available(ctx: Context) -> str | None:
    if not ctx.value("camera_id"):
        return "Select a camera."
    if not ctx.facts.camera_in_service:
        return "That camera is not in service."
    if ctx.facts.camera_clashes:
        return (
            "That camera is already booked for an overlapping period by "
            + ", ".join(ctx.facts.camera_clashes)
            + "."
        )
    return None


def urgent_with_grounds(ctx: Context) -> str | None:
    mr = ctx.move_request
    if mr.urgency != "urgent" or not mr.urgent_ground:
        return "Only an urgent request with grounds can be approved by chair's action."
    return None


def chair_is_independent(ctx: Context) -> str | None:
    mr = ctx.move_request
    if ctx.actor_id in (mr.requester_id, mr.sponsor_id):
        return "A chair's action cannot be taken by the request's requester or sponsor."
    return None


def installation_in_period(ctx: Context) -> str | None:
    when = ctx.value("installation_date")
    mr = ctx.move_request
    if not when:
        return "Enter the installation date."
    if (mr.approved_start and when < mr.approved_start) or (mr.approved_end and when > mr.approved_end):
        return "The installation date must be within the approved period."
    return None


def site_prepared(ctx: Context) -> str | None:
    facts = ctx.facts
    missing = [
        name
        for name, done in (
            ("the site survey", facts.survey_done),
            ("the landowner's consent", facts.landowner_consent_on is not None),
            ("the highway authority's consent", facts.highway_consent_on is not None),
        )
        if not done
    ]
    if missing:
        listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        return f"Record {listed} before the camera goes live."
    if not _has_text(ctx.move_request.signage_plan):
        return "The request has no signage plan. The camera cannot go live without one."
    return None


def approved_camera_in_service(ctx: Context) -> str | None:
    if not ctx.facts.approved_camera_in_service:
        return "The approved camera is not in service. It cannot be installed until it is repaired."
    return None


def installation_ready(ctx: Context) -> str | None:
    if not _has_text(ctx.value("dpia_reference")):
        return "Enter the DPIA reference."
    installed_on = ctx.value("installed_on")
    if not installed_on:
        return "Enter the date the camera was installed."
    if installed_on > ctx.today:
        return "The date installed cannot be in the future."
    free_from = ctx.facts.camera_free_from
    if free_from and installed_on < free_from:
        return (
            f"The camera was still at its previous site then. Enter a date on or after {free_from:%-d %B %Y}."
        )
    if not ctx.value("signage_confirmed"):
        return "Confirm that the signs are up."
    for consent, given_on in (
        ("landowner's", ctx.facts.landowner_consent_on),
        ("highway authority's", ctx.facts.highway_consent_on),
    ):
        if given_on and given_on > installed_on:
            return f"The {consent} consent is dated {given_on:%-d %B %Y}, after that date. The camera cannot go up before it."
    review_due = ctx.value("review_due")
    if not review_due or review_due <= ctx.value("installed_on"):
        return "Enter a review date after the installation date."
    return None


def review_recorded(ctx: Context) -> str | None:
    if not _has_text(ctx.value("reason")):
        return "Enter the findings of the review."
    review_due = ctx.value("review_due")
    if not review_due or review_due <= ctx.today:
        return "Enter a next review date in the future."
    return None


def removal_recorded(ctx: Context) -> str | None:
    removed_on = ctx.value("removed_on")
    if not removed_on:
        return "Enter the date the camera was removed."
    if removed_on > ctx.today:
        return "The date removed cannot be in the future."
    installed_on = ctx.move_request.installed_on
    if installed_on and removed_on < installed_on:
        return "The removal date cannot be before the installation date."
    if not ctx.value("signs_removed"):
        return "Confirm that the signs have been removed."
    return None


def recordings_kept(ctx: Context) -> str | None:
    kept_until, removed_on = ctx.value("recordings_kept_until"), ctx.value("removed_on")
    if kept_until and removed_on and kept_until < removed_on:
        return "The recordings must be kept until at least the date the camera was removed."
    return None


def after_period_over(ctx: Context) -> str | None:
    due = ctx.facts.evaluation_from
    if due is not None and ctx.today < due:
        return f"The evaluation counts incidents in the weeks after removal. Record it on or after {due:%-d %B %Y}."
    return None


def evaluation_recorded(ctx: Context) -> str | None:
    for key, label in (
        ("incidents_before", "before"),
        ("incidents_during", "during"),
        ("incidents_after", "after"),
    ):
        if ctx.value(key) is None:
            return f"Enter the number of incidents {label} the deployment."
    return None


# Every guard by name. Those that read the submitted data pass while the
# engine only lists actions (``Context.data`` is None) and are checked when
# the form is sent. A plain table rather than a registering decorator, so
# that mutation testing reaches the guards' bodies.
GUARDS: dict[str, Guard] = {
    "form_complete": form_complete,
    "sponsor_named": sponsor_named,
    "sponsor_is_not_requester": sponsor_is_not_requester,
    "reason_given": reason_given,
    "meeting_accepts_items": meeting_accepts_items,
    "meeting_in_session": meeting_in_session,
    "meeting_quorate": meeting_quorate,
    "no_interest_declared": no_interest_declared,
    "votes_add_up": votes_add_up,
    "majority_for": majority_for,
    "next_meeting_exists": next_meeting_exists,
    "period_valid": period_valid,
    "camera_available": camera_available,
    "urgent_with_grounds": urgent_with_grounds,
    "chair_is_independent": chair_is_independent,
    "installation_in_period": installation_in_period,
    "site_prepared": site_prepared,
    "approved_camera_in_service": approved_camera_in_service,
    "installation_ready": installation_ready,
    "review_recorded": review_recorded,
    "removal_recorded": removal_recorded,
    "recordings_kept": recordings_kept,
    "after_period_over": after_period_over,
    "evaluation_recorded": evaluation_recorded,
}
DATA_GUARDS = frozenset(
    {
        "reason_given",
        "votes_add_up",
        "majority_for",
        "meeting_accepts_items",
        "period_valid",
        "camera_available",
        "installation_in_period",
        "installation_ready",
        "review_recorded",
        "removal_recorded",
        "recordings_kept",
        "evaluation_recorded",
    }
)
