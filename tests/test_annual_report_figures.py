"""The figures of the annual report (services.annual_report), on a worked
example whose every figure is added up by hand below (TEST-1).

The financial year 2027 to 2028 runs from 1 April 2027 to 31 March 2028:
366 days, as February 2028 has 29. A step's day is its day in London: at
00:30 on 1 April (British Summer Time) it is still 31 March in UTC, so the
example puts steps there to tell the two apart.

The requests (steps in London time, noon unless a time is given):

  ref             priority (year)  ward             sources            steps
  CCTV-2026-0003  Violence (2026)  Durrants         police             submit 31 Mar 2027 23:30; endorse 2 Apr;
                                                                       approve_urgently 8 Apr 2027
  CCTV-2026-0009  Violence (2026)  Durrants         police             submit 1 Apr 2026 00:30; then live with
                                                                       its reviews (see the reviews test)
  CCTV-2026-0013  Violence (2026)  Durrants         police             submit 1 Mar 2027; returned 20 Mar;
                                                                       submit again 5 Apr 2027
  CCTV-2027-0001  Violence         Durrants         police, community  submit 10 Apr 2027; endorse 20 Apr;
                                                                       approve 22 May 2027
  CCTV-2027-0002  Anti-social b.   Carpenders Park  community          submit 1 Apr 2027 00:30; returned 5 Apr;
                                                                       submit again 12 Apr; endorse 15 Apr;
                                                                       reject 30 Jun 2027
  CCTV-2027-0004  none             Durrants         none               submit 2 May 2027; decline 9 May
  CCTV-2027-0005  Violence         Carpenders Park  other              submit 3 Jun 2027; withdraw 10 Jun
  CCTV-2027-0006  Violence         Carpenders Park  other              a draft withdrawn 4 Jun 2027, never sent
  CCTV-2027-0007  Anti-social b.   Durrants         ASB group          submit 1 Jul 2027; endorse 5 Jul;
                                                                       approve 1 Sep; cancel 1 Oct 2027
  CCTV-2027-0008  Anti-social b.   Carpenders Park  police             submit 2 Aug 2027; endorse 3 Aug;
                                                                       approve_urgently 4 Aug; not ratified
                                                                       (cancelled) 20 Sep 2027
  CCTV-2027-0010  Violence         Durrants         community          submit 31 Mar 2028 23:30;
                                                                       reject 15 Apr 2028
  CCTV-2028-0001  Violence (2028)  Durrants         police             submit 1 Apr 2028 00:30;
                                                                       approve 13 Apr 2028

Priorities of 2027, in the order they were set: Violence, Anti-social
behaviour, Drugs (never named). Wards: Leavesden, Durrants, Carpenders Park
(Leavesden has no request).
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import MoveRequest, Ward
from cctv_requests.services import annual_report
from cctv_requests.services.annual_report import CameraUse, Evaluation, Row
from cctv_requests.services.deployments import DeploymentRules
from tests import factories
from tests.conftest import config_for

LONDON = ZoneInfo("Europe/London")
# The day the finished year 2027 to 2028 is reported on.
AFTER_THE_YEAR = date(2028, 6, 1)


@pytest.fixture
def app_config(database_url):
    # The district's rules written here, so the evaluation's "after" period
    # (12 weeks) and the budget do not depend on the district file.
    rules = DeploymentRules(evaluation_after_weeks=12, budgets=((2027, Decimal("5000.00")),))
    return config_for(database_url, DEPLOYMENT_RULES=rules)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A moment in London time."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


step = factories.step


class Example:
    """The worked example's wards, priorities and requests, by short name."""

    def __init__(self) -> None:
        self.leavesden = factories.ward("Leavesden")
        self.durrants = factories.ward("Durrants")
        self.carpenders = factories.ward("Carpenders Park")
        self.violence = factories.priority(2027, "Violence")
        self.asb = factories.priority(2027, "Anti-social behaviour")
        factories.priority(2027, "Drugs")
        self.violence_2026 = factories.priority(2026, "Violence")
        self.violence_2028 = factories.priority(2028, "Violence")

    def request(self, reference: str, ward: Ward, priority, sources: str, **fields) -> MoveRequest:
        mr = factories.move_request(
            reference=reference,
            site_obj=factories.site(ward),
            priority_id=(priority or self.violence).id,
            intelligence_sources=sources,
            **fields,
        )
        if priority is None:
            mr.priority_id = None
            db.session.commit()
        return mr


