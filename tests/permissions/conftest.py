"""The world the permission matrix runs in, built once per module (it is large) and rolled back after:
``congso.accounts.testing.build_world()`` (the Gia Lai province, its departments, one official per role,
two citizens and a community helper), then one realistic object of every kind an API path names — a
citizen's dossiers at several steps, a draft with a staged file, a paper in the data store, a form
definition, a consent, a queue ticket, a notification, a payment order, a rating — made through the
services (and, for drafts, the API) as their owners would.

Every request of the matrix runs inside a savepoint that is rolled back (``isolated``), so each role
meets the same objects in the same state, and a write that should have been refused is visible as a
change of the audit trail before the rollback."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from pypdf import PdfWriter

from congso.accounts import services as accounts_services
from congso.accounts.models import CommunityHelper
from congso.accounts.testing import build_world
from congso.calendar import services as calendar_services
from congso.catalog import consistency
from congso.catalog import services as catalog_services
from congso.catalog.models import Offering, OnlineLevel, Procedure, ProcedureVersion
from congso.counters import services as counter_services
from congso.counters.models import Counter, TicketService
from congso.datastore import services as datastore_services
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.documents import services as document_services
from congso.documents import testing as document_testing
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel, Dossier
from congso.dossiers.processes import replace_steps, template_for
from congso.dossiers.services import Applicant, Upload
from congso.dossiers.testing import advance
from congso.evaluations import services as evaluation_services
from congso.evaluations import testing as evaluation_testing
from congso.exchange.models import OutgoingPacket
from congso.feedback import services as feedback_services
from congso.feedback.models import Category as FeedbackCategory
from congso.feedback.models import RoutingRule as FeedbackRoutingRule
from congso.integration import outbox as integration_outbox
from congso.integration.models import Delivery, Subscriber
from congso.notifications.models import Notification
from congso.payments import services as payment_services
from congso.payments import vnpay_protocol as vp
from congso.portal import builder
from congso.ratings import services as rating_services
from congso.sharing import services as sharing_services
from congso.sharing import testing as sharing_testing
from congso.tracking import services as tracking_services

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TMN = "CONGSO01"
SECRET = "kiem-thu-bi-mat-0123456789abcdef"  # noqa: S105 — test fixture only
PROCEDURE = "2.001417"  # Cấp Phiếu lý lịch tư pháp (Sở Tư pháp)

# The roles every operation is declared for (the issue's list), and the world's user of each.
ROLES = (
    "anonymous",
    "citizen",
    "other_citizen",
    "clerk",
    "officer",
    "leader",
    "clerical",
    "agency_admin",
    "ioc_viewer",
    "sysadmin",
)
USER_OF = {"other_citizen": "elder"}


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Objects:
    """What the matrix's paths and bodies refer to, by name (``{dossier}``, ``{draft}``, …)."""

    world: object
    values: dict = field(default_factory=dict)

    def user(self, role):
        return None if role == "anonymous" else self.world.users[USER_OF.get(role, role)]


def _procedure():
    procedure = Procedure.objects.create(
        code=PROCEDURE, name="Cấp Phiếu lý lịch tư pháp", levels="|province|"
    )
    channel = {"time": {"value": 10, "unit": "working_days"}, "fee": None, "description": ""}
    content = {
        "code": PROCEDURE,
        "name": "Cấp Phiếu lý lịch tư pháp",
        "online_level": OnlineLevel.FULL,
        "channels": [{"channel": "in_person", **channel}, {"channel": "online", **channel}],
        "components": [
            {"group": "", "name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "forms": [], "originals": 1},
            {"group": "", "name": "Bản chụp Căn cước công dân", "forms": [], "originals": 1},
        ],
    }
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, content=content, content_hash="l" * 64
    )
    procedure.current_version = version
    procedure.online_level = OnlineLevel.FULL
    procedure.save()
    return procedure, version


