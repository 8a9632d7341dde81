"""The plan's clocks for each level, on the mainland-China working calendar.

Hour-based clocks run on the wall clock.  "N working days" ends at close of
business on the Nth working day after the day of receipt, where working days
come from chinese_calendar (statutory holidays and make-up working days,
调休) plus the firm's own additions for years the library does not know yet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from pipeline.settings import CalendarSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Clock:
    name: str
    label: str
    audience: str
    hours: float = 0.0
    working_days: int = 0


PLAN: dict[int, tuple[Clock, ...]] = {
    1: (
        Clock("to_execution", "送达应急执行小组（首问负责制）", "execution", hours=0.5),
        Clock("execution_response", "应急执行小组响应", "execution", hours=24),
        Clock("written_solution", "书面解决方案", "execution", hours=48),
    ),
    2: (
        Clock("to_execution", "送达应急执行小组（首问负责制）", "execution", hours=0.5),
        Clock("leadership_informed", "应急领导小组知悉", "leadership", hours=2),
        Clock("internal_review_start", "启动内部复核（调阅底稿、访谈）", "execution",
              hours=8),
        Clock("review_report", "内部复核报告", "execution", working_days=3),
    ),
    3: (
        Clock("to_execution", "送达应急执行小组（首问负责制）", "execution", hours=0.5),
        Clock("emergency_meeting", "应急领导小组紧急会议", "leadership", hours=0.5),
    ),
}


class WorkingCalendar:
    """Working days from chinese_calendar, with configured additions."""

    def __init__(self, settings: CalendarSettings, tz: str = "Asia/Shanghai") -> None:
        self.zone = ZoneInfo(tz)
        hour, minute = (int(part) for part in settings.close_of_business.split(":"))
        self.close = time(hour, minute)
        self.holidays = {date.fromisoformat(d) for d in settings.extra_holidays}
        self.workdays = {date.fromisoformat(d) for d in settings.extra_workdays}
        self._warned: set[int] = set()

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year not in self._warned:
                self._warned.add(day.year)
                log.warning(
                    "no statutory calendar for %s: using Monday-Friday; add its "
                    "holidays and make-up days to [calendar] in the configuration",
                    day.year,
                )
            return day.weekday() < 5

    def add_working_days(self, received: datetime, days: int) -> datetime:
        """Close of business on the `days`-th working day after receipt."""
        day = received.astimezone(self.zone).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            counted += self.is_workday(day)
        return datetime.combine(day, self.close, tzinfo=self.zone)


def deadlines_for(
    level: int, received: datetime, calendar: WorkingCalendar
) -> list[tuple[Clock, datetime]]:
    """Every clock of `level` with its due time."""
    due = []
    for clock in PLAN[level]:
        if clock.working_days:
            moment = calendar.add_working_days(received, clock.working_days)
        else:
            moment = received + timedelta(hours=clock.hours)
        due.append((clock, moment))
    return due
