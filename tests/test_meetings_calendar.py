"""The board's calendar (DESIGN.md section 6): working days and bank
holidays, planning a year, extraordinary meetings, moving and cancelling a
meeting, and the iCalendar feed for board members.

Every expected date below is worked out by hand, the working written beside
it (QUALITY.md TEST-1). Bank holidays of England and Wales used here, from
the GOV.UK list: Christmas Day Friday 25 December 2026, Boxing Day
(substitute) Monday 28 December 2026, New Year's Day Friday 1 January 2027,
Good Friday 26 March 2027, Easter Monday 29 March 2027, Early May bank
holiday Monday 3 May 2027, New Year's Day Wednesday 1 January 2031, Good
Friday 11 April 2031 and Easter Monday 14 April 2031.
"""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import AgendaItem, Meeting
from cctv_requests.services import calendar
from tests import factories
from tests.readers import events
from tests.test_request_pages import date_fields, error_summary, page

TODAY = date.today()
DEFAULT = calendar.MeetingRules()
MONDAYS = calendar.MeetingRules(weekday=0)
FRIDAYS = calendar.MeetingRules(weekday=4)


def all_meetings() -> list[tuple]:
    """(date, papers cut-off, publication day, kind, status) of every meeting, by date."""
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(
            Meeting.meets_on, Meeting.cutoff_on, Meeting.publish_on, Meeting.kind, Meeting.status
        ).order_by(Meeting.meets_on, Meeting.id)
    )
    return [tuple(row) for row in rows]


def banners(response) -> list[str]:
    return [b.get_text(" ", strip=True) for b in page(response).select(".govuk-notification-banner__content")]


def meeting_tables(response) -> dict[str, list[list[str]]]:
    """Each table on the meetings page by its caption: the cells of each row."""
    return {
        table.caption.get_text(strip=True): [
            [cell.get_text(" ", strip=True) for cell in row.select("td")] for row in table.select("tbody tr")
        ]
        for table in page(response).select("table")
    }


# ---------------------------------------------------------------------------
# Working days: Monday to Friday except bank holidays in England and Wales.


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        # Monday 9 March 2026: the Sunday and Saturday before are skipped.
        (date(2026, 3, 9), 1, date(2026, 3, 6)),
        # From a Sunday, the Friday before.
        (date(2026, 3, 8), 1, date(2026, 3, 6)),
        # Fri 6 (1), Thu 5 (2), Wed 4 (3), Tue 3 (4), Mon 2 March (5).
        (date(2026, 3, 9), 5, date(2026, 3, 2)),
        # Monday 4 January 2027: Friday 1 January is New Year's Day, so the
        # working day before is Thursday 31 December 2026.
        (date(2027, 1, 4), 1, date(2026, 12, 31)),
        # Thu 31 (1), Wed 30 (2), Tue 29 (3); Mon 28 (Boxing Day substitute)
        # and Fri 25 (Christmas Day) skipped; Thu 24 December 2026 (4).
        (date(2027, 1, 4), 4, date(2026, 12, 24)),
        # Thursday 1 April 2027: Wed 31 March (1), Tue 30 (2), Easter Monday
        # 29 and Good Friday 26 skipped, Thu 25 March 2027 (3).
        (date(2027, 4, 1), 3, date(2027, 3, 25)),
        # Tuesday 4 May 2027: Monday 3 May is the Early May bank holiday, so
        # the working day before is Friday 30 April.
        (date(2027, 5, 4), 1, date(2027, 4, 30)),
    ],
)
def test_working_days_before_skip_weekends_and_bank_holidays(day, count, expected):
    assert calendar.working_days_before(day, count) == expected


