"""`congso scorecard rebuild` recomputes the facts from the records; `congso scorecard check` compares
them with a recomputation without writing (exit status 1 when they differ)."""

import sys

from django.core.management.base import BaseCommand

from congso.scorecard import facts


class Command(BaseCommand):
    help = "Chỉ số phục vụ: tính lại bảng số liệu từ hồ sơ; kiểm tra số liệu. Scorecard facts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="tính lại toàn bộ số liệu từ hồ sơ (một giao dịch)")
        rebuild.add_argument("--chunk", type=int, default=2000)
        sub.add_parser("check", help="so sánh số liệu đang có với số liệu tính lại (không ghi)")

    def handle(self, *args, action, **options):
        if action == "rebuild":
            result = facts.rebuild(chunk=options["chunk"])
            self.stdout.write(
                f"Đã tính lại số liệu của {result['dossiers']} hồ sơ ({result['days']} dòng theo ngày, "
                f"{result['months']} dòng theo tháng). (rebuilt {result['dossiers']} dossiers, "
                f"{result['days']} daily rows, {result['months']} monthly rows)"
            )
            return
        kept, expected = facts.snapshot(), facts.expected_snapshot()
        if kept == expected:
            rows = sum(len(t) for t in kept.values())
            self.stdout.write(f"Số liệu khớp ({rows} dòng). (facts match)")
            return
        differing = sorted(
            (table, key)
            for table in kept
            for key in set(kept[table]) ^ set(expected[table])
            | {k for k in kept[table] if k in expected[table] and kept[table][k] != expected[table][k]}
        )
        self.stdout.write(f"Số liệu lệch ở {len(differing)} dòng. (facts differ) {differing[:10]}")
        sys.exit(1)
