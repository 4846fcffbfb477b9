"""`congso storage sweep`: remove stored files that no row names, after a grace period (ADR 0141)."""

import datetime
import re

from django.core.management.base import BaseCommand, CommandError

from congso.core import sweep

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "": "hours"}


def parse_grace(value: str) -> datetime.timedelta:
    """``24h``, ``90m``, ``3600s``, ``2d`` or a number of hours (``0`` for none)."""
    match = _DURATION.match(value or "")
    if not match:
        raise CommandError(
            f"Thời gian chờ không hợp lệ: {value!r}. Ví dụ: 24h, 90m, 3600s, 2d, 0. (bad --grace)"
        )
    number, unit = match.groups()
    return datetime.timedelta(**{_UNIT[unit]: float(number)})


class Command(BaseCommand):
    help = (
        "Quản lý tệp lưu trữ: xoá tệp không còn bản ghi nào trỏ tới. "
        "Storage: remove stored files no row refers to."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep_parser = sub.add_parser("sweep", help="xoá tệp mồ côi cũ hơn thời gian chờ")
        sweep_parser.add_argument(
            "--grace",
            default="24h",
            help="chỉ xoá tệp cũ hơn chừng này (24h mặc định; 90m, 3600s, 2d, 0)",
        )
        sweep_parser.add_argument(
            "--dry-run", action="store_true", help="chỉ liệt kê tệp sẽ bị xoá, không xoá gì"
        )

    def handle(self, *args, action, grace, dry_run, verbosity=1, **options):
        result = sweep.sweep(grace=parse_grace(grace), dry_run=dry_run)
        names = result.orphans if dry_run else result.removed
        if verbosity >= 1:
            for name in names:
                self.stdout.write(f"{'sẽ xoá' if dry_run else 'đã xoá'}: {name}")
            for name in result.failed:
                self.stderr.write(f"không xoá được: {name}")
        verb = "sẽ xoá" if dry_run else "đã xoá"
        self.stdout.write(
            f"Quét tệp lưu trữ: {result.scanned} tệp, {result.referenced} đang dùng, "
            f"{result.young} chưa quá thời gian chờ, {len(result.orphans)} mồ côi, "
            f"{verb} {len(names)}. (scanned={result.scanned} referenced={result.referenced} "
            f"young={result.young} orphans={len(result.orphans)} removed={len(result.removed)} "
            f"failed={len(result.failed)} dry_run={dry_run})"
        )
        if result.failed:
            raise CommandError(f"Không xoá được {len(result.failed)} tệp. (failed to remove files)")