@pytest.mark.parametrize(
    ("meets_on", "cutoff", "publication"),
    [
        # Wednesday 5 March 2031, no bank holiday near. Counting back:
        # Tue 4 (1), Mon 3 (2), Fri 28 Feb (3), Thu 27 (4), Wed 26 (5),
        # Tue 25 (6) = publication, leaving 26, 27, 28 Feb, 3, 4 March clear;
        # Mon 24 (7), Fri 21 (8), Thu 20 (9), Wed 19 Feb (10) = cut-off.
        (date(2031, 3, 5), date(2031, 2, 19), date(2031, 2, 25)),
        # Wednesday 6 January 2027, over Christmas and New Year: Tue 5 (1),
        # Mon 4 (2), [Fri 1 Jan bank holiday], Thu 31 (3), Wed 30 (4), Tue 29
        # (5), [Mon 28 and Fri 25 bank holidays], Thu 24 Dec (6) =
        # publication; Wed 23 (7), Tue 22 (8), Mon 21 (9), Fri 18 Dec (10).
        (date(2027, 1, 6), date(2026, 12, 18), date(2026, 12, 24)),
        # Wednesday 31 March 2027, just after Easter: Tue 30 (1), [Easter
        # Monday 29, Good Friday 26], Thu 25 (2), Wed 24 (3), Tue 23 (4),
        # Mon 22 (5), Fri 19 (6) = publication; Thu 18 (7), Wed 17 (8),
        # Tue 16 (9), Mon 15 March (10) = cut-off.
        (date(2027, 3, 31), date(2027, 3, 15), date(2027, 3, 19)),
        # Wednesday 7 April 2027: Tue 6 (1), Mon 5 (2), Fri 2 (3), Thu 1 (4),
        # Wed 31 (5), Tue 30 March (6) = publication; [29 and 26 bank
        # holidays], Thu 25 (7), Wed 24 (8), Tue 23 (9), Mon 22 March (10).
        (date(2027, 4, 7), date(2027, 3, 22), date(2027, 3, 30)),
        # Wednesday 12 May 2027: Tue 11 (1), Mon 10 (2), Fri 7 (3), Thu 6 (4),
        # Wed 5 (5), Tue 4 May (6) = publication; [Mon 3 May bank holiday],
        # Fri 30 (7), Thu 29 (8), Wed 28 (9), Tue 27 April (10) = cut-off.
        (date(2027, 5, 12), date(2027, 4, 27), date(2027, 5, 4)),
    ],
)
def test_papers_cut_off_and_publication_day_by_the_default_rules(meets_on, cutoff, publication):
    assert calendar.papers_cutoff(meets_on, DEFAULT) == cutoff
    assert calendar.publication_day(meets_on, DEFAULT) == publication


def test_the_cut_off_and_publication_follow_the_configured_number_of_days():
    rules = calendar.MeetingRules(cutoff_working_days=5, publish_clear_days=1)
    # Wednesday 6 January 2027: Tue 5 (1), Mon 4 (2), Thu 31 (3), Wed 30 (4),
    # Tue 29 December 2026 (5) = cut-off. One clear day (Tuesday 5) leaves
    # Monday 4 January for publication.
    assert calendar.papers_cutoff(date(2027, 1, 6), rules) == date(2026, 12, 29)
    assert calendar.publication_day(date(2027, 1, 6), rules) == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("year", "month", "rules", "expected"),
    [
        # 1 March 2031 is a Saturday: the first Wednesday is the 5th.
        (2031, 3, DEFAULT, date(2031, 3, 5)),
        # 1 July 2031 is a Tuesday: Wednesday 2 July.
        (2031, 7, DEFAULT, date(2031, 7, 2)),
        # Wednesday 1 January 2031 is New Year's Day: a week later.
        (2031, 1, DEFAULT, date(2031, 1, 8)),
        # Monday 3 May 2027 is the Early May bank holiday: Monday 10 May.
        (2027, 5, MONDAYS, date(2027, 5, 10)),
        # Monday 6 April 2026 is Easter Monday (1 April is a Wednesday).
        (2026, 4, MONDAYS, date(2026, 4, 13)),
        # Friday 1 January 2027 is New Year's Day: Friday 8 January.
        (2027, 1, FRIDAYS, date(2027, 1, 8)),
    ],
)
def test_the_usual_day_is_the_first_working_day_on_the_boards_weekday(year, month, rules, expected):
    assert calendar.usual_day(year, month, rules) == expected


# ---------------------------------------------------------------------------
# The rules from the district configuration.


def test_the_default_rules_are_three_meetings_on_wednesdays():
    assert (DEFAULT.per_year, DEFAULT.months, DEFAULT.weekday) == (3, (3, 7, 11), 2)
    assert (DEFAULT.cutoff_working_days, DEFAULT.publish_clear_days, DEFAULT.quorum) == (10, 5, 3)
    assert calendar.rules_from({}) == DEFAULT
    assert calendar.rules_from({"meetings": {}}) == DEFAULT


