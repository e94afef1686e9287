"""The district's deployment rules (DESIGN.md section 5, the district file's
[deployments] table) as the forms offer them: the review date three months
on, how long recordings are kept, and bad rules refused when the app loads."""

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import MoveRequest
from cctv_requests.services.deployments import DeploymentRules, RulesConfigError, months_later, rules_from
from tests import factories
from tests.readers import page


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 15), 3, date(2027, 4, 15)),
        # A shorter month: its last day.
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2026, 12, 31), 3, date(2027, 3, 31)),
        (date(2026, 10, 1), 12, date(2027, 10, 1)),
    ],
)
def test_months_later_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert months_later(day, months) == expected


def test_the_district_file_gives_the_rules_and_defaults_fill_the_gaps():
    assert rules_from({}) == DeploymentRules(3, 12, 31, ())
    given = rules_from(
        {
            "deployments": {
                "review_interval_months": 2,
                "evaluation_after_weeks": 8,
                "recordings_kept_days": 28,
            },
            "budgets": {"2026": 15000, "2027": "12500.5"},
        }
    )
    assert (given.review_interval_months, given.evaluation_after_weeks, given.recordings_kept_days) == (
        2,
        8,
        28,
    )
    assert str(given.budget_for(2026)) == "15000.00" and str(given.budget_for(2027)) == "12500.50"
    assert given.budget_for(2025) is None


@pytest.mark.parametrize(
    "config",
    [
        {"deployments": {"review_interval_months": 0}},
        {"deployments": {"review_interval_months": True}},
        {"deployments": {"evaluation_after_weeks": "twelve"}},
        {"deployments": {"recordings_kept_days": -1}},
        {"budgets": {"next year": 1000}},
        {"budgets": {"2026": -5}},
        {"budgets": {"2026": "lots"}},
    ],
)
def test_bad_rules_are_refused(config):
    with pytest.raises(RulesConfigError):
        rules_from(config)


def _date_boxes(html, name) -> tuple[str, ...]:
    return tuple(box["value"] for box in html.find_all("input", attrs={"name": name}))


def _boxes(day: date) -> tuple[str, str, str]:
    return (f"{day:%d}", f"{day:%m}", f"{day:%Y}")


def test_the_installation_form_offers_a_review_three_months_after_the_booked_date(app, client, login_as):
    camera = factories.camera()
    mr = factories.move_request(
        status="scheduled",
        approved_camera_id=camera.id,
        approved_start=date(2026, 11, 1),
        approved_end=date(2027, 6, 30),
        installation_date=date(2026, 11, 30),
    )
    login_as("coordinator")
    form = page(client.get(f"/requests/{mr.id}/record-installation"))
    assert _date_boxes(form, "review_due") == ("28", "02", "2027")


def test_the_review_form_offers_the_districts_interval(app, client, login_as):
    mr = factories.move_request(status="live", installed_on=date.today() - timedelta(days=40))
    login_as("coordinator")
    review = page(client.get(f"/requests/{mr.id}/continue-deployment"))
    assert _date_boxes(review, "review_due") == _boxes(months_later(date.today(), 3))


def _remove(client, mr, removed_on: date, kept_until: date | None):
    form = [("version", str(mr.version)), ("signs_removed", "y")]
    form += [
        ("removed_on", f"{removed_on:%d}"),
        ("removed_on", f"{removed_on:%m}"),
        ("removed_on", f"{removed_on:%Y}"),
    ]
    kept = (
        ("", "", "") if kept_until is None else (f"{kept_until:%d}", f"{kept_until:%m}", f"{kept_until:%Y}")
    )
    form += [("recordings_kept_until", box) for box in kept]
    return client.post(f"/requests/{mr.id}/end-deployment", data=MultiDict(form))


def _fresh(request_id: int) -> MoveRequest:
    db.session.expire_all()
    return db.session.get(MoveRequest, request_id)


def test_recordings_are_kept_31_days_after_removal_unless_the_coordinator_says(app, client, login_as):
    today = date.today()
    login_as("coordinator")
    usual = factories.move_request(status="live", installed_on=today - timedelta(days=200))
    # Removal recorded late: the 31 days run from the removal, not from today.
    assert _remove(client, usual, today - timedelta(days=100), None).status_code == 302
    assert _fresh(usual.id).recordings_kept_until == today - timedelta(days=69)
    longer = factories.move_request(status="live", installed_on=today - timedelta(days=200))
    assert _remove(client, longer, today - timedelta(days=100), date(2030, 1, 31)).status_code == 302
    assert _fresh(longer.id).recordings_kept_until == date(2030, 1, 31)
    shorter = factories.move_request(status="live", installed_on=today - timedelta(days=200))
    refused = _remove(client, shorter, today - timedelta(days=100), today - timedelta(days=101))
    assert refused.status_code == 200
    assert "The recordings must be kept until at least the date the camera was removed" in refused.text
    assert _fresh(shorter.id).status == "live"
