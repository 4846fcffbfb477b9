"""Demo exchange: documents between the province's People's Committee and the ward of Pleiku, sent
through an in-process hub (so ``make demo`` needs no hub running), with statuses, a forged packet refused,
and a report the hub did not take (waiting to be retried)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from congso.directory import demo_codes as dc
from congso.directory.models import Agency

from . import edxml, services, testing
from .models import OutgoingPacket


def load(out):
    province = Agency.objects.filter(code=dc.PROVINCE_PC).first()
    ward = Agency.objects.filter(code=dc.commune_pc("23575")).first()
    admin = get_user_model().objects.filter(username="quantri.hethong").first()
    if not (province and ward and admin):
        out.write("  Liên thông văn bản: bỏ qua (thiếu dữ liệu trình diễn).\n")
        return []
    if OutgoingPacket.objects.filter(sender=province).exists():
        return []
    province_seal, _ = testing.seal_for(province), testing.seal_for(ward)
    pdf = testing.signed_pdf(province_seal)
    with testing.running_hub() as (hub, url), override_settings(CONGSO_EXCHANGE_HUB_URL=url):
        decision = testing.sample_packet(province, ward, pdf=pdf, number="215")
        decision.subject = "Về việc giao chỉ tiêu chuyển đổi số năm 2027 cho các xã, phường"
        decision.due_date = dt.date.today() + dt.timedelta(days=14)
        row = services.send_packet(sender=province, packet=decision, actor=admin)
        services.deliver(row.pk)
        urgent = testing.sample_packet(
            province,
            ward,
            number="1234",
            code_notation="UBND-NC",
            type_name="Công văn",
            document_type="0",
            subject="Về việc triển khai phương án ứng phó bão số 13",
            priority=3,
        )
        services.deliver(services.send_packet(sender=province, packet=urgent, actor=admin).pk)
        hub.faults["forge"] = 1
        forged = testing.sample_packet(province, ward, number="216", subject="Về việc điều chỉnh dự toán")
        services.deliver(services.send_packet(sender=province, packet=forged, actor=admin).pk)
        received = {p.code: p for p, result, _ in services.receive(ward) if result == "accepted"}
        decision_in = received.get("215/QĐ-UBND")
        if decision_in is not None:
            services.report_status(
                decision_in, "04", actor=admin, description="Giao Phòng Văn hóa - Xã hội chủ trì"
            )
            services.report_status(decision_in, "06", actor=admin, description="Đã triển khai xong")
        urgent_in = received.get("1234/UBND-NC")
        if urgent_in is not None:
            services.report_status(urgent_in, "05", actor=admin)
        for status in OutgoingPacket.objects.filter(sender=ward, state=OutgoingPacket.State.QUEUED).order_by(
            "pk"
        ):
            services.deliver(status.pk)
        services.receive(province)
        hub.faults["down"] = True
        report = edxml.Packet(
            sender=services.organ_for(ward),
            recipients=[services.organ_for(province)],
            code_number="45",
            code_notation="BC-UBND",
            promulgation_date=dt.date.today(),
            type_name="Báo cáo",
            subject="Báo cáo kết quả chuyển đổi số quý IV năm 2026",
        )
        services.deliver(services.send_packet(sender=ward, packet=report, actor=admin).pk)
    out.write(
        f"  Liên thông văn bản: {OutgoingPacket.objects.count()} gói tin đi, trục thử nghiệm: "
        f"congso exchange_hub (cổng {settings.CONGSO_EXCHANGE_HUB_PORT}); trang /lien-thong-van-ban/ (vanthu.pleiku).\n"
    )
    return []