def test_the_rules_are_read_from_the_meetings_table():
    config = {
        "meetings": {
            "per_year": 4,
            "months": [1, 4, 7, 10],
            "weekday": "Thursday",
            "cutoff_working_days": 12,
            "publish_clear_days": 7,
            "quorum": 5,
        }
    }
    assert calendar.rules_from(config) == calendar.MeetingRules(
        per_year=4, months=(1, 4, 7, 10), weekday=3, cutoff_working_days=12, publish_clear_days=7, quorum=5
    )


@pytest.mark.parametrize(
    ("per_year", "months"),
    [
        # Every three months from March.
        (4, (3, 6, 9, 12)),
        # Every six months from March.
        (2, (3, 9)),
    ],
)
def test_without_months_the_meetings_are_spread_through_the_year_from_march(per_year, months):
    assert calendar.rules_from({"meetings": {"per_year": per_year}}).months == months


@pytest.mark.parametrize(
    "section",
    [
        {"per_year": 0},
        {"per_year": 13},
        {"per_year": "three"},
        {"per_year": 3, "months": [3, 7]},
        {"per_year": 2, "months": [3, 7, 11]},
        {"per_year": 3, "months": [3, 7, 13]},
        {"per_year": 3, "months": [0, 7, 11]},
        # Three meetings cannot share two months.
        {"per_year": 3, "months": [3, 3, 11]},
        {"weekday": "Sunday"},
        {"weekday": "Saturday"},
        {"weekday": "Wednesdays"},
        # A negative count has no working day to stop at.
        {"cutoff_working_days": -1},
        {"publish_clear_days": -1},
        # A board cannot decide with nobody present.
        {"quorum": 0},
    ],
    ids=str,
)
def test_bad_meeting_rules_are_refused(section):
    with pytest.raises(calendar.CalendarConfigError):
        calendar.rules_from({"meetings": section})


# ---------------------------------------------------------------------------
# Planning a year.

# The usual days of 2031 by the default rules, worked by hand:
# - Wednesday 5 March: cut-off Wed 19 February, publication Tue 25 February
#   (see the cut-off test above).
# - Wednesday 2 July: Tue 1 July (1), Mon 30 (2), Fri 27 (3), Thu 26 (4),
#   Wed 25 (5), Tue 24 June (6) = publication; Mon 23 (7), Fri 20 (8),
#   Thu 19 (9), Wed 18 June (10) = cut-off.
# - Wednesday 5 November (1 November is a Saturday): Tue 4 (1), Mon 3 (2),
#   Fri 31 Oct (3), Thu 30 (4), Wed 29 (5), Tue 28 October (6) =
#   publication; Mon 27 (7), Fri 24 (8), Thu 23 (9), Wed 22 October (10).
MARCH_2031 = (date(2031, 3, 5), date(2031, 2, 19), date(2031, 2, 25), "ordinary", "planned")
JULY_2031 = (date(2031, 7, 2), date(2031, 6, 18), date(2031, 6, 24), "ordinary", "planned")
NOVEMBER_2031 = (date(2031, 11, 5), date(2031, 10, 22), date(2031, 10, 28), "ordinary", "planned")


def test_the_coordinator_plans_a_year_once(app, client, login_as):
    coordinator = login_as("coordinator")
    response = client.post("/meetings/plan-year", data={"year": "2031"})
    assert response.headers["Location"].endswith("/meetings")
    assert all_meetings() == [MARCH_2031, JULY_2031, NOVEMBER_2031]
    assert db.session.scalars(sa.select(Meeting.quorum)).all() == [3, 3, 3]
    assert [actor for actor, *_ in events("meeting.planned")] == [coordinator.id] * 3
    shown = client.get("/meetings")
    assert banners(shown) == ["3 meetings planned for 2031: 5 March 2031, 2 July 2031, 5 November 2031."]

    again = client.post("/meetings/plan-year", data={"year": "2031"}, follow_redirects=True)
    assert "Nothing to plan: 2031 already has its meetings" in " ".join(banners(again))
    assert all_meetings() == [MARCH_2031, JULY_2031, NOVEMBER_2031]


