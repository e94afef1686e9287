"""SEC-1 and SEC-2: every route declares who may use it, and every viewer
gets exactly the expected answer from every route."""

import dataclasses
from datetime import date

import pytest
from flask import Flask

from cctv_requests import _check_policies
from cctv_requests.access import POLICY_ATTR
from cctv_requests.services.costs import year_start_of
from tests import scene as scenes
from tests.scene import VIEWERS

LOGIN = "login"  # a redirect to the sign-in page
OK, REDIRECT, FORBIDDEN = 200, 302, 403
SIGNED_IN = tuple(v for v in VIEWERS if v != "anonymous")


def answers(allowed, ok=OK, *, anonymous=LOGIN, others=FORBIDDEN):
    """Expected answer per viewer: ``ok`` for the allowed ones."""
    table = {v: (ok if v in allowed else others) for v in SIGNED_IN}
    table["anonymous"] = anonymous
    return table


PUBLIC = {v: OK for v in VIEWERS}
READERS = ("officer", "sponsor", "board", "chair", "coordinator")
BOARD = ("board", "chair", "coordinator")
# What councillors read (the ``published`` policy): every signed-in user,
# whatever their roles; anonymous visitors only where the district publishes
# it to the public, which the default district does not (see the test below).
PUBLISHED = answers(SIGNED_IN)
# The annual report of the current financial year (April to March), which
# always has a report. Written into the address, not a placeholder: other
# tests format these addresses with the scene's ids alone.
YEAR = year_start_of(date.today())

