"""When a camera is free for a period, and when it is next free for one of
a given length: the board's decision support (DESIGN.md sections 4 and 6),
worked by hand on a calendar."""

from datetime import date
from types import SimpleNamespace

import pytest

from cctv_requests.services.availability import CameraNow


def booking(start: date, end: date):
    return SimpleNamespace(approved_start=start, approved_end=end, reference=f"B-{start:%m%d}")


def camera_now(*bookings, status="in_service") -> CameraNow:
    return CameraNow(
        camera=SimpleNamespace(service_status=status),
        deployment=None,
        review_due=None,
        bookings=tuple(bookings),
    )


# One booking, 10 to 20 March 2027 (both days held).
MARCH = camera_now(booking(date(2027, 3, 10), date(2027, 3, 20)))


@pytest.mark.parametrize(
    "start,end,free",
    [
        (date(2027, 3, 1), date(2027, 3, 9), True),  # ends the day before it starts
        (date(2027, 3, 1), date(2027, 3, 10), False),  # ends on its first day
        (date(2027, 3, 20), date(2027, 3, 30), False),  # starts on its last day
        (date(2027, 3, 21), date(2027, 3, 30), True),  # starts the day after it ends
        (date(2027, 3, 12), date(2027, 3, 14), False),  # inside it
        (date(2027, 3, 1), date(2027, 3, 31), False),  # around it
    ],
)
def test_a_camera_is_free_for_a_period_that_does_not_touch_its_bookings(start, end, free):
    assert MARCH.free_for(start, end) is free


@pytest.mark.parametrize(
    "start,days,expected",
    [
        # 1 to 9 March is 9 days: it fits before the booking.
        (date(2027, 3, 1), 9, date(2027, 3, 1)),
        # 1 to 10 March is 10 days: its last day is the booking's first, so
        # the camera is next free for that long from 21 March.
        (date(2027, 3, 1), 10, date(2027, 3, 21)),
        # Starting inside the booking: the day after it ends.
        (date(2027, 3, 15), 1, date(2027, 3, 21)),
        # Starting on the booking's last day: still held that day.
        (date(2027, 3, 20), 3, date(2027, 3, 21)),
        # Starting the day after it ends: free at once.
        (date(2027, 3, 21), 30, date(2027, 3, 21)),
        # Long after it: the booking is no obstacle.
        (date(2027, 6, 1), 5, date(2027, 6, 1)),
    ],
)
def test_when_a_camera_is_next_free_for_a_period_of_a_given_length(start, days, expected):
    assert MARCH.next_free(start, days) == expected


def test_a_gap_too_short_between_two_bookings_is_passed_over():
    # Held 10 to 20 March and 25 to 31 March: the gap 21 to 24 March is four
    # days. Five days from 15 March fit only from 1 April.
    two = camera_now(
        booking(date(2027, 3, 10), date(2027, 3, 20)), booking(date(2027, 3, 25), date(2027, 3, 31))
    )
    assert two.next_free(date(2027, 3, 15), 5) == date(2027, 4, 1)
    # Four days fit in the gap.
    assert two.next_free(date(2027, 3, 15), 4) == date(2027, 3, 21)


def test_a_camera_out_of_service_is_never_free():
    faulty = camera_now(status="faulty")
    assert faulty.free_for(date(2027, 3, 1), date(2027, 3, 2)) is False
    assert faulty.next_free(date(2027, 3, 1), 1) is None
    assert camera_now().next_free(date(2027, 3, 1), 1) == date(2027, 3, 1)


@pytest.mark.parametrize(
    "start,weeks,expected",
    [
        # From the wanted start for the duration, as the approve form offers it.
        (date(2027, 3, 1), 12, (date(2027, 3, 1), date(2027, 5, 24))),
        # A request that has not said when, or for how long, asks for nothing yet.
        (None, 12, None),
        (date(2027, 3, 1), None, None),
        (None, None, None),
    ],
)
def test_the_period_a_request_asks_for(start, weeks, expected):
    from cctv_requests.services.availability import wanted_period

    asked = SimpleNamespace(wanted_start=start, duration_weeks=weeks)
    assert wanted_period(asked) == expected