def test_planning_a_year_leaves_a_month_that_has_a_meeting_alone(app, client, login_as):
    # Wednesday 16 July 2031: Tue 15 (1), Mon 14 (2), Fri 11 (3), Thu 10 (4),
    # Wed 9 (5), Tue 8 July (6) = publication; Mon 7 (7), Fri 4 (8), Thu 3 (9),
    # Wed 2 July (10) = cut-off.
    factories.meeting(date(2031, 7, 16))
    login_as("coordinator")
    client.post("/meetings/plan-year", data={"year": "2031"})
    assert all_meetings() == [
        MARCH_2031,
        (date(2031, 7, 16), date(2031, 7, 2), date(2031, 7, 8), "ordinary", "planned"),
        NOVEMBER_2031,
    ]


def test_a_month_whose_only_meeting_was_cancelled_is_planned_again(app, client, login_as):
    factories.meeting(date(2031, 7, 2), status="cancelled")
    login_as("coordinator")
    client.post("/meetings/plan-year", data={"year": "2031"})
    assert all_meetings() == [
        MARCH_2031,
        (*JULY_2031[:4], "cancelled"),
        JULY_2031,
        NOVEMBER_2031,
    ]


@pytest.mark.parametrize("role", ["board", "chair", "officer"])
def test_only_the_coordinator_plans_a_year(app, client, login_as, role):
    login_as(role)
    assert client.post("/meetings/plan-year", data={"year": "2031"}).status_code == 403
    assert all_meetings() == []


def test_the_command_line_plans_a_year_and_says_which_days(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["meetings", "plan", "2031"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Planned Wednesday 5 March 2031: papers cut-off 19 February 2031, agenda published 25 February 2031.",
        "Planned Wednesday 2 July 2031: papers cut-off 18 June 2031, agenda published 24 June 2031.",
        "Planned Wednesday 5 November 2031: papers cut-off 22 October 2031, agenda published 28 October 2031.",
    ]
    assert all_meetings() == [MARCH_2031, JULY_2031, NOVEMBER_2031]

    again = runner.invoke(args=["meetings", "plan", "2031"])
    assert again.exit_code == 0, again.output
    assert (
        again.output.strip() == "Nothing to plan: 2031 already has its meetings, or their dates have passed."
    )
    assert all_meetings() == [MARCH_2031, JULY_2031, NOVEMBER_2031]


# ---------------------------------------------------------------------------
# Extraordinary meetings and the list of meetings.


def test_an_extraordinary_meeting_is_listed_as_upcoming_and_closed_ones_as_past(app, client, login_as):
    factories.meeting(date(2026, 7, 8), status="closed")
    factories.meeting(date(2026, 3, 4), status="cancelled")
    login_as("coordinator")
    response = client.post(
        "/meetings",
        data=MultiDict(
            [*date_fields("meets_on", date(2031, 9, 17)), ("kind", "extraordinary"), ("quorum", "4")]
        ),
    )
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.meets_on == date(2031, 9, 17)))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert (meeting.kind, meeting.quorum, meeting.status) == ("extraordinary", 4, "planned")
    # Wednesday 17 September 2031: Tue 16 (1), Mon 15 (2), Fri 12 (3),
    # Thu 11 (4), Wed 10 (5), Tue 9 (6) = publication; Mon 8 (7), Fri 5 (8),
    # Thu 4 (9), Wed 3 September (10) = cut-off.
    assert (meeting.cutoff_on, meeting.publish_on) == (date(2031, 9, 3), date(2031, 9, 9))

    tables = meeting_tables(client.get("/meetings"))
    assert tables["Upcoming meetings"] == [
        ["17 September 2031 (extraordinary)", "3 September 2031", "9 September 2031", "Planned", "0"]
    ]
    # Past meetings, latest first.
    assert [row[0] for row in tables["Past meetings"]] == ["8 July 2026", "4 March 2026"]
    assert [row[3] for row in tables["Past meetings"]] == ["Closed", "Cancelled"]


# ---------------------------------------------------------------------------
# Moving a meeting.