def the_requests(ex: Example) -> dict[str, MoveRequest]:
    """The requests of the table above, with their steps."""
    r = {}
    r["C"] = mr = ex.request("CCTV-2026-0003", ex.durrants, ex.violence_2026, "police", status="approved")
    step(mr, "submit", at(2027, 3, 31, 23, 30), "draft", "submitted")
    step(mr, "endorse", at(2027, 4, 2), "submitted", "endorsed")
    step(mr, "approve_urgently", at(2027, 4, 8), "endorsed", "approved")

    r["A"] = mr = ex.request("CCTV-2027-0001", ex.durrants, ex.violence, "police,community", status="live")
    step(mr, "submit", at(2027, 4, 10), "draft", "submitted")
    step(mr, "endorse", at(2027, 4, 20), "submitted", "endorsed")
    step(mr, "place_on_agenda", at(2027, 4, 21), "endorsed", "on_agenda")
    step(mr, "approve", at(2027, 5, 22), "on_agenda", "approved")

    r["B"] = mr = ex.request("CCTV-2027-0002", ex.carpenders, ex.asb, "community", status="rejected")
    step(mr, "submit", at(2027, 4, 1, 0, 30), "draft", "submitted")
    step(mr, "return_for_changes", at(2027, 4, 5), "submitted", "returned")
    step(mr, "submit", at(2027, 4, 12), "returned", "submitted")
    step(mr, "endorse", at(2027, 4, 15), "submitted", "endorsed")
    step(mr, "place_on_agenda", at(2027, 4, 16), "endorsed", "on_agenda")
    step(mr, "reject", at(2027, 6, 30), "on_agenda", "rejected")

    r["D"] = mr = ex.request("CCTV-2027-0004", ex.durrants, None, "", status="not_sponsored")
    step(mr, "submit", at(2027, 5, 2), "draft", "submitted")
    step(mr, "decline", at(2027, 5, 9), "submitted", "not_sponsored")

    r["E"] = mr = ex.request("CCTV-2027-0005", ex.carpenders, ex.violence, "other", status="withdrawn")
    step(mr, "submit", at(2027, 6, 3), "draft", "submitted")
    step(mr, "withdraw", at(2027, 6, 10), "submitted", "withdrawn")

    r["F"] = mr = ex.request("CCTV-2027-0006", ex.carpenders, ex.violence, "other", status="withdrawn")
    step(mr, "withdraw", at(2027, 6, 4), "draft", "withdrawn")

    r["G"] = mr = ex.request("CCTV-2027-0007", ex.durrants, ex.asb, "asb_group", status="cancelled")
    step(mr, "submit", at(2027, 7, 1), "draft", "submitted")
    step(mr, "endorse", at(2027, 7, 5), "submitted", "endorsed")
    step(mr, "approve", at(2027, 9, 1), "on_agenda", "approved")
    step(mr, "cancel", at(2027, 10, 1), "approved", "cancelled")

    r["H"] = mr = ex.request("CCTV-2027-0008", ex.carpenders, ex.asb, "police", status="cancelled")
    step(mr, "submit", at(2027, 8, 2), "draft", "submitted")
    step(mr, "endorse", at(2027, 8, 3), "submitted", "endorsed")
    step(mr, "approve_urgently", at(2027, 8, 4), "endorsed", "approved")
    step(mr, "not_ratify", at(2027, 9, 20), "approved", "cancelled")

    r["J"] = mr = ex.request("CCTV-2027-0010", ex.durrants, ex.violence, "community", status="rejected")
    step(mr, "submit", at(2028, 3, 31, 23, 30), "draft", "submitted")
    step(mr, "reject", at(2028, 4, 15), "on_agenda", "rejected")

    r["J2"] = mr = ex.request("CCTV-2028-0001", ex.durrants, ex.violence_2028, "police", status="approved")
    step(mr, "submit", at(2028, 4, 1, 0, 30), "draft", "submitted")
    step(mr, "approve", at(2028, 4, 13), "on_agenda", "approved")

    # Received in the year before, returned, and sent again in this one.
    r["P"] = mr = ex.request("CCTV-2026-0013", ex.durrants, ex.violence_2026, "police", status="submitted")
    step(mr, "submit", at(2027, 3, 1), "draft", "submitted")
    step(mr, "return_for_changes", at(2027, 3, 20), "submitted", "returned")
    step(mr, "submit", at(2027, 4, 5), "returned", "submitted")

    r["K"] = mr = ex.request("CCTV-2026-0009", ex.durrants, ex.violence_2026, "police", status="live")
    step(mr, "submit", at(2026, 4, 1, 0, 30), "draft", "submitted")
    # Reviews of its live deployment, with the day each was due:
    # late by its London day (00:30 on 2 July is still 1 July in UTC) ...
    step(mr, "continue_deployment", at(2027, 7, 2, 0, 30), "live", "live", review_was_due="2027-07-01")
    # ... the board not ratifying a chair's action once the camera is up: not
    # a review, and not a cancellation ...
    step(mr, "not_ratify", at(2027, 9, 20), "live", "live", review_was_due="2027-12-01")
    # ... on time, two days early ...
    step(mr, "continue_at_review", at(2027, 10, 10), "live", "live", review_was_due="2027-10-12")
    # ... held, but with no due date recorded, so not counted as on time ...
    step(mr, "end_at_review", at(2028, 1, 15), "live", "live")
    # ... on time on the day it was due, the year's last ...
    step(mr, "continue_deployment", at(2028, 3, 31, 23, 30), "live", "live", review_was_due="2028-03-31")
    # ... and in the next year, a day late (its UTC day, 31 March, is not).
    step(mr, "continue_deployment", at(2028, 4, 1, 0, 30), "live", "live", review_was_due="2028-03-31")
    db.session.commit()
    return r


