"""congso import_pkcs12 FILE --label … --kind seal|personal (--agency CODE | --user USERNAME)

Imports a PKCS#12 key on the server; the passphrase is read from the terminal (or
CONGSO_PKCS12_PASSPHRASE) and stored encrypted, never in clear.
"""

import getpass
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from congso.directory.selectors import agency_by_code
from congso.signing.crypto import KeyMaterialError
from congso.signing.keystore import SigningError
from congso.signing.services import import_pkcs12


class Command(BaseCommand):
    help = "Nhập khoá ký số từ tệp PKCS#12. Import a PKCS#12 signing key."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--label", required=True)
        parser.add_argument("--kind", choices=["seal", "personal"], required=True)
        parser.add_argument("--agency", help="mã định danh điện tử của cơ quan")
        parser.add_argument("--user", help="tên đăng nhập của cán bộ (chữ ký cá nhân)")
        parser.add_argument("--position", default="")

    def handle(self, *args, file, label, kind, agency=None, user=None, position="", **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {file}: {exc.strerror}") from exc
        agency_obj = agency_by_code(agency)
        if agency and agency_obj is None:
            raise CommandError(f"Không có cơ quan mã {agency}.")
        user_obj = get_user_model().objects.filter(username=user).first() if user else None
        if user and user_obj is None:
            raise CommandError(f"Không có tài khoản {user}.")
        passphrase = os.environ.get("CONGSO_PKCS12_PASSPHRASE") or getpass.getpass("Mật khẩu tệp PKCS#12: ")
        try:
            key = import_pkcs12(
                data,
                passphrase,
                label=label,
                kind=kind,
                actor=None,
                user=user_obj,
                agency=agency_obj,
                position=position,
                as_system=True,
            )
        except (KeyMaterialError, SigningError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập khoá “{key.label}” ({key.subject}), hết hạn {key.not_after:%d/%m/%Y}."
            )
        )