def test_the_coordinator_moves_a_meeting_and_its_dates_follow(app, client, login_as):
    coordinator = login_as("coordinator")
    meeting = factories.meeting(date(2031, 4, 2))
    form = client.get(f"/meetings/{meeting.id}/move")
    assert page(form).h1.get_text(strip=True) == "Move the meeting of 2 April 2031"

    response = client.post(
        f"/meetings/{meeting.id}/move", data=MultiDict(date_fields("meets_on", date(2031, 4, 23)))
    )
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    # Wednesday 23 April 2031, after Easter: Tue 22 (1), Mon 21 (2), Fri 18
    # (3), Thu 17 (4), Wed 16 (5), Tue 15 April (6) = publication; [Easter
    # Monday 14, Good Friday 11], Thu 10 (7), Wed 9 (8), Tue 8 (9), Mon 7
    # April (10) = cut-off.
    assert all_meetings() == [(date(2031, 4, 23), date(2031, 4, 7), date(2031, 4, 15), "ordinary", "planned")]
    assert db.session.get(Meeting, meeting.id).sequence == 1
    assert events("meeting.moved") == [(coordinator.id, "meeting", meeting.id)]
    assert banners(client.get(f"/meetings/{meeting.id}"))[0] == (
        "Meeting moved to 23 April 2031. Papers cut-off is now 7 April 2031."
    )


def test_a_meeting_cannot_move_onto_another_meetings_date(app, client, login_as):
    login_as("coordinator")
    march = factories.meeting(date(2031, 3, 5))
    factories.meeting(date(2031, 7, 2))
    response = client.post(
        f"/meetings/{march.id}/move", data=MultiDict(date_fields("meets_on", date(2031, 7, 2)))
    )
    # A date's link in the error summary goes to its day box.
    assert response.status_code == 200
    errors = error_summary(response)
    assert list(errors) == ["meets_on-day"]
    assert errors["meets_on-day"].startswith("There is already a meeting on that date")
    assert all_meetings() == [MARCH_2031, JULY_2031]
    assert db.session.get(Meeting, march.id).sequence == 0
    assert events("meeting.moved") == []


def test_a_meeting_can_move_onto_the_date_of_a_cancelled_one(app, client, login_as):
    login_as("coordinator")
    march = factories.meeting(date(2031, 3, 5))
    factories.meeting(date(2031, 7, 2), status="cancelled")
    response = client.post(
        f"/meetings/{march.id}/move", data=MultiDict(date_fields("meets_on", date(2031, 7, 2)))
    )
    assert response.status_code == 302
    # Both on 2 July, the moved one first (it was planned first).
    assert all_meetings() == [JULY_2031, (*JULY_2031[:4], "cancelled")]


def test_a_meeting_cannot_move_into_the_past(app, client, login_as):
    login_as("coordinator")
    meeting = factories.meeting(date(2031, 3, 5))
    response = client.post(
        f"/meetings/{meeting.id}/move", data=MultiDict(date_fields("meets_on", TODAY - timedelta(days=1)))
    )
    assert error_summary(response) == {"meets_on-day": "The new date must be today or in the future."}
    assert page(response).title.get_text().startswith("Error: ")
    assert all_meetings() == [MARCH_2031]
    assert events("meeting.moved") == []


def test_a_meeting_in_session_cannot_be_moved(app, client, login_as):
    login_as("coordinator")
    meeting = factories.meeting(TODAY, status="in_session")
    assert client.get(f"/meetings/{meeting.id}/move").status_code == 302
    response = client.post(
        f"/meetings/{meeting.id}/move",
        data=MultiDict(date_fields("meets_on", date(2031, 3, 5))),
        follow_redirects=True,
    )
    assert "Only a meeting that has not started can be moved." in " ".join(banners(response))
    db.session.expire_all()
    moved = db.session.get(Meeting, meeting.id)
    assert (moved.meets_on, moved.sequence, moved.status) == (TODAY, 0, "in_session")
    assert events("meeting.moved") == []


# ---------------------------------------------------------------------------
# Cancelling a meeting.