def the_evaluations(ex: Example) -> None:
    """Three requests closed with their evaluation.

    CCTV-2026-0010 (Durrants), closed 15 December 2027:
      before: 30 incidents, 1 January to 31 March 2026 (31 + 28 + 31 = 90 days), 10 per 30 days
      during: 15, 1 April to 29 June 2026 (removed 30 June; 30 + 31 + 29 = 90 days), 5 per 30 days: -50%
      after: 21, 1 July to 22 September 2026 (12 weeks = 84 days), 7.5 per 30 days: -25%
    CCTV-2027-0011 (Leavesden), closed 23:30 on 31 March 2028, the year's last day:
      before: no count given, so the baseline's 4 crimes + 6 ASB = 10, 1 to 30 January 2027
        (30 days), 10 per 30 days
      during: 13, 1 to 30 April 2027 (removed 1 May), 13 per 30 days: +30%
      after: not recorded, so left out of the totals
    CCTV-2026-0012 (Durrants), closed 1 March 2027: the year before.
    """
    mr = ex.request(
        "CCTV-2026-0010",
        ex.durrants,
        ex.violence_2026,
        "police",
        status="closed",
        baseline_start=date(2026, 1, 1),
        baseline_end=date(2026, 3, 31),
        incidents_before=30,
        installed_on=date(2026, 4, 1),
        removed_on=date(2026, 6, 30),
        incidents_during=15,
        incidents_after=21,
    )
    step(mr, "record_evaluation", at(2027, 12, 15), "ended", "closed")
    mr = ex.request(
        "CCTV-2027-0011",
        ex.leavesden,
        ex.violence,
        "police",
        status="closed",
        crime_count=4,
        asb_count=6,
        baseline_start=date(2027, 1, 1),
        baseline_end=date(2027, 1, 30),
        installed_on=date(2027, 4, 1),
        removed_on=date(2027, 5, 1),
        incidents_during=13,
    )
    step(mr, "record_evaluation", at(2028, 3, 31, 23, 30), "ended", "closed")
    mr = ex.request(
        "CCTV-2026-0012",
        ex.durrants,
        ex.violence_2026,
        "police",
        status="closed",
        baseline_start=date(2026, 1, 1),
        baseline_end=date(2026, 1, 30),
        installed_on=date(2026, 6, 1),
        removed_on=date(2026, 8, 1),
        incidents_before=9,
        incidents_during=3,
        incidents_after=2,
    )
    step(mr, "record_evaluation", at(2027, 3, 1), "ended", "closed")
    db.session.commit()


