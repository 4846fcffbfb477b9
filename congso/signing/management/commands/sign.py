"""congso sign FILE --key LABEL — sign a PDF on the server (a trusted operator's command)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congso.signing.keystore import SigningError
from congso.signing.models import SigningKey
from congso.signing.pdfsign import PdfInputError
from congso.signing.services import sign_pdf


class Command(BaseCommand):
    help = "Ký số tệp PDF bằng một khoá đã đăng ký. Sign a PDF with a registered key."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--key", required=True, help="tên gọi (label) của khoá ký số")
        parser.add_argument("--output", "-o", help="tệp kết quả (mặc định: <tên>-signed.pdf)")
        parser.add_argument("--pin", help="mã PIN của token (PKCS#11), nếu cần")
        parser.add_argument("--reason", default="", help="lý do ký")

    def handle(self, *args, file, key, output=None, pin=None, reason="", **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {file}: {exc.strerror}") from exc
        signing_key = SigningKey.objects.select_related("agency").filter(label=key).first()
        if signing_key is None:
            raise CommandError(f"Không có khoá ký số mang tên “{key}”.")
        try:
            result = sign_pdf(data, signing_key, actor=None, pin=pin, reason=reason, as_system=True)
        except (PdfInputError, SigningError) as exc:
            raise CommandError(str(exc)) from exc
        out = Path(output) if output else path.with_name(f"{path.stem}-signed.pdf")
        out.write_bytes(result.data)
        self.stdout.write(
            self.style.SUCCESS(f"Đã ký: {out} ({result.record.level}, trường {result.record.field_name})")
        )