def test_cancelling_a_meeting_moves_its_undecided_items_to_the_next(app, client, login_as):
    coordinator = login_as("coordinator")
    march = factories.meeting(date(2031, 3, 5))
    # Already called off: not "the next meeting that has not started".
    factories.meeting(date(2031, 4, 2), status="cancelled")
    july = factories.meeting(date(2031, 7, 2), status="published")
    factories.meeting(date(2031, 11, 5))
    first = factories.agenda_item(march, factories.move_request(status="on_agenda"))
    second = factories.agenda_item(march, factories.move_request(status="on_agenda"))
    decided = factories.agenda_item(march, factories.move_request(status="rejected"), outcome="rejected")

    form = client.get(f"/meetings/{march.id}/cancel")
    assert page(form).h1.get_text(strip=True) == "Cancel the meeting of 5 March 2031"
    assert "They move to the meeting of 2 July 2031" in page(form).get_text(" ", strip=True)

    response = client.post(f"/meetings/{march.id}/cancel", data={"reason": "The venue is flooded."})
    assert response.headers["Location"].endswith("/meetings")
    db.session.expire_all()
    cancelled = db.session.get(Meeting, march.id)
    assert (cancelled.status, cancelled.cancelled_reason) == ("cancelled", "The venue is flooded.")
    where = dict(db.session.execute(sa.select(AgendaItem.id, AgendaItem.meeting_id)).all())
    assert where == {first.id: july.id, second.id: july.id, decided.id: march.id}
    assert sorted(events("agenda_item.moved")) == [
        (coordinator.id, "agenda_item", first.id),
        (coordinator.id, "agenda_item", second.id),
    ]
    assert events("meeting.cancelled") == [(coordinator.id, "meeting", march.id)]
    assert banners(client.get("/meetings")) == [
        "The meeting of 5 March 2031 is cancelled. 2 items moved to 2 July 2031."
    ]


def test_a_meeting_is_not_cancelled_without_a_reason(app, client, login_as):
    login_as("coordinator")
    meeting = factories.meeting(date(2031, 3, 5))
    response = client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "   "})
    assert error_summary(response) == {"reason": "Enter why the meeting is cancelled"}
    assert all_meetings() == [MARCH_2031]


def test_a_meeting_with_items_and_no_later_meeting_is_not_cancelled(app, client, login_as):
    login_as("coordinator")
    meeting = factories.meeting(date(2031, 3, 5))
    # An earlier meeting does not take the items.
    factories.meeting(date(2030, 11, 6))
    item = factories.agenda_item(meeting, factories.move_request(status="on_agenda"))
    form = client.get(f"/meetings/{meeting.id}/cancel")
    assert "Plan the next meeting first" in page(form).get_text(" ", strip=True)

    response = client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "Chair unwell."})
    assert response.status_code == 200
    errors = error_summary(response)
    assert list(errors) == ["reason"]
    assert "Plan the next meeting first" in errors["reason"]
    db.session.expire_all()
    kept = db.session.get(Meeting, meeting.id)
    assert (kept.status, kept.sequence, kept.cancelled_reason) == ("planned", 0, "")
    assert db.session.get(AgendaItem, item.id).meeting_id == meeting.id
    assert events("meeting.cancelled") == []
    assert events("agenda_item.moved") == []


def test_a_cancelled_meetings_date_can_be_used_again(app, client, login_as):
    login_as("coordinator")
    meeting = factories.meeting(date(2031, 3, 5))
    response = client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "Purdah before the election."})
    assert response.status_code == 302
    again = client.post(
        "/meetings",
        data=MultiDict([*date_fields("meets_on", date(2031, 3, 5)), ("kind", "ordinary"), ("quorum", "3")]),
    )
    assert again.status_code == 302
    assert all_meetings() == [(*MARCH_2031[:4], "cancelled"), MARCH_2031]


def test_a_meeting_in_session_cannot_be_cancelled(app, client, login_as):
    login_as("coordinator")
    meeting = factories.meeting(TODAY, status="in_session")
    response = client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "Fire alarm."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "in_session"
    assert events("meeting.cancelled") == []


# ---------------------------------------------------------------------------
# The calendar feed.