# (endpoint, method, url with {placeholders} from the scene, form data, expected per viewer)
MATRIX = [
    ("main.dashboard", "GET", "/", None, answers(SIGNED_IN)),
    ("main.healthz", "GET", "/healthz", None, PUBLIC),
    ("main.accessibility", "GET", "/accessibility", None, PUBLIC),
    ("static", "GET", "/static/app.css", None, PUBLIC),
    ("auth.sign_in", "GET", "/sign-in", None, answers((), others=REDIRECT, anonymous=OK)),
    ("auth.sign_in", "POST", "/sign-in", {}, answers((), others=REDIRECT, anonymous=OK)),
    ("auth.sign_out", "POST", "/sign-out", {}, answers(SIGNED_IN, REDIRECT)),
    ("move_requests.index", "GET", "/requests", None, answers(READERS)),
    ("move_requests.new", "GET", "/requests/new", None, answers(("officer",))),
    # An empty first page comes back with its errors for an officer.
    ("move_requests.new", "POST", "/requests/new", {}, answers(("officer",))),
    ("move_requests.show", "GET", "/requests/{submitted}", None, answers(READERS)),
    # The task list and its sections: only the requester, an officer (SEC-3
    # checks that another officer is refused).
    ("move_requests.tasks", "GET", "/requests/{draft}/tasks", None, answers(("officer",))),
    ("move_requests.section", "GET", "/requests/{draft}/tasks/site", None, answers(("officer",))),
    # An empty section comes back with its errors for the requester.
    ("move_requests.section", "POST", "/requests/{draft}/tasks/site", {}, answers(("officer",))),
    ("move_requests.check_answers", "GET", "/requests/{draft}/check-answers", None, answers(("officer",))),
    ("move_requests.act", "GET", "/requests/{submitted}/endorse", None, answers(("sponsor",))),
    # An empty withdrawal comes back with "Enter the reason" for those who may withdraw.
    ("move_requests.act", "POST", "/requests/{submitted}/withdraw", {}, answers(("officer", "coordinator"))),
    ("move_requests.change_sponsor", "GET", "/requests/{submitted}/sponsor", None, answers(("coordinator",))),
    ("move_requests.change_sponsor", "POST", "/requests/{submitted}/sponsor", {}, answers(("coordinator",))),
    ("meetings.index", "GET", "/meetings", None, answers(BOARD)),
    ("meetings.index", "POST", "/meetings", {}, answers(("coordinator",))),
    ("meetings.show", "GET", "/meetings/{meeting}", None, answers(BOARD)),
    ("meetings.open_", "POST", "/meetings/{meeting}/open", {}, answers(("chair", "coordinator"), REDIRECT)),
    (
        "meetings.attendance",
        "POST",
        "/meetings/{meeting}/attendance",
        {},
        answers(("chair", "coordinator"), REDIRECT),
    ),
    ("meetings.close", "POST", "/meetings/{meeting}/close", {}, answers(("chair", "coordinator"), REDIRECT)),
    (
        "meetings.interest",
        "GET",
        "/meetings/{meeting}/items/{item}/interest",
        None,
        answers(("board", "chair")),
    ),
    (
        "meetings.interest",
        "POST",
        "/meetings/{meeting}/items/{item}/interest",
        {},
        answers(("board", "chair")),
    ),
    ("meetings.plan_year", "POST", "/meetings/plan-year", {}, answers(("coordinator",), REDIRECT)),
    ("meetings.publish", "POST", "/meetings/{meeting}/publish", {}, answers(("coordinator",), REDIRECT)),
    (
        "meetings.approve_minutes",
        "POST",
        "/meetings/{held}/approve-minutes",
        {},
        answers(("chair",), REDIRECT),
    ),
    ("meetings.move", "GET", "/meetings/{meeting}/move", None, answers(("coordinator",))),
    ("meetings.move", "POST", "/meetings/{meeting}/move", {}, answers(("coordinator",))),
    ("meetings.cancel", "GET", "/meetings/{meeting}/cancel", None, answers(("coordinator",))),
    ("meetings.cancel", "POST", "/meetings/{meeting}/cancel", {}, answers(("coordinator",))),
    (
        "meetings.not_reached",
        "POST",
        "/meetings/{meeting}/items/{item}/not-reached",
        {},
        answers(("chair", "coordinator"), REDIRECT),
    ),
    (
        "meetings.reorder",
        "POST",
        "/meetings/{meeting}/items/{item}/up",
        {},
        answers(("coordinator",), REDIRECT),
    ),
    ("meetings.move_item", "GET", "/meetings/{meeting}/items/{item}/move", None, answers(("coordinator",))),
    ("meetings.move_item", "POST", "/meetings/{meeting}/items/{item}/move", {}, answers(("coordinator",))),
    ("papers.paper", "GET", "/meetings/{meeting}/agenda-pack", None, answers(BOARD)),
    ("papers.paper_pdf", "GET", "/meetings/{held}/minutes.pdf", None, answers(BOARD)),
    ("papers.summaries", "GET", "/meetings/summaries", None, answers(SIGNED_IN)),
    ("papers.summary", "GET", "/meetings/{held}/summary", None, answers(SIGNED_IN)),
    ("papers.calendar_page", "GET", "/meetings/calendar", None, answers(BOARD)),
    ("papers.calendar_page", "POST", "/meetings/calendar", {}, answers(BOARD, REDIRECT)),
    # The secret in the address stands in for signing in.
    ("papers.calendar_feed", "GET", "/meetings/calendar.ics?key={feed_key}", None, PUBLIC),
    ("cameras.index", "GET", "/cameras", None, answers(SIGNED_IN)),
    ("cameras.show", "GET", "/cameras/{camera}", None, answers(SIGNED_IN)),
    ("cameras.availability_page", "GET", "/cameras/availability", None, answers(READERS)),
    ("cameras.costs_page", "GET", "/cameras/costs", None, answers(BOARD)),
    ("cameras.new", "GET", "/cameras/new", None, answers(("coordinator",))),
    # An empty form comes back with its errors for the coordinator.
    ("cameras.new", "POST", "/cameras/new", {}, answers(("coordinator",))),
    ("cameras.edit", "GET", "/cameras/{camera}/edit", None, answers(("coordinator",))),
    # An empty post leaves every detail as it was: nothing to change.
    ("cameras.edit", "POST", "/cameras/{camera}/edit", {}, answers(("coordinator",), REDIRECT)),
    ("cameras.status", "GET", "/cameras/{camera}/status", None, answers(("coordinator",))),
    ("cameras.status", "POST", "/cameras/{camera}/status", {}, answers(("coordinator",))),
    ("cameras.note", "GET", "/cameras/{camera}/note", None, answers(("coordinator",))),
    ("cameras.note", "POST", "/cameras/{camera}/note", {}, answers(("coordinator",))),
    (
        "cameras.correct",
        "GET",
        "/cameras/deployments/{deployment}/correct/installed_on",
        None,
        answers(("coordinator",)),
    ),
    (
        "cameras.correct",
        "POST",
        "/cameras/deployments/{deployment}/correct/installed_on",
        {},
        answers(("coordinator",)),
    ),
    ("camera_map.index", "GET", "/cameras/map", None, answers(BOARD)),
    ("sites.index", "GET", "/sites", None, answers(READERS)),
    # The officer and sponsor see a site's page only where they have a request.
    ("sites.show", "GET", "/sites/{site}", None, answers(BOARD)),
    ("sites.correct", "GET", "/sites/{site}/correct", None, answers(("coordinator",))),
    ("sites.correct", "POST", "/sites/{site}/correct", {}, answers(("coordinator",))),
    ("move_requests.survey", "GET", "/requests/{approved}/survey", None, answers(("coordinator",))),
    # Every survey answer is optional, so an empty post is saved, or refused
    # as out of date: either way back to the request.
    ("move_requests.survey", "POST", "/requests/{approved}/survey", {}, answers(("coordinator",), REDIRECT)),
    ("admin.users", "GET", "/admin/users", None, answers(("admin",))),
    ("guide.guide_page", "GET", "/guide", None, PUBLISHED),
    ("guide.guide_pdf", "GET", "/guide.pdf", None, PUBLISHED),
    ("guide.responsibilities", "GET", "/responsibilities", None, PUBLISHED),
    ("reports.index", "GET", "/reports", None, PUBLISHED),
    # The board, the chair and the coordinator get the full version, everyone
    # else the published one: either way a page (test_restricted_data checks which).
    ("reports.report", "GET", f"/reports/{YEAR}", None, PUBLISHED),
    ("reports.report_pdf", "GET", f"/reports/{YEAR}.pdf", None, PUBLISHED),
    ("reports.report_csv", "GET", f"/reports/{YEAR}.csv", None, PUBLISHED),
]

