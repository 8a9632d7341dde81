"""Deadlines on the mainland calendar, including make-up working days."""

from datetime import datetime, timedelta, timezone

import pytest

from pipeline.deadlines import WorkingCalendar, deadlines_for
from pipeline.settings import CalendarSettings

CST = timezone(timedelta(hours=8))


def due(level, received, **calendar):
    cal = WorkingCalendar(CalendarSettings(**calendar))
    return {clock.name: moment for clock, moment in deadlines_for(level, received, cal)}


def test_level_one_clocks_run_on_the_wall_clock():
    received = datetime(2026, 12, 4, 23, 0, tzinfo=CST)
    clocks = due(1, received)
    assert clocks["execution_response"] == received + timedelta(hours=24)
    assert clocks["written_solution"] == received + timedelta(hours=48)


def test_review_report_after_national_day_lands_on_make_up_saturday():
    clocks = due(2, datetime(2026, 9, 30, 21, 0, tzinfo=CST))
    assert clocks["review_report"] == datetime(2026, 10, 10, 18, 0, tzinfo=CST)
    assert clocks["leadership_informed"] == datetime(2026, 9, 30, 23, 0, tzinfo=CST)


def test_review_report_skips_spring_festival_2026():
    # Spring Festival 2026: 15-23 February off, 14 and 28 February worked.
    clocks = due(2, datetime(2026, 2, 13, 10, 0, tzinfo=CST))
    # Working days after Friday 13th: Sat 14 (make-up), Tue 24, Wed 25.
    assert clocks["review_report"] == datetime(2026, 2, 25, 18, 0, tzinfo=CST)


def test_year_without_statutory_data_falls_back_to_weekdays(caplog):
    clocks = due(2, datetime(2026, 12, 31, 9, 0, tzinfo=CST),
                 extra_holidays=["2027-01-01"])
    # 1 Jan 2027 is a configured holiday, then Mon 4 - Wed 6 January.
    assert clocks["review_report"] == datetime(2027, 1, 6, 18, 0, tzinfo=CST)


@pytest.mark.parametrize("level, names", [
    (1, {"to_execution", "execution_response", "written_solution"}),
    (2, {"to_execution", "leadership_informed", "internal_review_start",
         "review_report"}),
    (3, {"to_execution", "emergency_meeting"}),
])
def test_each_level_has_the_plans_clocks(level, names):
    assert set(due(level, datetime(2026, 12, 1, 9, 0, tzinfo=CST))) == names
