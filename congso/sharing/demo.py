"""Demo data of data-sharing agreements: the provincial Social Insurance reads population data to verify
applicants, under an agreement the system administrator recorded; a few real reads through the API
(two allowed look-ups of congdan.an, one refused business look-up) so congdan.an sees them at
"Ai đã đọc dữ liệu của tôi". Idempotent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from congso.accounts.models import CitizenProfile
from congso.directory import demo_codes as codes
from congso.directory.models import AdministrativeUnit

from . import services
from .models import Agreement, DataRead
from .testing import api_client, bearer, social_insurance

NUMBER = "18/2026/TTCS-BHXH-UBND"


def load(out):
    User = get_user_model()
    admin = User.objects.filter(username="quantri.hethong").first()
    citizen = User.objects.filter(username="congdan.an").first()
    if admin is None or citizen is None:
        out.write("  Chia sẻ dữ liệu: thiếu tài khoản demo quantri.hethong hoặc congdan.an, bỏ qua.")
        return []
    province = AdministrativeUnit.objects.filter(code=codes.PROVINCE_UNIT).order_by("-valid_from").first()
    agency = social_insurance(province)
    application = api_client()
    agreement = Agreement.objects.filter(agency=agency, number=NUMBER).first()
    if agreement is None:
        today = timezone.localdate()
        agreement = services.create_agreement(
            admin,
            application=application,
            agency=agency,
            number=NUMBER,
            scopes=["registry.population"],
            purpose="Xác minh nhân thân người tham gia bảo hiểm xã hội, bảo hiểm y tế khi đăng ký, cấp lại thẻ",
            legal_basis="Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân; Thỏa thuận số 18/2026 giữa "
            "UBND tỉnh Gia Lai và Bảo hiểm xã hội tỉnh",
            valid_from=today - datetime.timedelta(days=30),
            valid_until=today + datetime.timedelta(days=700),
        )
    if not DataRead.objects.filter(agreement=agreement, subject=citizen).exists():
        cccd = CitizenProfile.objects.filter(user=citizen).values_list("cccd", flat=True).first()
        host = next(
            (h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"), "localhost"
        )
        client = Client(HTTP_HOST=host)
        headers = bearer(application)
        for _ in range(2):
            client.post(
                "/api/v1/datastore/registries/population/lookup",
                {"cccd": cccd},
                content_type="application/json",
                headers=headers,
            )
        # beyond the agreement: refused (403) and recorded
        client.post(
            "/api/v1/datastore/registries/business/lookup",
            {"tax_code": "5901234563"},
            content_type="application/json",
            headers=headers,
        )
    reads = DataRead.objects.filter(agreement=agreement)
    out.write(
        f"  Chia sẻ dữ liệu: thỏa thuận {NUMBER} ({agency.name}), {reads.count()} lượt đọc ghi nhận "
        f"({reads.exclude(outcome=DataRead.Outcome.ALLOWED).count()} bị từ chối); congdan.an xem tại "
        "/chia-se-du-lieu/du-lieu-cua-toi-da-duoc-doc/, quantri.hethong quản lý tại /chia-se-du-lieu/thoa-thuan/."
    )
    return []
