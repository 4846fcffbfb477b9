"""`congso calendar`: check a deadline or list the days off, on the working-day calendar.

congso calendar due "2027-02-03 09:00" 3                 # 3 working days
congso calendar due "2027-02-03 09:00" 4 --hours         # 4 working hours
congso calendar due "2027-02-03 09:00" 3 --province 52   # that province's days off and hours
congso calendar due "2027-02-03 09:00" 3 --pause "2027-02-11 08:00" "2027-02-12 08:00"
congso calendar days 2027 [--province 52]                # days that differ from Monday–Friday
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from congso.calendar import engine

WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def describe(moment: dt.datetime) -> str:
    return f"{moment:%H:%M} {WEEKDAYS[moment.weekday()]} {moment:%d/%m/%Y}"


class Command(BaseCommand):
    help = "Lịch ngày làm việc: tính hạn giải quyết, liệt kê ngày nghỉ. Working-day calendar."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="hạn giải quyết cho N ngày (hoặc giờ) làm việc kể từ START")
        due.add_argument("start", help='thời điểm tiếp nhận, ví dụ "2027-02-03 09:00"')
        due.add_argument("amount", help="số ngày làm việc (hoặc số giờ với --hours)")
        due.add_argument("--hours", action="store_true", help="thời hạn tính bằng giờ làm việc")
        due.add_argument("--province", help="mã tỉnh, thành phố (ví dụ 52); mặc định: lịch chung cả nước")
        due.add_argument(
            "--pause",
            nargs=2,
            action="append",
            default=[],
            metavar=("FROM", "TO"),
            help='tạm dừng (yêu cầu bổ sung); TO là "-" nếu công dân chưa bổ sung',
        )
        days = sub.add_parser("days", help="các ngày nghỉ, ngày làm bù của một năm")
        days.add_argument("year", type=int)
        days.add_argument("--province", help="mã tỉnh, thành phố")

    def handle(self, *args, action, **options):
        try:
            if action == "due":
                self._due(**options)
            else:
                self._days(**options)
        except engine.CalendarError as exc:
            raise CommandError(str(exc)) from None

    def _due(self, start, amount, hours, province, pause, **options):
        received = engine.parse_moment(start)
        allowance = engine.hours(amount) if hours else engine.days(amount)
        pauses = [
            (engine.parse_moment(a), None if b.strip() == "-" else engine.parse_moment(b)) for a, b in pause
        ]
        cal = engine.get_calendar(province)
        effective = cal.effective_start(received)
        due = cal.due_at(received, allowance, pauses)
        self.stdout.write(f"Tiếp nhận: {describe(cal.local(received))}")
        self.stdout.write(f"Bắt đầu tính: {describe(effective)}")
        self.stdout.write(f"Thời hạn: {allowance}")
        if due is None:
            self.stdout.write("Hạn giải quyết: chưa xác định — đang tạm dừng chờ công dân bổ sung hồ sơ.")
            self.stdout.write("due: paused")
            return
        self.stdout.write(self.style.SUCCESS(f"Hạn giải quyết: {describe(due)}"))
        self.stdout.write(f"due: {due.isoformat()}")

    def _days(self, year, province, **options):
        cal = engine.get_calendar(province)
        for day, (working, reason) in sorted(cal.day_notes(year).items()):
            if working == (day.weekday() < 5):
                continue  # e.g. a holiday on a Sunday: nothing changes
            word = "làm việc" if working else "nghỉ"
            self.stdout.write(f"{day:%Y-%m-%d} {WEEKDAYS[day.weekday()]:<9} {word:<9} {reason}")
