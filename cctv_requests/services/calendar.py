"""The board's calendar: working days, the year's meetings and the feed.

Papers cut-off and agenda publication count working days: Monday to Friday
except the bank holidays of England and Wales, from the ``holidays``
package (DESIGN.md section 6). How many meetings a year, in which months and
on which weekday come from the district configuration.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import holidays
from flask import current_app
from icalendar import Calendar, Event

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")

# England and Wales share their bank holidays; the package knows them, and
# the one-off ones, by year.
_BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")


class CalendarConfigError(ValueError):
    pass


@dataclass(frozen=True)
class MeetingRules:
    per_year: int = 3
    months: tuple[int, ...] = (3, 7, 11)
    # 0 is Monday.
    weekday: int = 2
    cutoff_working_days: int = 10
    publish_clear_days: int = 5
    quorum: int = 3


def whole_setting(
    section: dict, key: str, default: int, low: int, high: int, *, table="meetings", error=None
) -> int:
    """A whole number from a table of the district file, within low..high."""
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise (error or CalendarConfigError)(f"{table}.{key} must be a whole number from {low} to {high}.")
    return value


_whole = whole_setting


def rules_from(config: dict) -> MeetingRules:
    """The meeting rules from a district configuration's ``[meetings]`` table."""
    section = config.get("meetings", {})
    per_year = _whole(section, "per_year", 3, 1, 12)
    months = section.get("months")
    if months is None:
        # Spread evenly through the year, starting in March.
        months = sorted((2 + round(i * 12 / per_year)) % 12 + 1 for i in range(per_year))
    if (
        not isinstance(months, list | tuple)
        or len(months) != per_year
        or len(set(months)) != len(months)
        or any(isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12 for m in months)
    ):
        raise CalendarConfigError("meetings.months must name a different month (1 to 12) for each meeting.")
    weekday = str(section.get("weekday", "wednesday")).lower()
    if weekday not in WEEKDAYS:
        raise CalendarConfigError("meetings.weekday must be a day from Monday to Friday.")
    return MeetingRules(
        per_year=per_year,
        months=tuple(months),
        weekday=WEEKDAYS.index(weekday),
        cutoff_working_days=_whole(section, "cutoff_working_days", 10, 1, 60),
        publish_clear_days=_whole(section, "publish_clear_days", 5, 0, 30),
        quorum=_whole(section, "quorum", 3, 1, 30),
    )


def rules() -> MeetingRules:
    return current_app.config["MEETING_RULES"]


def bank_holiday(day: date) -> str | None:
    """The name of the bank holiday on ``day`` in England and Wales, if any."""
    return _BANK_HOLIDAYS.get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _BANK_HOLIDAYS


def working_days_before(day: date, count: int) -> date:
    """The working day ``count`` working days before ``day``."""
    current = day
    while count:
        current -= timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def papers_cutoff(meets_on: date, rule: MeetingRules) -> date:
    """The last day for papers: ``cutoff_working_days`` working days before."""
    return working_days_before(meets_on, rule.cutoff_working_days)


def publication_day(meets_on: date, rule: MeetingRules) -> date:
    """The last working day that leaves ``publish_clear_days`` clear working
    days before the meeting: neither the day of publication nor the day of
    the meeting counts."""
    return working_days_before(meets_on, rule.publish_clear_days + 1)


def usual_day(year: int, month: int, rule: MeetingRules) -> date:
    """The first working day of the month that falls on the board's weekday
    (the first Wednesday, unless it is a bank holiday)."""
    day = date(year, month, 1)
    while day.weekday() != rule.weekday or not is_working_day(day):
        day += timedelta(days=1)
    return day


def feed(meetings, *, council_name: str, host: str) -> bytes:
    """An RFC 5545 calendar of ``meetings``: each an all-day event, cancelled
    ones marked so, and ``SEQUENCE`` raised whenever one moves."""
    cal = Calendar()
    cal.add("prodid", f"-//{council_name}//CCTV camera requests//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Community Safety Board meetings")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.meets_on)
        event.add("dtend", meeting.meets_on + timedelta(days=1))
        event.add("summary", f"Community Safety Board ({meeting.kind_label.lower()})")
        event.add("sequence", meeting.sequence)
        event.add("class", "CONFIDENTIAL")
        event.add(
            "description",
            f"Closed session. Papers cut-off {meeting.cutoff_on:%-d %B %Y}; "
            f"agenda published {meeting.publish_on:%-d %B %Y}.",
        )
        event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
