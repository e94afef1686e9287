"""Buttons by the GOV.UK Design System rules: one primary (green) button per
page or agenda item, for the expected next step; the other steps secondary
(grey); warning (red) buttons only for steps that end or reverse a request,
after the others. Headings and buttons say what they do, and the link under
an action's form never says "Cancel".

Every expected label, style and order is written here by hand from
DESIGN.md section 4 and the GOV.UK button guidance; none is read from the
workflow definition.
"""

from datetime import date, timedelta

import pytest

from tests import factories
from tests.readers import page

TODAY = date.today()

P, S, W = "primary", "secondary", "warning"


# --- helpers -------------------------------------------------------------------------------------


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def style(button) -> str:
    classes = button.get("class", [])
    assert "govuk-button" in classes, classes
    if "govuk-button--warning" in classes:
        return W
    if "govuk-button--secondary" in classes:
        return S
    return P


def shown_text(element) -> str:
    """What a sighted user reads on a button: without its visually hidden words."""
    for hidden in element.select(".govuk-visually-hidden"):
        hidden.extract()
    return element.get_text(" ", strip=True)


def request_buttons(response) -> list[tuple[str, str]]:
    """(text, style) of each button under "What you can do" on a request page."""
    assert response.status_code == 200
    heading = page(response).find("h2", string="What you can do")
    if heading is None:
        return []
    group = heading.find_next_sibling("div", class_="govuk-button-group")
    return [(shown_text(b), style(b)) for b in group.select("a.govuk-button, button.govuk-button")]


def item_buttons(response, item) -> list[tuple[str, str]]:
    """(text, style) of each decision button on one agenda item of a meeting page."""
    assert response.status_code == 200
    card = page(response).select_one(f"#item-{item.id}")
    assert card is not None, f"item {item.id} is not on the page"
    group = card.select_one(".govuk-button-group")
    if group is None:
        return []
    return [(shown_text(b), style(b)) for b in group.select("a.govuk-button, button.govuk-button")]


def follows_the_rules(buttons: list[tuple[str, str]]) -> bool:
    """At most one primary, first; every warning after every other button."""
    styles = [s for _, s in buttons]
    primaries = [i for i, s in enumerate(styles) if s == P]
    warnings = [i for i, s in enumerate(styles) if s == W]
    others = [i for i, s in enumerate(styles) if s != W]
    return primaries in ([], [0]) and (not warnings or not others or min(warnings) > max(others))


def board_of(members: int):
    chair = factories.user("board", "chair", name="Carol Chair")
    return chair, [factories.user("board") for _ in range(members)]


def in_session(present, quorum: int = 3):
    return factories.meeting(TODAY, status="in_session", attendees=present, quorum=quorum)


URGENT = dict(urgency="urgent", urgent_ground="risk_of_harm", urgent_explanation="Threats made to a resident")


def chairs_action(camera, **fields) -> dict:
    return dict(
        chair_action=True,
        approved_camera_id=camera.id,
        approved_start=days(1),
        approved_end=days(60),
        last_reason="Risk to a named resident this week.",
        **URGENT,
        **fields,
    )


# --- the request page ----------------------------------------------------------------------------


def test_the_named_sponsor_endorses_as_the_one_primary_step_and_declines_in_red_last(app, client, login_as):
    mr = factories.move_request(status="submitted")
    login_as(user=mr.sponsor)
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [
        ("Endorse this request", P),
        ("Return this request for changes", S),
        ("Decline to sponsor this request", W),
    ]


def test_the_requester_of_a_sent_request_has_only_the_red_withdraw(app, client, login_as):
    mr = factories.move_request(status="submitted")
    login_as(user=mr.requester)
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [("Withdraw this request", W)]


def test_the_coordinators_main_job_on_an_endorsed_request_is_green_and_before_withdraw(app, client, login_as):
    # The reported problem: "Place on an agenda" was grey, after a red "Withdraw".
    mr = factories.move_request(status="endorsed")
    login_as("coordinator")
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [
        ("Place this request on a board agenda", P),
        ("Withdraw this request", W),
    ]


