"""Back-office pages: inbox, dossier page, actions by plain form posts, counter intake, file preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.catalog.models import Offering
from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Attachment, Channel, Dossier, DossierCodeSequence, Status, TimelineEntry
from congso.dossiers.services import intake
from congso.dossiers.testing import advance

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering(agencies, procedure_version):
    return Offering.objects.create(agency=agencies["ward"], procedure=procedure_version.procedure)


@pytest.fixture
def received(staff, agencies, procedure_version, applicant):
    return services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
        uploads=[services.Upload("Tờ khai đăng ký khai sinh", pdf(), "to-khai.pdf")],
    )


def test_inbox_lists_the_officers_work(client, staff, received):
    login_verified(client, staff["officer"])
    html = client.get("/mot-cua/?box=handle").content.decode()
    assert received.code in html and "Chờ xử lý" in html and "Trong hạn" in html


def test_inbox_hidden_from_citizens(client, citizen):
    login_verified(client, citizen)
    assert client.get("/mot-cua/").status_code == 404


def test_dossier_page_shows_clock_timeline_and_actions(client, staff, received):
    login_verified(client, staff["officer"])
    html = client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()
    assert "Tình trạng và thời hạn" in html and "Diễn biến xử lý" in html
    assert "Chuyển bước xử lý" in html and "Yêu cầu bổ sung, hoàn thiện hồ sơ" in html
    assert "Tiếp nhận hồ sơ</strong>" in html


def test_dossier_page_hidden_from_other_agency(client, staff, received):
    login_verified(client, staff["other_clerk"])
    assert client.get(f"/mot-cua/ho-so/{received.code}/").status_code == 404


def test_action_by_form_post_and_error_message(client, staff, received):
    login_verified(client, staff["officer"])
    url = f"/mot-cua/ho-so/{received.code}/thao-tac"
    response = client.post(
        f"{url}/request_supplement/", {"expected_version": received.version, "reason": ""}, follow=True
    )
    assert "Chọn ít nhất một giấy tờ cần bổ sung hoặc ghi lý do." in response.content.decode()
    assert Dossier.objects.get(pk=received.pk).status == Status.ACCEPTED
    response = client.post(
        f"{url}/forward/", {"expected_version": received.version, "note": "Đủ"}, follow=True
    )
    assert "Đã thực hiện: Chuyển bước xử lý." in response.content.decode()
    stale = client.post(f"{url}/forward/", {"expected_version": received.version}, follow=True)
    assert "vừa được người khác cập nhật" in stale.content.decode()


def test_attachment_preview_inline_and_protected(client, staff, received):
    attachment = received.attachments.get()
    login_verified(client, staff["officer"])
    response = client.get(f"/mot-cua/ho-so/{received.code}/tep/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    login_verified(client, staff["other_clerk"])
    assert client.get(f"/mot-cua/ho-so/{received.code}/tep/{attachment.pk}/").status_code == 404


def test_counter_intake_accepts_complete_dossier(client, staff, offering):
    login_verified(client, staff["clerk"])
    assert "Đăng ký khai sinh" in client.get("/mot-cua/tiep-nhan/").content.decode()
    form = client.get(f"/mot-cua/tiep-nhan/?offering={offering.pk}").content.decode()
    assert "Tờ khai đăng ký khai sinh" in form and "Giấy chứng sinh" in form
    response = client.post(
        f"/mot-cua/tiep-nhan/?offering={offering.pk}",
        {
            "offering": offering.pk,
            "channel": 1,
            "applicant_name": "Hoàng Thị Lan",
            "applicant_phone": "0988777666",
            "file_0": SimpleUploadedFile("to-khai.pdf", pdf()),
            "checked_1": "on",
            "decision": "accept",
        },
        follow=True,
    )
    d = Dossier.objects.get()
    assert d.status == Status.ACCEPTED and d.channel == Channel.IN_PERSON
    assert f"Đã tiếp nhận hồ sơ {d.code}" in response.content.decode()


def test_counter_intake_incomplete_goes_to_supplement(client, staff, offering):
    login_verified(client, staff["clerk"])
    client.post(
        f"/mot-cua/tiep-nhan/?offering={offering.pk}",
        {
            "offering": offering.pk,
            "channel": 3,
            "applicant_name": "Hoàng Thị Lan",
            "decision": "accept",
            "file_0": SimpleUploadedFile("to-khai.pdf", pdf()),
        },
    )
    d = Dossier.objects.get()
    assert d.status == Status.SUPPLEMENT and d.channel == Channel.POST
    assert "Giấy chứng sinh" in d.timeline.last().note


def test_counter_intake_bad_file_shows_error_and_writes_nothing(client, staff, offering):
    login_verified(client, staff["clerk"])
    response = client.post(
        f"/mot-cua/tiep-nhan/?offering={offering.pk}",
        {
            "offering": offering.pk,
            "channel": 1,
            "applicant_name": "Hoàng Thị Lan",
            "decision": "accept",
            "file_0": SimpleUploadedFile("to-khai.pdf", b"plain text pretending"),
        },
    )
    assert response.status_code == 200 and "Có lỗi cần sửa" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_counter_intake_needs_clerk_role(client, staff, offering):
    login_verified(client, staff["officer"])
    assert client.get("/mot-cua/tiep-nhan/").status_code == 404


def test_reports_page_for_clerk_not_officer(client, staff, received):
    login_verified(client, staff["clerk"])
    html = client.get("/mot-cua/bao-cao/?group_by=procedure").content.decode()
    assert "Thủ tục đăng ký khai sinh" in html and "Tải sổ theo dõi hồ sơ" in html
    assert client.get("/mot-cua/bao-cao/?start=hom-qua").status_code == 200  # bad date: message, no 500
    login_verified(client, staff["officer"])
    assert client.get("/mot-cua/bao-cao/").status_code == 404


def test_attach_action_stores_a_working_document(client, staff, received):
    login_verified(client, staff["officer"])
    html = client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()
    assert f"/mot-cua/ho-so/{received.code}/thao-tac/attach/" in html
    response = client.post(
        f"/mot-cua/ho-so/{received.code}/thao-tac/attach/",
        {
            "expected_version": received.version,
            "note": "Biên bản xác minh tại tổ dân phố",
            "file": SimpleUploadedFile("bien-ban.pdf", pdf()),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã thực hiện: Đính kèm văn bản xử lý." in response.content.decode()
    d = Dossier.objects.get(pk=received.pk)
    working = d.attachments.get(purpose="working")
    assert working.original_name == "bien-ban.pdf" and working.timeline_entry.action == "attach"
    assert working.timeline_entry.note == "Biên bản xác minh tại tổ dân phố"


def test_attach_action_refuses_a_missing_or_fake_file(client, staff, received):
    login_verified(client, staff["officer"])
    url = f"/mot-cua/ho-so/{received.code}/thao-tac/attach/"
    empty = client.post(url, {"expected_version": received.version}, follow=True)
    assert empty.status_code == 200 and "Lỗi:" in empty.content.decode()
    fake = client.post(
        url,
        {"expected_version": received.version, "file": SimpleUploadedFile("x.pdf", b"not a pdf")},
        follow=True,
    )
    assert fake.status_code == 200 and "Lỗi:" in fake.content.decode()
    assert not Dossier.objects.get(pk=received.pk).attachments.filter(purpose="working").exists()


def test_attach_action_forbidden_to_other_agency(client, staff, received):
    login_verified(client, staff["other_clerk"])
    response = client.post(
        f"/mot-cua/ho-so/{received.code}/thao-tac/attach/",
        {"expected_version": received.version, "file": SimpleUploadedFile("x.pdf", pdf())},
    )
    assert response.status_code == 404


def _intake_post(offering, **extra):
    return {
        "offering": offering.pk,
        "channel": 1,
        "applicant_name": "Hoàng Thị Lan",
        "applicant_phone": "0988777666",
        "file_0": SimpleUploadedFile("to-khai.pdf", pdf()),
        "file_1": SimpleUploadedFile("giay-chung-sinh.pdf", pdf()),
        **extra,
    }


def test_counter_refusal_without_reason_writes_nothing_and_a_retry_makes_one(client, staff, offering):
    login_verified(client, staff["clerk"])
    audits = AuditEntry.objects.count()
    url = f"/mot-cua/tiep-nhan/?offering={offering.pk}"
    response = client.post(url, _intake_post(offering, decision="refuse", note="  "))
    assert response.status_code == 200
    assert "Từ chối tiếp nhận phải ghi rõ lý do" in response.content.decode()
    assert Dossier.objects.count() == 0 and TimelineEntry.objects.count() == 0
    assert Attachment.objects.count() == 0 and not DossierCodeSequence.objects.exists()
    assert AuditEntry.objects.count() == audits
    retry = client.post(
        url,
        _intake_post(offering, decision="refuse", note="Người nộp không phải cha, mẹ của trẻ"),
        follow=True,
    )
    d = Dossier.objects.get()
    assert d.status == Status.NOT_ACCEPTED and d.code.endswith("-0001")
    assert d.timeline.last().note == "Người nộp không phải cha, mẹ của trẻ"
    assert f"Đã từ chối tiếp nhận hồ sơ {d.code}" in retry.content.decode()


def test_counter_intake_failing_decision_rolls_the_receipt_back(
    client, staff, offering, monkeypatch, settings
):

    def broken(*args, **kwargs):
        raise ServiceError("Hệ thống tạm thời không ghi được yêu cầu bổ sung.")

    monkeypatch.setattr(intake, "request_supplement", broken)  # what receive_at_counter calls
    login_verified(client, staff["clerk"])
    url = f"/mot-cua/tiep-nhan/?offering={offering.pk}"
    response = client.post(url, _intake_post(offering, decision="supplement", note="Thiếu bản sao"))
    assert "Hệ thống tạm thời không ghi được yêu cầu bổ sung." in response.content.decode()
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not [p for p in media.rglob("*") if p.is_file()]  # the files written for it were removed
    monkeypatch.undo()
    login_verified(client, staff["clerk"])
    client.post(url, _intake_post(offering, decision="supplement", note="Thiếu bản sao"))
    d = Dossier.objects.get()
    assert d.status == Status.SUPPLEMENT and d.code.endswith("-0001")


def test_request_supplement_lists_exactly_what_is_missing(client, staff, citizen, received):
    login_verified(client, staff["officer"])
    page = client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()
    assert 'name="missing" value="Giấy chứng sinh"' in page
    response = client.post(
        f"/mot-cua/ho-so/{received.code}/thao-tac/request_supplement/",
        {
            "expected_version": received.version,
            "missing": ["Giấy chứng sinh"],
            "missing_other": "Bản sao giấy đăng ký kết hôn của cha mẹ\n\n",
        },
        follow=True,
    )
    assert "Đã thực hiện: Yêu cầu bổ sung, hoàn thiện hồ sơ." in response.content.decode()
    d = Dossier.objects.get(pk=received.pk)
    entry = d.timeline.last()
    assert d.status == Status.SUPPLEMENT
    assert entry.data["missing"] == ["Giấy chứng sinh", "Bản sao giấy đăng ký kết hôn của cha mẹ"]
    assert entry.note == "Hồ sơ cần bổ sung: Giấy chứng sinh; Bản sao giấy đăng ký kết hôn của cha mẹ"
    # The citizen sees exactly these papers on their tracking page.
    login_verified(client, citizen)
    tracking = client.get(f"/ho-so/{d.code}/").content.decode()
    assert "<li>Giấy chứng sinh</li>" in tracking
    assert "<li>Bản sao giấy đăng ký kết hôn của cha mẹ</li>" in tracking


def test_request_supplement_refuses_a_paper_not_in_the_list(client, staff, received):
    login_verified(client, staff["officer"])
    response = client.post(
        f"/mot-cua/ho-so/{received.code}/thao-tac/request_supplement/",
        {"expected_version": received.version, "missing": ["Giấy phép lái xe"], "reason": "Thiếu"},
        follow=True,
    )
    assert "Lỗi:" in response.content.decode()
    assert Dossier.objects.get(pk=received.pk).status == Status.ACCEPTED


def _png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_dossier_page_previews_files_and_lists_each_entrys_files(client, staff, received):
    services.attach(
        received.pk,
        actor=staff["officer"],
        uploads=[services.Upload("Ảnh chụp hiện trạng", _png(), "hien-trang.png")],
        note="Ảnh chụp khi xác minh",
    )
    login_verified(client, staff["officer"])
    html = client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()
    pdf_att = received.attachments.get(purpose="component")
    png_att = received.attachments.get(purpose="working")
    pdf_url = f"/mot-cua/ho-so/{received.code}/tep/{pdf_att.pk}/"
    assert f'<iframe class="preview__frame" src="{pdf_url}"' in html
    assert f'<img class="preview__image" src="/mot-cua/ho-so/{received.code}/tep/{png_att.pk}/"' in html
    assert f'href="{pdf_url}?tai=1"' in html  # download fallback
    # Each timeline entry lists its files: the receipt its component, the attach entry its photo.
    assert f'<a href="#tep-{pdf_att.pk}">Tờ khai đăng ký khai sinh</a>' in html
    assert f'<a href="#tep-{png_att.pk}">Ảnh chụp hiện trạng</a>' in html
    framed = client.get(pdf_url)
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in framed["Content-Security-Policy"]
    assert "sandbox" in framed["Content-Security-Policy"]
    download = client.get(f"{pdf_url}?tai=1")
    assert download["Content-Disposition"].startswith("attachment")


def test_dossier_page_shows_fees_extensions_and_pauses(client, staff, received):
    import datetime as dt

    d = services.request_payment(
        received.pk, actor=staff["officer"], amount=8000, description="Lệ phí hộ tịch"
    )
    services.record_payment(d.pk, actor=staff["clerk"], channel="counter", reference="BL-0001")
    d = services.request_supplement(
        d.pk, actor=staff["officer"], reason="Ảnh mờ", missing=["Giấy chứng sinh"]
    )
    d = services.submit_supplement(
        d.pk, actor=staff["clerk"], uploads=[services.Upload("Giấy chứng sinh", pdf(), "gcs.pdf")]
    )
    d.refresh_from_db()
    new_due = d.due_at + dt.timedelta(days=3)
    services.extend(d.pk, actor=staff["officer"], reason="Chờ xác minh của Công an xã", new_due=new_due)
    login_verified(client, staff["officer"])
    html = client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()

    assert "Nghĩa vụ tài chính" in html and "Lệ phí hộ tịch" in html and "8.000 đồng" in html
    assert "Tiền mặt tại bộ phận một cửa" in html and "BL-0001" in html
    assert "Xin lỗi và gia hạn" in html and "Chờ xác minh của Công an xã" in html
    from django.utils import timezone

    assert timezone.localtime(new_due).strftime("%H:%M %d/%m/%Y") in html
    assert "Chờ bổ sung hồ sơ" in html and "Chờ thực hiện nghĩa vụ tài chính" in html


def test_leader_assigns_the_current_step(client, staff, received):
    login_verified(client, staff["officer"])
    assert "thao-tac/assign/" not in client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()
    login_verified(client, staff["leader"])
    html = client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()
    assert (
        "thao-tac/assign/" in html and f'<option value="{staff["officer"].pk}">Phạm Văn Nam</option>' in html
    )
    url = f"/mot-cua/ho-so/{received.code}/thao-tac/assign/"
    wrong = client.post(
        url, {"expected_version": received.version, "assignee": staff["clerical"].pk}, follow=True
    )
    assert "Người được giao không có vai trò phù hợp" in wrong.content.decode()
    ok = client.post(
        url, {"expected_version": received.version, "assignee": staff["officer"].pk}, follow=True
    )
    assert "Đã thực hiện: Phân công xử lý." in ok.content.decode()
    d = Dossier.objects.get(pk=received.pk)
    assert d.assignee == staff["officer"] and d.step_runs.get(finished_at=None).assignee == staff["officer"]
    assert TimelineEntry.objects.filter(dossier=d, action="assign").count() == 1


def test_assign_is_not_offered_when_nobody_else_can_take_the_step(client, staff, received):
    services.assign(received.pk, actor=staff["leader"], assignee=staff["officer"])
    login_verified(client, staff["leader"])
    html = client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()
    # the only officer already holds it: an empty choice would only be refused
    assert "thao-tac/assign/" not in html


@pytest.mark.parametrize(
    ("channel", "label"),
    [
        ("counter", "Tiền mặt tại bộ phận một cửa"),
        ("bank_transfer", "Chuyển khoản ngân hàng"),
        ("card", "Thẻ ngân hàng (máy POS)"),
        ("gateway:vnpay", "Thanh toán trực tuyến (VNPAY)"),
    ],
)
def test_a_payment_shows_how_it_was_paid_by_name(channel, label, client, staff, received):
    d = services.request_payment(received.pk, actor=staff["officer"], amount=8000, description="Lệ phí")
    obligation = d.obligations.get()
    obligation.payment_channel, obligation.payment_reference = channel, "FT26340123456"
    obligation.save()
    login_verified(client, staff["officer"])
    html = client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()
    assert f'{label} <span class="muted">(FT26340123456)</span>' in html
    assert f">{channel} " not in html


def test_officer_cannot_assign_by_posting(client, staff, received):
    login_verified(client, staff["clerical"])
    client.post(
        f"/mot-cua/ho-so/{received.code}/thao-tac/assign/",
        {"expected_version": received.version, "assignee": staff["clerical"].pk},
    )
    assert Dossier.objects.get(pk=received.pk).assignee is None


@pytest.fixture
def walk_in(staff, agencies, procedure_version):
    """A counter dossier with no applicant account, waiting for a supplement."""
    d = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.POST,
        applicant=services.Applicant(name="Siu Thị Hương", phone="0912000111"),
        accept_now=True,
        uploads=[services.Upload("Tờ khai đăng ký khai sinh", pdf(), "to-khai.pdf")],
    )
    return services.request_supplement(
        d.pk,
        actor=staff["officer"],
        reason="Thiếu giấy tờ",
        missing=["Giấy chứng sinh", "Văn bản ủy quyền"],
    )


def test_counter_records_a_supplement_received_and_the_clock_resumes(client, staff, walk_in):
    d = walk_in
    login_verified(client, staff["clerk"])
    html = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert "Ghi nhận hồ sơ bổ sung tại bộ phận một cửa" in html
    assert "<legend>Giấy chứng sinh</legend>" in html and "<legend>Văn bản ủy quyền</legend>" in html
    url = f"/mot-cua/ho-so/{d.code}/thao-tac/submit_supplement/"
    nothing = client.post(url, {"expected_version": d.version}, follow=True)
    assert "ít nhất một giấy tờ" in nothing.content.decode()
    assert Dossier.objects.get(pk=d.pk).status == Status.SUPPLEMENT
    response = client.post(
        url,
        {
            "expected_version": d.version,
            "supplement_file_1": SimpleUploadedFile("gcs.pdf", pdf()),
            "supplement_paper_2": "on",
        },
        follow=True,
    )
    assert "Đã thực hiện: Nộp hồ sơ bổ sung." in response.content.decode()
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == Status.ACCEPTED and not d.pauses.filter(ended_at=None).exists()
    assert d.due_at is not None
    entry = d.timeline.last()
    assert entry.action == "submit_supplement" and entry.note == "Đã nhận bản giấy: Văn bản ủy quyền"
    assert list(entry.attachments.values_list("component", flat=True)) == ["Giấy chứng sinh"]


def test_officer_has_no_counter_supplement_form(client, staff, walk_in):
    login_verified(client, staff["officer"])
    html = client.get(f"/mot-cua/ho-so/{walk_in.code}/").content.decode()
    assert "thao-tac/submit_supplement/" not in html
    client.post(
        f"/mot-cua/ho-so/{walk_in.code}/thao-tac/submit_supplement/",
        {"expected_version": walk_in.version, "supplement_paper_1": "on"},
    )
    assert Dossier.objects.get(pk=walk_in.pk).status == Status.SUPPLEMENT


def test_return_records_delivery_by_post(client, staff, received):
    d = received
    for actor in ("officer", "leader", "leader"):
        d = advance(d.pk, actor=staff[actor])
    d = services.issue_result(
        d.pk,
        actor=staff["clerical"],
        number="125/GKS",
        title="Giấy khai sinh",
        upload=services.Upload("Kết quả", pdf(), "gks.pdf"),
    )
    login_verified(client, staff["clerk"])
    html = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert 'name="delivery" value="post"' in html and 'name="delivery" value="counter"' in html
    client.post(
        f"/mot-cua/ho-so/{d.code}/thao-tac/return_result/",
        {"expected_version": d.version, "delivery": "post"},
    )
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == Status.RETURNED and d.result.delivery == "post"
    assert d.timeline.last().data == {"delivery": "post"}


def test_dossier_page_flags_each_step(client, staff, received, time_machine):
    import datetime as dt

    from django.utils import timezone

    d = advance(received.pk, actor=staff["officer"])  # handle → review
    handle, review = list(d.step_runs.order_by("started_at", "id"))
    login_verified(client, staff["leader"])
    html = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert "Thời hạn từng bước xử lý" in html
    assert timezone.localtime(review.due_at).strftime("%H:%M %d/%m/%Y") in html
    assert "Hoàn thành đúng hạn" in html  # the handling step finished before its share ran out
    assert '<span class="badge badge--ok">Trong hạn</span>' in html or "Sắp đến hạn" in html
    # Past the review step's due moment, that step is overdue.
    time_machine.move_to(review.due_at + dt.timedelta(minutes=1))
    login_verified(client, staff["leader"])  # the earlier session has expired by then
    html = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert html.count('<span class="badge badge--error">Quá hạn</span>') >= 1