# The routes open to the public when the district publishes (oracle: the
# brief for the guide and the annual report, not the code).
PUBLISHED_ENDPOINTS = {
    "guide.guide_page",
    "guide.guide_pdf",
    "guide.responsibilities",
    "reports.index",
    "reports.report",
    "reports.report_pdf",
    "reports.report_csv",
}


def test_every_route_declares_an_access_policy(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not hasattr(app.view_functions[rule.endpoint], POLICY_ATTR)
    ]
    assert missing == []


def test_an_app_with_a_route_lacking_a_policy_refuses_to_start():
    app = Flask(__name__)
    app.add_url_rule("/forgotten", "forgotten", lambda: "no policy")
    with pytest.raises(RuntimeError, match="forgotten"):
        _check_policies(app)


def test_the_matrix_covers_every_route_and_method(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == {(endpoint, method) for endpoint, method, *_ in MATRIX}


def _answer(response, viewer: str):
    answer = response.status_code
    response.close()
    if answer == 302 and "/sign-in" in response.headers["Location"] and viewer == "anonymous":
        return LOGIN
    return answer


@pytest.mark.parametrize("endpoint,method,url,form,expected", MATRIX, ids=[f"{m} {e}" for e, m, *_ in MATRIX])
def test_each_viewer_gets_the_expected_answer(app, client, login_as, endpoint, method, url, form, expected):
    world = scenes.build()
    path = url.format(**world.ids)
    got = {}
    for viewer in VIEWERS:
        with client.session_transaction() as session:
            session.clear()
        if viewer != "anonymous":
            login_as(user=world.users[viewer])
        got[viewer] = _answer(client.open(path, method=method, data=form), viewer)
    assert got == expected


def test_the_published_routes_are_those_declared_published(app):
    declared = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], POLICY_ATTR).get("published")
    }
    assert declared == PUBLISHED_ENDPOINTS


def test_a_district_that_publishes_opens_only_the_published_routes_to_anonymous_visitors(app, client):
    world = scenes.build()
    app.config["PUBLICATION"] = dataclasses.replace(app.config["PUBLICATION"], public=True)
    published = {}
    for endpoint, method, url, _form, _expected in MATRIX:
        if endpoint in PUBLISHED_ENDPOINTS:
            path = url.format(**world.ids)
            published[(method, path)] = _answer(client.open(path, method=method), "anonymous")
    assert published == {
        ("GET", path): OK
        for path in (
            "/guide",
            "/guide.pdf",
            "/responsibilities",
            "/reports",
            f"/reports/{YEAR}",
            f"/reports/{YEAR}.pdf",
            f"/reports/{YEAR}.csv",
        )
    }
    # Everything else that asks anonymous visitors to sign in still does,
    # the home page and the cameras among them.
    others = {}
    for endpoint, method, url, form, expected in MATRIX:
        if endpoint not in PUBLISHED_ENDPOINTS and expected["anonymous"] == LOGIN:
            path = url.format(**world.ids)
            others[(method, path)] = _answer(client.open(path, method=method, data=form), "anonymous")
    assert {("GET", "/"), ("GET", "/cameras")} <= set(others)
    assert others == dict.fromkeys(others, LOGIN)