def test_the_chair_places_an_urgent_request_on_an_agenda_or_approves_it_by_chairs_action(
    app, client, login_as
):
    factories.meeting(days(40))  # the meeting that would ratify the chair's action
    mr = factories.move_request(status="endorsed", **URGENT)
    login_as("board", "chair")
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [
        ("Place this request on a board agenda", P),
        ("Approve this request by chair's action", S),
    ]


def test_an_approved_request_is_booked_in_green_and_cancelled_in_red(app, client, login_as):
    mr = factories.move_request(status="approved")
    login_as("coordinator")
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [
        ("Book the camera's installation", P),
        ("Cancel this request", W),
    ]


def test_a_booked_installation_is_recorded_in_green(app, client, login_as):
    camera = factories.camera()
    mr = factories.move_request(
        status="scheduled", approved_camera_id=camera.id, approved_start=days(1), approved_end=days(60)
    )
    login_as("coordinator")
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [
        ("Record the camera's installation", P),
        ("Cancel this request", W),
    ]


def test_a_live_deployment_is_reviewed_in_green_and_its_removal_is_not_a_warning(app, client, login_as):
    mr = factories.move_request(status="live", installed_on=days(-100), review_due=days(-2))
    login_as("coordinator")
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [
        ("Record a review of the deployment", P),
        ("Record the camera's removal", S),
    ]


def test_an_ended_deployment_is_evaluated_in_green(app, client, login_as):
    mr = factories.move_request(status="ended", installed_on=days(-200), removed_on=days(-100))
    login_as("coordinator")
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [("Record the evaluation", P)]


