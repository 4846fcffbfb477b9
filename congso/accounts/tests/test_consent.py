"""Assisted service: consent is required, recorded (who, when, for what), revocable and counted."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from congso.accounts import services
from congso.accounts.models import (
    AssistanceConsent,
    AssistedAction,
    CitizenProfile,
    CommunityHelper,
    Organisation,
)
from congso.core.errors import InvalidFields
from congso.core.models import AuditEntry
from congso.core.permissions import can
from congso.directory.testing import login_verified

pytestmark = pytest.mark.django_db


def test_helper_needs_consent_then_actions_are_labelled_and_counted(world):
    helper, elder = world.users["helper"], world.users["elder"]
    with pytest.raises(services.ConsentRequired, match="chưa đồng ý"):
        services.require_consent(helper, elder, "1.001193")

    consent = services.grant_consent(
        elder,
        citizen=elder,
        helper=helper,
        purpose="Khai và nộp hồ sơ đăng ký khai sinh cho cháu nội",
        procedure_code="1.001193",
        days=30,
    )
    assert consent.method == "online" and consent.recorded_by == elder and consent.granted_at
    assert services.require_consent(helper, elder, "1.001193") == consent
    with pytest.raises(services.ConsentRequired):  # consent was for one procedure only
        services.require_consent(helper, elder, "1.000894")

    action = services.record_assisted_action(consent, "dossier.submit", elder)
    assert action.team == world.agencies["team"]
    assert services.assisted_label(consent) == (
        "Nộp với sự hỗ trợ của Nguyễn Thị Thanh Xuân (Tổ công nghệ số cộng đồng làng Hrang)"
    )
    stats = {t.name: t for t in services.assistance_counts(world.users["sysadmin"])}
    team = stats["Tổ công nghệ số cộng đồng làng Hrang"]
    assert (team.helper_count, team.consent_count, team.action_count) == (1, 1, 1)
    actions = list(AuditEntry.objects.filter(action__startswith="accounts.").values_list("action", flat=True))
    assert "accounts.consent_granted" in actions and "accounts.assisted_action" in actions

    services.revoke_consent(elder, consent)
    with pytest.raises(services.ConsentRequired):
        services.require_consent(helper, elder, "1.001193")
    with pytest.raises(services.ConsentRequired):
        services.record_assisted_action(consent, "dossier.submit", elder)
    assert AssistedAction.objects.count() == 1


def test_only_registered_helpers_can_be_given_consent(world):
    with pytest.raises(InvalidFields) as exc:
        services.grant_consent(
            world.users["citizen"],
            citizen=world.users["citizen"],
            helper=world.users["clerk"],
            purpose="Nộp hồ sơ cấp phép xây dựng",
        )
    assert "không phải thành viên tổ công nghệ số" in exc.value.errors["helper"][0]
    assert not AssistanceConsent.objects.exists()


def test_nobody_grants_consent_for_someone_else_online(world):
    with pytest.raises(PermissionDenied):
        services.grant_consent(
            world.users["helper"],
            citizen=world.users["elder"],
            helper=world.users["helper"],
            purpose="Nộp hồ sơ thay",
        )
    with pytest.raises(PermissionDenied):
        services.require_consent(world.users["citizen"], world.users["elder"])


def test_clerk_records_paper_consent_with_reference(world):
    clerk, elder, helper = world.users["clerk"], world.users["elder"], world.users["helper"]
    with pytest.raises(InvalidFields) as exc:
        services.grant_consent(clerk, citizen=elder, helper=helper, purpose="Đăng ký khai sinh")
    assert "paper_reference" in exc.value.errors
    consent = services.grant_consent(
        clerk, citizen=elder, helper=helper, purpose="Đăng ký khai sinh", paper_reference="GĐY-0042/2026"
    )
    assert consent.method == "paper" and consent.recorded_by == clerk


def test_consent_pages_and_api(client, world):
    elder, helper = world.users["elder"], world.users["helper"]
    client.force_login(elder)
    page = client.post(
        "/tai-khoan/uy-quyen-ho-tro/",
        {"helper": "tocns.iagrai", "purpose": "Đăng ký khai sinh", "procedure_code": "", "days": 30},
    )
    assert page.status_code == 302
    consent = AssistanceConsent.objects.get()
    listing = client.get("/tai-khoan/uy-quyen-ho-tro/").content.decode()
    assert "Nguyễn Thị Thanh Xuân" in listing and "Còn hiệu lực" in listing
    client.post(f"/tai-khoan/uy-quyen-ho-tro/{consent.pk}/thu-hoi/")
    consent.refresh_from_db()
    assert consent.revoked_at and consent.revoked_by == elder

    bad = client.post(
        "/api/v1/accounts/consents",
        data=json.dumps({"helper": "congdan.an", "purpose": "Nộp hồ sơ"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "tổ công nghệ số" in bad.json()["detail"]
    good = client.post(
        "/api/v1/accounts/consents",
        data=json.dumps({"helper": "tocns.iagrai", "purpose": "Nộp hồ sơ"}),
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["label"].startswith("Nộp với sự hỗ trợ của")

    client.force_login(helper)  # the helper can see, and give up, the consents they hold
    held = client.get("/api/v1/accounts/consents").json()
    assert [c["citizen"] for c in held] == ["congdan.thoi", "congdan.thoi"]
    revoke = client.post(f"/api/v1/accounts/consents/{good.json()['id']}/revoke")
    assert revoke.status_code == 200 and revoke.json()["revoked_at"]

    client.force_login(world.users["citizen"])  # a stranger cannot revoke
    assert client.post(f"/api/v1/accounts/consents/{consent.pk}/revoke").status_code == 403


def test_official_viewing_a_citizen_is_audited(client, world):
    login_verified(client, world.users["clerk"])
    citizen = world.users["citizen"]
    refused = client.get(f"/api/v1/accounts/citizens/{citizen.pk}")  # nothing links them yet
    assert refused.status_code == 403 and not AuditEntry.objects.filter(action="accounts.citizen_viewed")
    AssistanceConsent.objects.create(
        citizen=citizen,
        helper=world.users["helper"],
        team=world.agencies["team"],
        purpose="Đăng ký khai sinh",
        method=AssistanceConsent.Method.PAPER,
        recorded_by=world.users["clerk"],
    )
    response = client.get(f"/tai-khoan/cong-dan/{citizen.pk}/")
    assert "064090001234" in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.citizen_viewed")
    assert entry.actor_id == world.users["clerk"].pk and entry.object_id == str(citizen.pk)
    assert entry.ip == "127.0.0.1"
    client.get(f"/api/v1/accounts/citizens/{citizen.pk}")
    assert AuditEntry.objects.filter(action="accounts.citizen_viewed").count() == 2


def test_profile_rejects_bad_cccd_and_unknown_commune_without_change(client, world):
    client.force_login(world.users["citizen"])
    response = client.post(
        "/tai-khoan/ca-nhan/", {"cccd": "12345", "commune_code": "99999", "address": "Mới"}
    )
    html = response.content.decode()
    assert "Số CCCD phải gồm đúng 12 chữ số" in html and "Không tìm thấy xã, phường" in html
    profile = CitizenProfile.objects.get(user=world.users["citizen"])
    assert profile.cccd == "064090001234" and profile.address == "25 Hùng Vương"


def test_business_registration_and_acting_for_it(client, world):
    client.force_login(world.users["citizen"])
    bad = client.post(
        "/api/v1/accounts/organisations",
        data=json.dumps({"name": "Công ty TNHH Cà phê Phố Núi", "tax_code": "5901234564"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "chữ số kiểm tra" in bad.json()["detail"]
    assert not Organisation.objects.exists()
    good = client.post(
        "/api/v1/accounts/organisations",
        data=json.dumps(
            {"name": "Công ty TNHH Cà phê Phố Núi", "tax_code": "5901234563", "commune_code": "23575"}
        ),
        content_type="application/json",
    )
    assert good.status_code == 201
    org = Organisation.objects.get()
    assert can(world.users["citizen"], "accounts.act_for_organisation", org)
    assert not can(world.users["elder"], "accounts.act_for_organisation", org)
    services.authorise_representative(world.users["citizen"], org, world.users["elder"])
    assert can(world.users["elder"], "accounts.act_for_organisation", org)
    dup = client.post(
        "/api/v1/accounts/organisations",
        data=json.dumps({"name": "Trùng", "tax_code": "5901234563"}),
        content_type="application/json",
    )
    assert dup.status_code == 400 and "đã được đăng ký" in dup.json()["detail"]


def test_commune_admin_registers_and_ends_helpers(client, world):
    admin, team = world.users["commune_admin"], world.agencies["team"]
    login_verified(client, admin)
    response = client.post(
        "/tai-khoan/ho-tro-cong-dong/thanh-vien/", {"team": team.pk, "username": "congdan.an"}
    )
    assert response.status_code == 302
    helper = CommunityHelper.objects.get(user=world.users["citizen"])
    assert services.is_helper(world.users["citizen"])
    official = client.post(
        "/tai-khoan/ho-tro-cong-dong/thanh-vien/", {"team": team.pk, "username": "motcua.tinh"}
    )
    assert "dùng tài khoản công dân" in official.content.decode()
    ended = client.post(f"/api/v1/accounts/helpers/{helper.pk}/end")
    assert ended.status_code == 200 and ended.json()["valid_to"]
    assert not services.is_helper(world.users["citizen"])
    login_verified(client, world.users["agency_admin"])  # Sở Tư pháp's admin does not manage Ia Grai's team
    assert (
        client.post(
            f"/api/v1/accounts/teams/{team.pk}/helpers",
            data=json.dumps({"username": "congdan.an"}),
            content_type="application/json",
        ).status_code
        == 403
    )