def feed_url(client) -> str:
    """The address shown on the member's calendar page."""
    code = page(client.get("/meetings/calendar")).select_one("code")
    assert code is not None, "no calendar address on the page"
    url = code.get_text(strip=True)
    assert "/meetings/calendar.ics?key=" in url
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def read_feed(app, url: str) -> Calendar:
    """Fetch the feed as a calendar program does: not signed in."""
    response = app.test_client().get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def by_uid(feed: Calendar) -> dict[str, tuple]:
    """Each event by its UID: (start, status, sequence)."""
    return {
        str(event["UID"]): (event.decoded("DTSTART"), str(event["STATUS"]), int(event["SEQUENCE"]))
        for event in feed.walk("VEVENT")
    }


def test_a_board_member_follows_the_meetings_in_a_calendar(app, client, login_as):
    coordinator = factories.user("coordinator")
    member = factories.user("board")
    march = factories.meeting(date(2031, 3, 5))
    factories.meeting(date(2031, 7, 2))
    november = factories.meeting(date(2031, 11, 5))

    login_as(user=member)
    first_visit = page(client.get("/meetings/calendar"))
    assert first_visit.h1.get_text(strip=True) == "Board meetings in your calendar"
    assert first_visit.select_one("code") is None
    response = client.post("/meetings/calendar")
    assert response.headers["Location"].endswith("/meetings/calendar")
    url = feed_url(client)

    feed = read_feed(app, url)
    assert str(feed["VERSION"]) == "2.0"
    before = by_uid(feed)
    assert sorted(before.values()) == [
        (date(2031, 3, 5), "CONFIRMED", 0),
        (date(2031, 7, 2), "CONFIRMED", 0),
        (date(2031, 11, 5), "CONFIRMED", 0),
    ]
    uid = {start: key for key, (start, _, _) in before.items()}

    login_as(user=coordinator)
    client.post(f"/meetings/{march.id}/move", data=MultiDict(date_fields("meets_on", date(2031, 3, 12))))
    client.post(f"/meetings/{november.id}/cancel", data={"reason": "Nothing to decide."})

    after = by_uid(read_feed(app, url))
    # The same events, by the same UIDs: calendars replace their copies.
    assert after == {
        uid[date(2031, 3, 5)]: (date(2031, 3, 12), "CONFIRMED", 1),
        uid[date(2031, 7, 2)]: (date(2031, 7, 2), "CONFIRMED", 0),
        uid[date(2031, 11, 5)]: (date(2031, 11, 5), "CANCELLED", 1),
    }


def test_a_new_calendar_address_stops_the_old_one(app, client, login_as):
    factories.meeting(date(2031, 3, 5))
    login_as("board")
    client.post("/meetings/calendar")
    old = feed_url(client)
    response = client.post("/meetings/calendar", follow_redirects=True)
    assert banners(response) == ["Your new calendar address is ready. The old one no longer works."]
    new = feed_url(client)
    assert new != old
    assert app.test_client().get(old).status_code == 404
    assert len(read_feed(app, new).walk("VEVENT")) == 1


def test_a_wrong_or_short_key_finds_no_calendar(app, client, login_as):
    login_as("board")
    client.post("/meetings/calendar")
    key = feed_url(client).split("key=", 1)[1]
    anonymous = app.test_client()
    for wrong in ("", key[:10], key[:-1], key[:-1] + ("A" if key[-1] != "A" else "B"), "x" * 43):
        assert anonymous.get(f"/meetings/calendar.ics?key={wrong}").status_code == 404, wrong
    assert anonymous.get("/meetings/calendar.ics").status_code == 404


@pytest.mark.parametrize("change", ["board role removed", "deactivated"])
def test_a_calendar_address_stops_when_its_holder_leaves_the_board(app, client, login_as, change):
    member = login_as("board")
    client.post("/meetings/calendar")
    url = feed_url(client)
    assert app.test_client().get(url).status_code == 200
    db.session.expire_all()
    if change == "deactivated":
        member.active = False
    else:
        member.set_roles(["officer"])
    db.session.commit()
    assert app.test_client().get(url).status_code == 404


def test_an_officer_has_no_calendar_page(app, client, login_as):
    officer = login_as("officer")
    assert client.get("/meetings/calendar").status_code == 403
    assert client.post("/meetings/calendar").status_code == 403
    db.session.expire_all()
    assert db.session.get(type(officer), officer.id).calendar_token is None