def the_cameras(ex: Example) -> None:
    """Cameras, made in this order (so by id), and their deployments:

    North   1 Nov 2026 to 1 May 2027, then from 1 Jun 2027, still up
    South   1 May 2026 to 1 Apr 2027 (the day it comes down belongs to its next
            site: in store all of 2027 to 2028), then from 15 Apr 2028
    East    1 Oct 2027 to 1 Mar 2028 (through 29 February), then 1 to 7 Apr 2028
    Old     retired; 1 May 2025 to 1 Jun 2025 only
    Spare   retired; 1 to 11 Apr 2027
    """
    site = factories.site(ex.durrants)
    north = factories.camera(name="North", asset_tag="CAM-N")
    south = factories.camera(name="South", asset_tag="CAM-S")
    east = factories.camera(name="East", asset_tag="CAM-E")
    old = factories.camera(name="Old", asset_tag="CAM-O", service_status="retired")
    spare = factories.camera(name="Spare", asset_tag="CAM-X", service_status="retired")
    for camera, installed_on, removed_on in (
        (north, date(2026, 11, 1), date(2027, 5, 1)),
        (north, date(2027, 6, 1), None),
        (south, date(2026, 5, 1), date(2027, 4, 1)),
        (south, date(2028, 4, 15), None),
        (east, date(2027, 10, 1), date(2028, 3, 1)),
        (east, date(2028, 4, 1), date(2028, 4, 7)),
        (old, date(2025, 5, 1), date(2025, 6, 1)),
        (spare, date(2027, 4, 1), date(2027, 4, 11)),
    ):
        factories.deployment(camera, site, installed_on=installed_on, removed_on=removed_on)


@pytest.fixture
def example(app):
    ex = Example()
    requests = the_requests(ex)
    the_evaluations(ex)
    the_cameras(ex)
    return requests


def test_each_step_counts_once_in_the_year_it_happened(example):
    report = annual_report.build(2027, AFTER_THE_YEAR)

    assert (report.first, report.last, report.complete) == (date(2027, 4, 1), date(2028, 3, 31), True)
    # CCTV-2027-0001, -0002 (00:30 on 1 April; sent again on 12 April, still
    # one), -0004, -0005, -0007, -0008, -0010 (23:30 on 31 March 2028) = 7.
    # Not -2026-0003 (23:30 on 31 March 2027), nor -2028-0001 (00:30 on 1
    # April 2028), nor the draft -0006 that was never sent, nor -2026-0013,
    # received last year and sent again on 5 April 2027.
    assert report.received == 7
    # -2026-0003 (received last year), -0001, -0002, -0007, -0008 = 5
    assert report.endorsed == 5
    assert report.not_sponsored == 1  # -0004
    # -2026-0003 (by chair's action, received last year), -0001, -0007,
    # -0008 (by chair's action) = 4, of which 2 urgently
    assert report.approved == 4
    assert report.approved_urgently == 2
    assert report.rejected == 1  # -0002; -0010 was rejected in the next year
    assert report.withdrawn == 1  # -0005; the draft -0006 was never sent
    # -0007 cancelled, -0008 not ratified before the camera went up; not
    # -2026-0009, not ratified once its camera was up
    assert report.cancelled == 2