def _build() -> Objects:
    w = build_world()
    o = Objects(world=w)
    v = o.values
    users, agencies = w.users, w.agencies
    citizen, clerk = users["citizen"], users["clerk"]
    justice = agencies["justice"]
    procedure, version = _procedure()
    Offering.objects.create(agency=justice, procedure=procedure, is_active=True, online_open=True)
    # The Sở's process: its division of judicial administration handles, the director signs, văn thư issues.
    replace_steps(
        users["agency_admin"],
        template_for(justice, procedure),
        [
            {
                "name": "Phòng Hành chính tư pháp thẩm định",
                "kind": "handle",
                "role": "officer",
                "agency": agencies["justice_civil"].code,
                "share_percent": 60,
            },
            {"name": "Lãnh đạo Sở ký", "kind": "approve", "role": "leader", "share_percent": 25},
            {"name": "Văn thư phát hành", "kind": "issue", "role": "clerical", "share_percent": 10},
        ],
    )
    applicant = Applicant(
        name="Nguyễn Văn An",
        id_number="064090001234",
        phone="0905123456",
        email="nguyen.van.an@example.vn",
        address="25 Hùng Vương, phường Pleiku, tỉnh Gia Lai",
        user=citizen,
    )

    def receive():
        return dossier_services.receive(
            actor=clerk,
            agency=justice,
            procedure_version=version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            uploads=[
                Upload("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", pdf(), "to-khai.pdf"),
                Upload("Bản chụp Căn cước công dân", pdf(), "cccd.pdf"),
            ],
            accept_now=True,
        )

    def fresh(d):
        return Dossier.objects.get(pk=d.pk)

    def advance_to(d, role):
        for _ in range(6):
            d = fresh(d)
            if d.holder_role == role:
                return d
            holder = d.holder_role if d.holder_role in ("officer", "leader", "clerical") else "officer"
            advance(d.pk, actor=users[holder])
        raise AssertionError(f"the dossier never reached {role}")

    accepted = receive()
    v["dossier"] = accepted.code
    supplement = receive()
    dossier_services.request_supplement(
        supplement.pk,
        actor=users["officer"],
        reason="Bản chụp CCCD bị mờ.",
        missing=["Bản chụp Căn cước công dân"],
    )
    v["supplement"] = supplement.code
    issue = advance_to(receive(), "clerical")
    v["issue"] = issue.code
    done = advance_to(receive(), "clerical")
    dossier_services.issue_result(
        done.pk,
        actor=users["clerical"],
        number="125/LLTP",
        title="Phiếu lý lịch tư pháp số 1",
        upload=Upload("Kết quả", pdf(), "phieu-lltp.pdf"),
    )
    v["finished"] = fresh(done).code
    rated = advance_to(receive(), "clerical")
    dossier_services.issue_result(
        rated.pk,
        actor=users["clerical"],
        number="127/LLTP",
        title="Phiếu lý lịch tư pháp số 1",
        upload=Upload("Kết quả", pdf(), "phieu-lltp-2.pdf"),
    )
    rating_services.rate(
        rated.code,
        actor=citizen,
        answers={
            "overall": "satisfied",
            "on_time": "yes",
            "contacts": "1",
            "guidance": "clear",
            "attitude": "good",
            "fees": "as_listed",
            "result": "correct",
        },
    )
    v["rated"] = rated.code
    payable = receive()
    dossier_services.request_payment(
        payable.pk, actor=clerk, amount=200000, description="Phí cấp Phiếu lý lịch tư pháp"
    )
    v["payable"] = payable.code
    owed = receive()
    dossier_services.request_payment(
        owed.pk, actor=clerk, amount=200000, description="Phí cấp Phiếu lý lịch tư pháp"
    )
    v["owed"] = owed.code
    started = payment_services.start_payment(
        payable.code, actor=citizen, return_url="https://dichvucong.gialai.gov.vn/thanh-toan/ket-qua/"
    )
    v["txn_ref"] = started.payment.txn_ref
    payment = started.payment
    ipn = {
        "vnp_Amount": str(int(payment.amount * 100)),
        "vnp_BankCode": "NCB",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": payment.description,
        "vnp_PayDate": vp.format_date(timezone.now()),
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": TMN,
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.txn_ref,
    }
    ipn["vnp_SecureHash"] = vp.sign(ipn, SECRET)
    payment_services.handle_notification("vnpay", ipn)
    v["record"] = tracking_services.receipt(citizen, accepted.code).pk
    v["lookup_token"] = tracking_services.lookup_token(accepted.code)
    for name in ("dossier", "supplement", "issue", "finished", "payable"):
        v[f"{name}_version"] = Dossier.objects.get(code=v[name]).version
    v["procedure"] = PROCEDURE
    v["agency"] = justice.code
    v["division"] = agencies["justice_civil"].code
    v["citizen_id"] = citizen.pk
    v["officer_username"] = users["officer"].username
    v["membership"] = Membership.objects.get(user=users["officer"]).pk
    v["team"] = agencies["team"].pk
    v["helper"] = CommunityHelper.objects.get(user=users["helper"]).pk
    accounts_services.register_organisation(
        citizen,
        name="Công ty TNHH Cà phê Phố Núi",
        tax_code="5901234563",
        address="12 Trần Phú, phường Pleiku",
    )
    v["consent"] = accounts_services.grant_consent(
        citizen,
        citizen=citizen,
        helper=users["helper"],
        purpose="Nộp hồ sơ cấp Phiếu lý lịch tư pháp",
    ).pk
    # a queue ticket at the province's service centre
    centre = agencies["province_centre"]
    service = TicketService.objects.create(centre=centre, prefix="A", name="Tư pháp", typical_minutes=10)
    counter = Counter.objects.create(centre=centre, number=1, label="Quầy Tư pháp")
    counter.services.set([service])
    counter_services.take_ticket(service.pk, centre=centre)
    ticket = counter_services.call_next(clerk, counter.pk)
    free = Counter.objects.create(centre=centre, number=2, label="Quầy Tư pháp 2")
    free.services.set([service])
    counter_services.take_ticket(service.pk, centre=centre)
    v["free_counter"] = 2
    calendar_services.set_exception(
        users["sysadmin"],
        dt.date(2027, 3, 8),
        "day_off",
        "Nghỉ bù theo quyết định của UBND tỉnh",
        unit=w.units["province"],
    )
    v.update(
        centre=centre.code, service=service.pk, counter=1, prefix="A", ticket=ticket.pk, token=ticket.token
    )
    # the citizen's draft with a staged file, and a paper in the data store
    client = Client()
    client.force_login(citizen)
    draft = client.post(
        "/api/v1/portal/drafts",
        {"procedure_code": PROCEDURE, "agency_code": justice.code},
        content_type="application/json",
    )
    assert draft.status_code in (200, 201), draft.content
    v["draft"] = draft.json()["id"]
    staged = client.post(
        f"/api/v1/portal/drafts/{v['draft']}/uploads",
        {"component": "Bản chụp Căn cước công dân", "file": io.BytesIO(pdf())},
    )
    assert staged.status_code in (200, 201), staged.content
    v["upload"] = staged.json()["id"]
    document = datastore_services.store(
        citizen, SimpleUploadedFile("cccd.pdf", pdf(), "application/pdf"), title="Căn cước công dân"
    )
    v["document"] = document.pk
    definition = builder.create_definition(
        users["agency_admin"], procedure_code=PROCEDURE, agency_code=justice.code
    )
    v["definition"] = definition.pk
    v["notification"] = (
        Notification.objects.filter(dossier__code=v["finished"]).values_list("pk", flat=True).first()
    )
    _evaluations(w, v)
    # the newer apps' objects, one module each (``world_<area>.py``), beside their ``matrix_<area>.py``
    from . import world_meetings, world_portals, world_requests

    for area in (world_meetings, world_portals, world_requests):
        area.extend(w, v)
    # an exchange packet of the Department of Justice that the hub never took (given up)
    v["exchange_packet"] = OutgoingPacket.objects.create(
        sender=justice,
        recipients=["000.00.00.H21"],
        document_id=f"{justice.code},2026/12/04,12/STP-VP",
        code="12/STP-VP",
        subject="Về việc báo cáo công tác phổ biến, giáo dục pháp luật",
        envelope=b"<edXML:edXMLEnvelope/>",
        state=OutgoingPacket.State.GIVEN_UP,
        attempts=8,
    ).pk
    # a consistency report against a national export that names a procedure missing here (catalog)
    national, failures = consistency.read_data(
        [{"ma_thu_tuc": "1.999991", "ten_thu_tuc": "Đăng ký khai thác dữ liệu hộ tịch"}], "quoc-gia.json"
    )
    report = catalog_services.run_consistency_report(
        users["sysadmin"], national, failures, source="quoc-gia.json"
    )
    v["consistency_report"] = report.pk
    v["difference"] = report.differences.get().pk
    # a data-sharing agreement of the provincial Social Insurance's API client (sharing)
    v["agreement"] = sharing_services.create_agreement(
        users["sysadmin"],
        application=sharing_testing.api_client(),
        agency=sharing_testing.social_insurance(w.units["province"]),
        number="12/TT-BHXH",
        scopes=["registry.population"],
        purpose="Xác minh nhân thân người tham gia bảo hiểm xã hội",
        legal_basis="Nghị định 13/2023/NĐ-CP",
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2028, 12, 31),
    ).pk
    # official documents: registers, incoming documents at each step, an officer's draft, a task
    registers = document_testing.setup_agency(justice, "STP")
    clerical, leader, officer = users["clerical"], users["leader"], users["officer"]
    incoming = {
        "doc_type": "QĐ",
        "subject": "Quyết định giao chỉ tiêu chuyển đổi số năm 2027",
        "symbol": "125/QĐ-UBND",
        "issued_on": "02/12/2026",
        "issuing_organ": "Ủy ban nhân dân tỉnh Gia Lai",
    }
    registered = document_services.register_incoming(actor=clerical, agency=justice, metadata=incoming)
    routed = document_services.register_incoming(actor=clerical, agency=justice, metadata=incoming)
    document_services.route(routed, actor=clerical)
    working = document_services.register_incoming(actor=clerical, agency=justice, metadata=incoming)
    document_services.route(working, actor=clerical)
    document_services.assign(working, actor=leader, lead=officer, working_days=5)
    draft = document_services.create_draft(
        actor=officer,
        agency=justice,
        metadata={"doc_type": "KH", "subject": "Kế hoạch kiểm tra công tác văn thư năm 2027"},
        upload=pdf(),
    )
    task = document_services.create_task(
        actor=leader,
        agency=justice,
        title="Rà soát thủ tục hành chính lĩnh vực hộ tịch",
        owner=officer,
        working_days=10,
    )
    v.update(
        doc_registered=registered.pk,
        doc_routed=routed.pk,
        doc_working=working.pk,
        doc_draft=draft.pk,
        doc_task=task.pk,
        doc_register=registers[("in", False)].pk,
        doc_number=registered.register.entries.get(document=registered).pk,
        officer_username=officer.username,
    )
    # citizen feedback about a procedure, routed to the Sở Tư pháp: one just received, one answered
    category = FeedbackCategory.objects.create(code="thu-tuc-hanh-chinh", name="Thủ tục hành chính")
    FeedbackRoutingRule.objects.create(category=category, province=w.units["province"], agency=justice)
    feedback = {
        "category": category.code,
        "title": "Yêu cầu nộp thêm giấy tờ ngoài quy định",
        "description": "Khi xin Phiếu lý lịch tư pháp, tôi bị yêu cầu nộp thêm giấy xác nhận cư trú.",
        "unit": w.units["pleiku"].code,
        "address": "Trung tâm Phục vụ hành chính công tỉnh",
        "name": "Nguyễn Văn An",
    }
    v["fb_open"] = feedback_services.submit(feedback, actor=citizen, ip="192.0.2.200").code
    answered = feedback_services.submit(feedback, actor=citizen, ip="192.0.2.200").code
    for action, extra in (
        ("accept", {}),
        ("draft", {"note": "Sở đã chấn chỉnh bộ phận một cửa."}),
        ("approve", {}),
    ):
        feedback_services.act(answered, action, actor=users["leader"], **extra)
    v["fb_answered"] = answered
    # a webhook subscriber (its URL refuses connections at once) and one of its dead letters
    hook = Subscriber.objects.create(
        name="Hệ thống quản lý văn bản tỉnh Gia Lai",
        url="http://127.0.0.1:9/hooks/congso",
        secret="bi-mat-he-thong-nhan-2026",
        event_types=["*"],
    )
    v["subscriber"] = hook.pk
    integration_outbox.publish("procedure.changed", "procedure", PROCEDURE, {"procedure": PROCEDURE})
    dead = Delivery.objects.get(subscriber=hook)
    Delivery.objects.filter(pk=dead.pk).update(status="dead", attempts=10, last_error="HTTP 503")
    v["dead_letter"] = dead.pk
    return o


