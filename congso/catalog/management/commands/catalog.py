"""congso catalog import [--jobs N] PATH…   |   congso catalog export OUT [--format json|xlsx] [--code …]
congso catalog consistency EXPORT…  (compare with a national catalogue export, keep the report)

``import`` exits with status 1 when any record failed (after importing the others and printing the
counts and every failure), 0 when all were imported."""

import time

from django.core.management.base import BaseCommand, CommandError

from congso.catalog import consistency, services
from congso.catalog.exporter import export
from congso.catalog.parallel_import import ParallelImportError, default_jobs, import_paths
from congso.catalog.selectors import consistency_rate
from congso.core.errors import ServiceError


class Command(BaseCommand):
    help = "Nhập, xuất danh mục thủ tục hành chính. Import or export the procedure catalogue."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="nhập hồ sơ chi tiết (JSON) và danh sách (Excel) của Cổng DVC quốc gia"
        )
        imp.add_argument("paths", nargs="+", help="tệp .json, .xlsx hoặc thư mục")
        imp.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="số tiến trình nhập song song (mặc định: số nhân CPU, tối đa 4; 1 = tuần tự; "
            "chỉ với PostgreSQL)",
        )
        exp = sub.add_parser("export", help="xuất danh mục ra thư mục JSON, tệp JSON hoặc tệp Excel")
        exp.add_argument("out", help="thư mục (JSON từng thủ tục), tệp .json hoặc tệp .xlsx")
        exp.add_argument("--format", choices=["json", "xlsx"], default=None)
        exp.add_argument("--code", action="append", default=[], help="chỉ xuất các mã này")
        con = sub.add_parser(
            "consistency", help="đối chiếu danh mục địa phương với bản xuất danh mục quốc gia (JSON)"
        )
        con.add_argument("paths", nargs="+", help="tệp .json hoặc thư mục bản ghi của Cổng DVC quốc gia")

    def handle(self, *args, action, **options):
        if action == "import":
            return self.do_import(options["paths"], options["jobs"])
        if action == "consistency":
            return self.do_consistency(options["paths"])
        return self.do_export(options["out"], options["format"], options["code"])

    def do_import(self, paths, jobs):

        if jobs is not None and jobs < 1:
            raise CommandError("--jobs phải là số nguyên dương.")
        started = time.monotonic()
        try:
            report = import_paths(paths, jobs=default_jobs() if jobs is None else jobs)
        except ParallelImportError as exc:
            raise CommandError(f"Nhập song song thất bại: {exc}") from exc
        for source, reason in report.failures:
            self.stderr.write(f"LỖI {source}: {reason}")
        self.stdout.write(
            f"Tạo mới: {report.created}  Cập nhật: {report.updated}  Không đổi: {report.unchanged}  "
            f"Lỗi: {report.failed}  ({time.monotonic() - started:.1f} giây)"
        )
        if report.failed:
            # the good records are imported; the exit status tells scripts and schedulers that some were not
            raise CommandError(
                f"{report.failed} bản ghi không nhập được (xem danh sách LỖI ở trên).", returncode=1
            )

    def do_export(self, out, fmt, codes):
        try:
            count = export(out, fmt=fmt, codes=codes)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã xuất {count} thủ tục vào {out}")

    def do_consistency(self, paths):
        records, failures = consistency.read_paths(paths)
        try:
            report = services.run_consistency_report(None, records, failures, source=" ".join(paths))
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        rate = consistency_rate(report)
        for source, reason in report.failures:
            self.stderr.write(f"LỖI {source}: {reason}")
        for d in report.differences.select_related("agency").order_by("code", "kind"):
            where = f" [{d.agency.code}]" if d.agency_id else ""
            detail = " → ".join(x for x in (d.national, d.local) if x)
            self.stdout.write(f"{d.code}{where}  {d.get_kind_display()}  {detail}")
        self.stdout.write(
            f"Báo cáo #{report.pk}: đối chiếu {report.checked} thủ tục, {rate.differing} có khác biệt, "
            f"tỷ lệ nhất quán {rate.percent if rate.percent is not None else '—'}%"
        )