def test_the_breakdowns_list_every_priority_ward_and_source(example):
    report = annual_report.build(2027, AFTER_THE_YEAR)

    # Received -0001, -0005, -0010; approved -0001 and -2026-0003, whose
    # priority is 2026's Violence. Drugs was named by none; -0004 by no
    # priority. In the order the board set them, not alphabetical.
    assert report.by_priority == (
        Row("Violence", received=3, approved=2, rejected=0),
        Row("Anti-social behaviour", received=3, approved=2, rejected=1),  # -0002, -0007, -0008
        Row("Drugs", received=0, approved=0, rejected=0),
        Row("No priority given", received=1, approved=0, rejected=0),
    )
    assert report.by_ward == (
        Row("Carpenders Park", received=3, approved=1, rejected=1),  # -0002, -0005, -0008; -0008; -0002
        Row(
            "Durrants", received=4, approved=3, rejected=0
        ),  # -0001, -0004, -0007, -0010; -0001, -2026-0003, -0007
        Row("Leavesden", received=0, approved=0, rejected=0),
    )
    # -0001 names police and the community: it counts under both.
    assert report.by_source == (
        Row("Police", received=2, approved=3, rejected=0),  # -0001, -0008; -0001, -2026-0003, -0008
        Row("Local community", received=3, approved=1, rejected=1),  # -0001, -0002, -0010; -0001; -0002
        Row("ASB group", received=1, approved=1, rejected=0),  # -0007
        Row("Other", received=1, approved=0, rejected=0),  # -0005
        Row("None given", received=1, approved=0, rejected=0),  # -0004
    )


def test_days_to_a_decision_run_from_the_first_sending(example):
    report = annual_report.build(2027, AFTER_THE_YEAR)

    # -0008: 2 to 4 August = 2
    # -2026-0003: 31 March to 8 April 2027 = 8
    # -0001: 10 April to 22 May: 20 + 22 = 42
    # -0007: 1 July to 1 September: 31 + 31 = 62
    # -0002: from its first sending, 1 April (not 31 March, its UTC day, nor
    #   12 April, when it was sent again) to 30 June: 30 + 31 + 29 = 90
    assert report.decision_days == (2, 8, 42, 62, 90)
    assert report.median_days == 42
    assert (report.shortest_days, report.longest_days) == (2, 90)


def test_the_year_in_progress_counts_to_today(example):
    report = annual_report.build(2028, date(2028, 4, 16))

    assert (report.first, report.last, report.complete) == (date(2028, 4, 1), date(2028, 4, 16), False)
    assert (report.received, report.approved, report.rejected) == (1, 1, 1)
    # -2028-0001: 1 to 13 April = 12; -0010: 31 March to 15 April = 15.
    # An even count: the median is the mean of the middle two, 27 / 2.
    assert report.decision_days == (12, 15)
    assert report.median_days == 13.5
    # 16 days counted, 1 to 16 April. Halves round up: 2/16 = 12.5%,
    # 6/16 = 37.5%. The retired cameras were nowhere this year.
    assert report.cameras == (
        CameraUse("North (CAM-N)", days_deployed=16, days=16),
        CameraUse("South (CAM-S)", days_deployed=2, days=16),  # 15 and 16 April
        CameraUse("East (CAM-E)", days_deployed=6, days=16),  # 1 to 6 April
    )
    assert [c.percent for c in report.cameras] == [100, 13, 38]
    assert report.utilisation_percent == 50  # (16 + 2 + 6) / 48
    # Both -0010 and -2028-0001 name Violence, of 2027 and 2028: one row.
    assert report.by_priority == (Row("Violence", received=1, approved=1, rejected=1),)
    # No request without a source: no "None given" row.
    assert report.by_source == (
        Row("Police", received=1, approved=1, rejected=0),
        Row("Local community", received=0, approved=0, rejected=1),
        Row("ASB group", received=0, approved=0, rejected=0),
        Row("Other", received=0, approved=0, rejected=0),
    )
    # 00:30 on 1 April, a day after it was due on 31 March.
    assert (report.reviews_held, report.reviews_on_time) == (1, 0)