def _evaluations(w, v) -> None:
    """A framework in use (its 2026 round open, Sở Tư pháp's value waiting for review) and a draft one.
    The province's administrator and evaluator are not among the matrix's ten roles."""
    pc, justice = w.agencies["province_pc"], w.agencies["justice"]
    admin = evaluation_testing.official("quantri.tinh", "Rơ Châm Hương", (pc, Role.AGENCY_ADMIN))
    evaluator = evaluation_testing.official("thamdinh.gialai", "Trần Minh Đức", (pc, Role.EVALUATOR))
    bands = {"level_1_min": "80", "level_2_min": "60", "level_3_min": "40", "level_4_min": "20"}
    frameworks = []
    for name in ("Bộ chỉ số chính quyền điện tử", "Bộ chỉ số chuyển đổi số (dự thảo)"):
        f = evaluation_services.create_framework(
            admin, owner=pc, data={"name": name, "year": 2026, "applies_to": ["department"], **bands}
        )
        group = evaluation_services.add_criterion(admin, f, {"kind": "group", "code": "1", "name": "Hạ tầng"})
        leaf = evaluation_services.add_criterion(
            admin,
            f,
            {
                "kind": "indicator",
                "code": "1.1",
                "name": "Kỹ năng số",
                "parent": group.pk,
                "max_points": "10",
                "source": "manual",
                "target": "8",
            },
        )
        frameworks.append((f, leaf))
    (framework, leaf), (draft, draft_leaf) = frameworks
    round_ = evaluation_services.open_round(evaluator, framework, year=2026)
    entry = evaluation_services.submit_value(
        w.users["agency_admin"],
        round_,
        justice,
        leaf,
        value="9",
        note="Bồi dưỡng 40 cán bộ",
        evidence=SimpleUploadedFile("bien-ban.pdf", pdf(), "application/pdf"),
    )
    v.update(
        framework=framework.pk,
        draft_framework=draft.pk,
        criterion=draft_leaf.pk,
        round=round_.pk,
        leaf=leaf.pk,
        entry=entry.pk,
        province=pc.code,
    )