def test_at_a_quorate_meeting_the_request_page_offers_approval_first(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    factories.meeting(days(40))  # somewhere to defer to
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    login_as(user=chair)
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [
        ("Approve this request", P),
        ("Return this request for changes", S),
        ("Defer this request to the next meeting", S),
        ("Reject this request", W),
    ]


def test_when_the_expected_step_cannot_be_taken_no_other_step_turns_green(app, client, login_as):
    # Short of a quorum the board cannot approve: returning and deferring stay grey.
    chair, members = board_of(1)
    meeting = in_session((chair, *members))
    factories.meeting(days(40))
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    login_as(user=chair)
    assert request_buttons(client.get(f"/requests/{mr.id}")) == [
        ("Return this request for changes", S),
        ("Defer this request to the next meeting", S),
    ]


def test_the_requesters_withdraw_on_a_draft_is_red_and_last(app, client, login_as):
    mr = factories.move_request(status="draft")
    login_as(user=mr.requester)
    buttons = request_buttons(client.get(f"/requests/{mr.id}"))
    assert buttons[-1] == ("Withdraw this request", W)
    assert follows_the_rules(buttons)


@pytest.mark.parametrize(
    "state, who",
    [
        ("draft", "requester"),
        ("submitted", "sponsor"),
        ("submitted", "requester"),
        ("returned", "requester"),
        ("endorsed", "coordinator"),
        ("endorsed", "chair"),
        ("on_agenda", "coordinator"),
        ("on_agenda", "chair"),
        ("approved", "coordinator"),
        ("approved", "chair"),
        ("scheduled", "coordinator"),
        ("live", "coordinator"),
        ("ended", "coordinator"),
    ],
)
def test_every_request_page_has_at_most_one_primary_first_and_warnings_last(
    app, client, login_as, state, who
):
    factories.meeting(days(40))
    mr = factories.move_request(status=state, **URGENT)
    if who == "requester":
        login_as(user=mr.requester)
    elif who == "sponsor":
        login_as(user=mr.sponsor)
    elif who == "chair":
        login_as("board", "chair")
    else:
        login_as(who)
    buttons = request_buttons(client.get(f"/requests/{mr.id}"))
    assert buttons, f"{who} has nothing to do on a {state} request"
    assert follows_the_rules(buttons), buttons


# --- the meeting page ----------------------------------------------------------------------------


def test_an_agenda_item_is_approved_in_green_and_rejected_in_red_last(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    factories.meeting(days(40))  # somewhere to defer to
    mr = factories.move_request(status="on_agenda")
    item = factories.agenda_item(meeting, mr)
    login_as(user=chair)
    assert item_buttons(client.get(f"/meetings/{meeting.id}"), item) == [
        ("Approve this request", P),
        ("Return this request for changes", S),
        ("Defer this request to the next meeting", S),
        ("Not reached", S),
        ("Reject this request", W),
    ]


def test_return_for_changes_is_never_the_green_button_of_an_agenda_item(app, client, login_as):
    # The reported problem: short of a quorum, "Return for changes" was green.
    chair, members = board_of(1)
    meeting = in_session((chair, *members))
    factories.meeting(days(40))
    mr = factories.move_request(status="on_agenda")
    item = factories.agenda_item(meeting, mr)
    login_as(user=chair)
    assert item_buttons(client.get(f"/meetings/{meeting.id}"), item) == [
        ("Return this request for changes", S),
        ("Defer this request to the next meeting", S),
        ("Not reached", S),
    ]


def test_a_ratification_item_is_ratified_in_green_and_not_ratified_in_red(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    factories.meeting(days(40))
    mr = factories.move_request(status="approved", **chairs_action(factories.camera()))
    item = factories.agenda_item(meeting, mr, kind="ratification")
    login_as(user=chair)
    assert item_buttons(client.get(f"/meetings/{meeting.id}"), item) == [
        ("Ratify the chair's action", P),
        ("Not reached", S),
        ("Do not ratify the chair's action", W),
    ]


def test_a_review_item_continues_the_deployment_in_green_and_ends_it_in_red(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    factories.meeting(days(40))
    mr = factories.move_request(status="live", installed_on=days(-100), review_due=days(-2))
    item = factories.agenda_item(meeting, mr, kind="review")
    login_as(user=chair)
    assert item_buttons(client.get(f"/meetings/{meeting.id}"), item) == [
        ("Continue the deployment", P),
        ("Not reached", S),
        ("End the deployment", W),
    ]


def test_each_item_on_a_meeting_page_has_its_own_single_primary(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    factories.meeting(days(40))
    first = factories.agenda_item(meeting, factories.move_request(status="on_agenda"))
    second = factories.agenda_item(meeting, factories.move_request(status="on_agenda"))
    login_as(user=chair)
    response = client.get(f"/meetings/{meeting.id}")
    for item in (first, second):
        buttons = item_buttons(response, item)
        assert [s for _, s in buttons].count(P) == 1
        assert follows_the_rules(buttons), buttons


# --- headings, buttons and the way out of an action's form ----------------------------------------


def form_page(response):
    assert response.status_code == 200
    shown = page(response)
    main = shown.select_one("main")
    form = main.select_one("form")
    submit = form.select_one("button.govuk-button")
    # The way out sits straight under the form.
    leave = form.find_next_sibling().select("a")
    return shown, submit, leave


def test_the_cancel_page_says_cancel_this_request_and_offers_to_keep_it(app, client, login_as):
    mr = factories.move_request(status="approved", reference="CCTV-2027-0042")
    login_as("coordinator")
    shown, submit, leave = form_page(client.get(f"/requests/{mr.id}/cancel"))
    assert shown.h1.get_text(strip=True) == "Cancel this request"
    assert shown.title.get_text(strip=True).startswith("Cancel this request: CCTV-2027-0042")
    assert (submit.get_text(strip=True), style(submit)) == ("Cancel this request", W)
    assert [(a.get_text(strip=True), a["href"]) for a in leave] == [
        ("Keep the request", f"/requests/{mr.id}")
    ]
    # One way to cancel, in red; nothing else on the page says "Cancel".
    texts = [e.get_text(" ", strip=True) for e in shown.select("main a, main button")]
    assert [t for t in texts if "cancel" in t.lower()] == ["Cancel this request"]


def request_in(state: str, who: str, trigger: str):
    """A request in ``state`` and the user whose step ``trigger`` is, with
    whatever that step needs to be offered."""
    camera = factories.camera()
    fields = {}
    if trigger in ("schedule_installation", "record_installation", "cancel"):
        fields = dict(approved_camera_id=camera.id, approved_start=days(1), approved_end=days(60))
    if state == "live":
        fields = dict(installed_on=days(-100), review_due=days(-2))
    mr = factories.move_request(status=state, **fields)
    users = {"requester": mr.requester, "sponsor": mr.sponsor}
    return mr, users.get(who) or factories.user(who)


# Each step's page: its heading (also its button), the button's style, and
# the link that leaves the form without acting.
FORMS = [
    ("submitted", "sponsor", "endorse", "Endorse this request", P, "Go back without endorsing this request"),
    (
        "submitted",
        "sponsor",
        "return-for-changes",
        "Return this request for changes",
        P,
        "Go back without returning this request",
    ),
    (
        "submitted",
        "sponsor",
        "decline",
        "Decline to sponsor this request",
        W,
        "Go back without declining this request",
    ),
    ("submitted", "requester", "withdraw", "Withdraw this request", W, "Keep the request"),
    ("endorsed", "coordinator", "withdraw", "Withdraw this request", W, "Keep the request"),
    (
        "endorsed",
        "coordinator",
        "place-on-agenda",
        "Place this request on a board agenda",
        P,
        "Go back without placing this request on an agenda",
    ),
    (
        "approved",
        "coordinator",
        "schedule-installation",
        "Book the camera's installation",
        P,
        "Go back without booking the installation",
    ),
    ("approved", "coordinator", "cancel", "Cancel this request", W, "Keep the request"),
    (
        "scheduled",
        "coordinator",
        "record-installation",
        "Record the camera's installation",
        P,
        "Go back without recording the installation",
    ),
    (
        "live",
        "coordinator",
        "continue-deployment",
        "Record a review of the deployment",
        P,
        "Go back without recording a review",
    ),
    (
        "live",
        "coordinator",
        "end-deployment",
        "Record the camera's removal",
        P,
        "Go back without recording the removal",
    ),
]


@pytest.mark.parametrize("state, who, action, heading, button_style, way_out", FORMS)
def test_each_step_is_named_by_what_it_does_and_its_way_out_never_says_cancel(
    app, client, login_as, state, who, action, heading, button_style, way_out
):
    mr, user = request_in(state, who, action.replace("-", "_"))
    login_as(user=user)
    shown, submit, leave = form_page(client.get(f"/requests/{mr.id}/{action}"))
    assert shown.h1.get_text(strip=True) == heading
    # A form page has one button: green, or red for a step that ends the request.
    assert (submit.get_text(strip=True), style(submit)) == (heading, button_style)
    assert [(a.get_text(strip=True), a["href"]) for a in leave] == [(way_out, f"/requests/{mr.id}")]


def test_a_decision_at_a_meeting_goes_back_to_the_meeting_without_deciding(app, client, login_as):
    chair, members = board_of(2)
    meeting = in_session((chair, *members))
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    login_as(user=chair)
    shown, submit, leave = form_page(client.get(f"/requests/{mr.id}/reject?meeting={meeting.id}"))
    assert shown.h1.get_text(strip=True) == "Reject this request"
    assert (submit.get_text(strip=True), style(submit)) == ("Reject this request", W)
    assert [(a.get_text(strip=True), a["href"]) for a in leave] == [
        ("Go back without rejecting this request", f"/meetings/{meeting.id}")
    ]