def test_camera_use_over_a_leap_year(example):
    report = annual_report.build(2027, AFTER_THE_YEAR)

    # 1 April 2027 to 31 March 2028 is 366 days.
    assert report.cameras == (
        # 1 to 30 April (30), then 1 June to 31 March (366 - 30 - 31 = 305): 335
        CameraUse("North (CAM-N)", days_deployed=335, days=366),
        # Came down on 1 April 2027: in store all year.
        CameraUse("South (CAM-S)", days_deployed=0, days=366),
        # 1 October to 29 February: 31 + 30 + 31 + 31 + 29 = 152
        CameraUse("East (CAM-E)", days_deployed=152, days=366),
        # Retired, but up for 1 to 10 April: listed. "Old" was not up: left out.
        CameraUse("Spare (CAM-X)", days_deployed=10, days=366),
    )
    # 33500/366 = 91.5..., 15200/366 = 41.5..., 1000/366 = 2.7...
    assert [c.percent for c in report.cameras] == [92, 0, 42, 3]
    # (335 + 0 + 152 + 10) / (4 * 366) = 497 / 1464 = 33.9...%
    assert report.utilisation_percent == 34


def test_reviews_held_on_time_late_and_with_no_due_date(example):
    report = annual_report.build(2027, AFTER_THE_YEAR)

    # On 2 July (due 1 July): late. 10 October (due 12 October): on time.
    # 15 January, no due date: held, not on time. 23:30 on 31 March 2028
    # (due that day): on time. The chair's action not ratified is no review.
    assert report.reviews_held == 4
    assert report.reviews_on_time == 2


def test_evaluations_and_their_totals(example):
    report = annual_report.build(2027, AFTER_THE_YEAR)

    assert report.evaluations == (
        Evaluation("CCTV-2026-0010", "Durrants", 30, 15, 21, change_during=-50, change_after=-25),
        Evaluation("CCTV-2027-0011", "Leavesden", 10, 13, None, change_during=30, change_after=None),
    )
    # Only -2026-0010 has all three counts.
    assert report.evaluation_totals == (30, 15, 21)


def test_the_year_before_and_the_years_on_offer(example):
    report = annual_report.build(2026, AFTER_THE_YEAR)

    assert (report.first, report.last, report.complete) == (date(2026, 4, 1), date(2027, 3, 31), True)
    # -2026-0009 (00:30 on 1 April 2026), -2026-0013 (1 March 2027) and
    # -2026-0003 (23:30 on 31 March 2027)
    assert report.received == 3
    assert report.decision_days == ()
    assert (report.median_days, report.shortest_days, report.longest_days) == (None, None, None)
    assert [e.reference for e in report.evaluations] == ["CCTV-2026-0012"]
    assert report.evaluation_totals == (9, 3, 2)
    # The first request was sent at 00:30 on 1 April 2026 (31 March in UTC).
    assert annual_report.years_available(AFTER_THE_YEAR) == [2028, 2027, 2026]


def test_the_costs_are_the_years_moves(example):
    report = annual_report.build(2027, AFTER_THE_YEAR)

    # Only -2027-0011 has a camera that went up in the year (1 April 2027).
    assert [m.move_request.reference for m in report.costs.moves] == ["CCTV-2027-0011"]
    assert report.costs.budget == Decimal("5000.00")


def test_with_no_requests_only_this_year_is_on_offer(app):
    assert annual_report.years_available(date(2028, 3, 31)) == [2027]
    assert annual_report.years_available(date(2028, 4, 1)) == [2028]