def _settings(media) -> dict:
    """What the suite's ``_isolated_media`` sets per test, for one directory shared by the module (the
    world's files must outlive the test that built them), and a VNPAY sandbox to pay a fee."""
    return {
        "MEDIA_ROOT": media,
        "STORAGES": {
            **django_settings.STORAGES,
            "default": {
                "BACKEND": "congso.core.storage.DurableFileSystemStorage",
                "OPTIONS": {"location": str(media)},
            },
        },
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        "CONGSO_SMS_BACKEND": "congso.notifications.sms.LocmemBackend",
        "CONGSO_PAYMENT_PROVIDERS": {
            "vnpay": {
                "BACKEND": "congso.payments.providers.vnpay.VnpayProvider",
                "OPTIONS": {
                    "payment_url": "http://127.0.0.1:9/paymentv2/vpcpay.html",
                    "tmn_code": TMN,
                    "hash_secret": SECRET,
                },
            }
        },
        "CONGSO_PAYMENT_DEFAULT_PROVIDER": "vnpay",
    }


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix") / "media"


@pytest.fixture(autouse=True)
def _isolated_media(settings, media):
    """Replaces the suite's per-test media directory with the module's (see ``_settings``)."""
    for name, value in _settings(media).items():
        setattr(settings, name, value)


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker, media):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST, **_settings(media)):
        with transaction.atomic():
            o = _build()
            yield o
            transaction.set_rollback(True)


def sign_in(client, objects, role):
    client.logout()
    user = objects.user(role)
    if user is None:
        return
    if user.kind == "citizen":
        client.force_login(user)
    else:
        login_verified(client, user)


@pytest.fixture
def isolated():
    """Run one request in a savepoint that is rolled back, with a clean cache (rate limits)."""

    class Rollback(Exception):
        pass

    def run(fn):
        cache.clear()
        result = {}
        try:
            with transaction.atomic():
                result["value"] = fn()
                raise Rollback
        except Rollback:
            pass
        cache.clear()
        return result["value"]

    return run


def vn(*args):
    return dt.datetime(*args, tzinfo=VN)


__all__ = ["ROLES", "Objects", "isolated", "objects", "pdf", "sign_in", "timezone", "vn"]
