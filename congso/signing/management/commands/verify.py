"""congso verify FILE — print the verification report; exit 1 when any signature fails."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congso.signing.verify import verify_pdf


class Command(BaseCommand):
    help = "Xác thực chữ ký số trong tệp PDF. Verify the signatures of a PDF (exit code 1 if any fails)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args, file, json: bool = False, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {file}: {exc.strerror}") from exc
        report = verify_pdf(data)
        if json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            self.stdout.write(f"Tệp: {path.name}")
            self.stdout.write(f"SHA-256: {report.sha256}")
            for i, sig in enumerate(report.signatures, 1):
                mark = "HỢP LỆ" if sig.ok else "KHÔNG HỢP LỆ"
                self.stdout.write(f"\nChữ ký {i} ({sig.field_name}): {mark}")
                self.stdout.write(f"  Người ký: {sig.signer_name} — {sig.signer_organisation}")
                self.stdout.write(f"  Thời điểm ký: {sig.signing_time_iso or 'không rõ'}")
                if sig.has_timestamp:
                    self.stdout.write(f"  Dấu thời gian: {sig.timestamp_time_iso}")
                self.stdout.write(f"  Mức: {sig.level}")
                self.stdout.write(f"  Toàn vẹn: {sig.integrity_text}")
                self.stdout.write(f"  Tin cậy: {sig.trust_text}")
                if sig.chain:
                    self.stdout.write(f"  Chuỗi: {' → '.join(sig.chain)}")
            self.stdout.write("")
            self.stdout.write(report.summary)
        if not report.ok:
            raise SystemExit(1)


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