def test_a_year_with_nothing_in_it_still_lists_every_row(app):
    factories.ward("Durrants")
    factories.priority(2027, "Violence")
    factories.priority(2026, "Burglary")

    # On its last day the year is still running.
    report = annual_report.build(2027, date(2028, 3, 31))

    assert (report.last, report.complete) == (date(2028, 3, 31), False)
    assert (report.received, report.decision_days, report.cameras, report.evaluations) == (0, (), (), ())
    assert (report.median_days, report.utilisation_percent, report.evaluation_totals) == (None, 0, (0, 0, 0))
    # Only 2027's priorities; no "No priority given" nor "None given" row.
    assert report.by_priority == (Row("Violence", 0, 0, 0),)
    assert report.by_ward == (Row("Durrants", 0, 0, 0),)
    assert [row.label for row in report.by_source] == ["Police", "Local community", "ASB group", "Other"]
    assert annual_report.build(2027, date(2028, 4, 1)).complete


def test_a_priority_of_another_year_gets_a_row_of_its_own(app):
    ward = factories.ward("Durrants")
    factories.priority(2027, "Violence")
    burglary = factories.priority(2026, "Burglary")
    for_burglary = factories.move_request(site_obj=factories.site(ward), priority_id=burglary.id)
    unset = factories.move_request(site_obj=factories.site(ward), priority_id=burglary.id)
    unset.priority_id = None
    for mr in (for_burglary, unset):
        step(mr, "submit", at(2027, 4, 2), "draft", "submitted")
    db.session.commit()

    report = annual_report.build(2027, AFTER_THE_YEAR)

    # 2027's priorities first, then 2026's Burglary, then none given.
    assert report.by_priority == (
        Row("Violence", 0, 0, 0),
        Row("Burglary", 1, 0, 0),
        Row("No priority given", 1, 0, 0),
    )


def add_requests(how_many: int, ward: Ward, priority) -> None:
    """Requests that take every counted step in 2027 to 2028, each with a
    camera deployed for part of the year."""
    site = factories.site(ward)
    for _ in range(how_many):
        mr = factories.move_request(site_obj=site, priority_id=priority.id, status="closed")
        step(mr, "submit", at(2027, 4, 10), "draft", "submitted")
        step(mr, "endorse", at(2027, 4, 11), "submitted", "endorsed")
        step(mr, "approve", at(2027, 5, 1), "on_agenda", "approved")
        step(mr, "continue_deployment", at(2027, 8, 1), "live", "live", review_was_due="2027-08-01")
        step(mr, "record_evaluation", at(2028, 1, 1), "ended", "closed")
        other = factories.move_request(site_obj=site, priority_id=priority.id, status="rejected")
        step(other, "submit", at(2027, 4, 10), "draft", "submitted")
        step(other, "reject", at(2027, 5, 1), "on_agenda", "rejected")
        camera = factories.camera()
        factories.deployment(camera, site, installed_on=date(2027, 5, 1), removed_on=date(2027, 9, 1))
    db.session.commit()


def statements_building(year_start: int, today: date) -> list[str]:
    seen: list[str] = []

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", on_statement)
    try:
        annual_report.build(year_start, today)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_statement)
    return seen


def test_the_number_of_queries_does_not_grow_with_the_data(app):
    ward = factories.ward("Durrants")
    priority = factories.priority(2027, "Violence")
    add_requests(2, ward, priority)
    report = annual_report.build(2027, AFTER_THE_YEAR)
    assert (report.received, len(report.cameras), len(report.evaluations)) == (4, 2, 2)
    small = statements_building(2027, AFTER_THE_YEAR)

    add_requests(18, ward, priority)
    report = annual_report.build(2027, AFTER_THE_YEAR)
    assert (report.received, len(report.cameras), len(report.evaluations)) == (40, 20, 20)
    large = statements_building(2027, AFTER_THE_YEAR)

    assert len(large) == len(small)
    # The steps, priorities, wards, deployments, cameras, the year's costs
    # and the evaluated requests: one query each.
    assert len(small) == 7
