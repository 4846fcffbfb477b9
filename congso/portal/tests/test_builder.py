"""The form builder's use cases: who may change a form, what is refused (nothing written), publishing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.catalog.models import OnlineLevel
from congso.core.audit import AuditEntry
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.tests.test_uploads import jpeg_with_exif
from congso.core.uploads import UploadRejected
from congso.portal import builder, definitions, services
from congso.portal.definitions import ComponentSpec, FieldSpec
from congso.portal.models import FormDefinition, FormField

from .conftest import BIRTH_ANSWERS


def _ward_form(ward_admin):
    return builder.create_definition(ward_admin, procedure_code="1.001193", agency_code="H21.23575")


def test_agency_admin_creates_a_form_from_the_national_one(ward_admin, birth_form, agencies):
    definition = _ward_form(ward_admin)
    assert definition.agency == agencies["ward"] and not definition.is_active and definition.version == 0
    work = definitions.working_spec(definition)
    national = definitions.spec_for(birth_form.procedure)
    assert [f.key for f in work.fields] == [f.key for f in national.fields]
    assert [c.name for c in work.components] == [c.name for c in national.components]
    # a draft: citizens of the ward still get the national form
    assert definitions.spec_for(birth_form.procedure, agencies["ward"]).source == "national"
    entry = AuditEntry.objects.get(action="portal.form.create")
    assert entry.actor_id == ward_admin.pk and entry.data["based_on"] == "national"
    assert entry.data["agency"] == "H21.23575"


def test_a_form_starts_from_the_catalogue_default(ward_admin, online):
    definition = _ward_form(ward_admin)
    work = definitions.working_spec(definition)
    assert [f.key for f in work.fields] == ["noi_dung"]
    assert [c.name for c in work.components] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert AuditEntry.objects.get(action="portal.form.create").data["based_on"] == "default"


def test_who_may_define_forms(ward_admin, other_admin, sysadmin, staff, citizen, birth_form):
    for outsider in (other_admin, staff["clerk"], citizen):
        with pytest.raises(PermissionDenied):
            _ward_form(outsider)
    with pytest.raises(PermissionDenied):  # national forms: system administrators only
        builder.create_definition(ward_admin, procedure_code="1.001193")
    definition = _ward_form(ward_admin)
    for outsider in (other_admin, staff["clerk"], citizen):
        with pytest.raises(PermissionDenied):
            builder.save_field(outsider, definition.pk, FieldSpec("nghe_nghiep", "Nghề nghiệp"))
        with pytest.raises(PermissionDenied):
            builder.publish(outsider, definition.pk)
        with pytest.raises(PermissionDenied):
            builder.get(outsider, definition.pk)
    assert not AuditEntry.objects.filter(action__startswith="portal.form.").exclude(
        action="portal.form.create"
    )
    builder.save_field(sysadmin, definition.pk, FieldSpec("nghe_nghiep", "Nghề nghiệp"))  # every agency


def test_create_is_refused_clearly(ward_admin, sysadmin, online, agencies):
    with pytest.raises(ServiceError, match="chưa cung cấp thủ tục 1.001193"):
        builder.create_definition(sysadmin, procedure_code="1.001193", agency_code="H21.23764")
    with pytest.raises(NotFound):
        builder.create_definition(ward_admin, procedure_code="9.999999", agency_code="H21.23575")
    _ward_form(ward_admin)
    with pytest.raises(Conflict, match="Đã có biểu mẫu"):
        _ward_form(ward_admin)
    procedure = online.procedure
    procedure.online_level = OnlineLevel.INFO
    procedure.save()
    FormDefinition.objects.all().delete()
    with pytest.raises(ServiceError, match="chỉ cung cấp thông tin"):
        _ward_form(ward_admin)
    assert FormDefinition.objects.count() == 0


def test_fields_are_added_changed_and_refused_with_clear_messages(ward_admin, birth_form):
    definition = _ward_form(ward_admin)
    n = definition.fields.count()
    builder.save_field(
        ward_admin,
        definition.pk,
        FieldSpec("nghe_nghiep_me", "Nghề nghiệp của mẹ", help_text="Ví dụ: giáo viên", max_length=100),
    )
    assert definition.fields.count() == n + 1 and definition.fields.last().key == "nghe_nghiep_me"
    before = AuditEntry.objects.count()
    cases = [
        (FieldSpec("ho_ten_tre", "Trùng mã"), "Mã trường “ho_ten_tre” bị trùng"),
        (FieldSpec("Ho Ten", "Mã sai"), "Mã trường “Ho Ten” không hợp lệ"),
        (
            FieldSpec("ghi_chu", "Ghi chú", show_if_field="khong_co", show_if_value="x"),
            "không có trường nào mang mã",
        ),
        (FieldSpec("ma_so", "Mã số", pattern="[0-9"), "Biểu thức kiểm tra của trường “Mã số” không hợp lệ"),
        (FieldSpec("loai_giay", "Loại giấy", "select"), "cần ít nhất một lựa chọn"),
        (
            FieldSpec("ghi_chu", "Ghi chú", show_if_field="gioi_tinh", show_if_value="khac"),
            "“khac” không phải là giá trị lựa chọn của trường “Giới tính của trẻ”",
        ),
    ]
    for item, message in cases:
        with pytest.raises(builder.InvalidDefinition) as caught:
            builder.save_field(ward_admin, definition.pk, item)
        assert message in caught.value.message
    assert definition.fields.count() == n + 1 and AuditEntry.objects.count() == before  # nothing written


def test_renaming_a_field_moves_the_conditions_with_it(ward_admin, birth_form):
    definition = _ward_form(ward_admin)
    current = definitions.working_spec(definition).field("noi_sinh_loai")
    renamed = FieldSpec(
        **{**builder.field_as_dict(current), "key": "loai_noi_sinh", "choices": current.choices}
    )
    builder.save_field(ward_admin, definition.pk, renamed, original_key="noi_sinh_loai")
    work = definitions.working_spec(definition)
    assert work.field("noi_sinh_loai") is None
    assert work.field("ten_co_so_y_te").show_if_field == "loai_noi_sinh"
    assert definitions.problems(work) == []
    entry = AuditEntry.objects.get(action="portal.form.field.update")
    assert entry.data["before"]["key"] == "noi_sinh_loai" and entry.data["after"]["key"] == "loai_noi_sinh"


def test_deleting_a_field_others_depend_on_is_refused(ward_admin, birth_form):
    definition = _ward_form(ward_admin)
    with pytest.raises(ServiceError, match="chỉ hiện theo trường này"):
        builder.delete_field(ward_admin, definition.pk, "noi_sinh_loai")
    assert definition.fields.filter(key="noi_sinh_loai").exists()
    builder.delete_field(ward_admin, definition.pk, "cccd_cha")
    assert not definition.fields.filter(key="cccd_cha").exists()
    assert list(definition.fields.values_list("position", flat=True)) == list(
        range(1, definition.fields.count() + 1)
    )
    with pytest.raises(NotFound):
        builder.delete_field(ward_admin, definition.pk, "cccd_cha")


def test_reordering_fields_and_components(ward_admin, birth_form):
    definition = _ward_form(ward_admin)
    keys = list(definition.fields.values_list("key", flat=True))
    builder.move_field(ward_admin, definition.pk, keys[1], builder.UP)
    assert list(definition.fields.values_list("key", flat=True))[:2] == [keys[1], keys[0]]
    with pytest.raises(ServiceError, match="đã ở đầu danh sách"):
        builder.move_field(ward_admin, definition.pk, keys[1], builder.UP)
    with pytest.raises(ServiceError, match="đã ở cuối danh sách"):
        builder.move_field(ward_admin, definition.pk, keys[-1], builder.DOWN)
    first, second = definition.components.all()[:2]
    builder.move_component(ward_admin, definition.pk, first.pk, builder.DOWN)
    assert list(definition.components.values_list("pk", flat=True))[:2] == [second.pk, first.pk]
    assert (
        AuditEntry.objects.filter(action__in=["portal.form.field.move", "portal.form.component.move"]).count()
        == 2
    )


def test_components_with_accepted_kinds(ward_admin, birth_form):
    definition = _ward_form(ward_admin)
    row = builder.save_component(
        ward_admin,
        definition.pk,
        ComponentSpec("Sổ hộ khẩu cũ", required=False, originals=0, copies=1, kinds=["pdf"]),
    )
    assert row.kinds == "pdf" and row.position == definition.components.count()
    with pytest.raises(builder.InvalidDefinition, match="bị trùng"):
        builder.save_component(ward_admin, definition.pk, ComponentSpec("Giấy chứng sinh"))
    with pytest.raises(builder.InvalidDefinition, match="không được hỗ trợ"):
        builder.save_component(ward_admin, definition.pk, ComponentSpec("Ảnh", kinds=["gif"]))
    builder.save_component(
        ward_admin,
        definition.pk,
        ComponentSpec("Sổ hộ khẩu (bản cũ)", kinds=["pdf", "png"]),
        component_id=row.pk,
    )
    row.refresh_from_db()
    assert (row.name, row.kinds, row.required) == ("Sổ hộ khẩu (bản cũ)", "pdf,png", True)
    builder.delete_component(ward_admin, definition.pk, row.pk)
    assert not definition.components.filter(pk=row.pk).exists()


def test_publishing_makes_a_new_version_for_citizens(ward_admin, birth_form, agencies):
    definition = _ward_form(ward_admin)
    builder.update_definition(ward_admin, definition.pk, title="Tờ khai khai sinh (phường Pleiku)", intro="")
    definition = builder.publish(ward_admin, definition.pk)
    assert (definition.version, definition.is_active, definition.has_changes) == (1, True, False)
    spec = definitions.spec_for(birth_form.procedure, agencies["ward"])
    assert (spec.source, spec.version, spec.title) == ("agency", 1, "Tờ khai khai sinh (phường Pleiku)")
    with pytest.raises(Conflict, match="không có thay đổi"):
        builder.publish(ward_admin, definition.pk)
    builder.save_field(
        ward_admin, definition.pk, FieldSpec("nghe_nghiep_me", "Nghề nghiệp của mẹ", required=True)
    )
    assert FormDefinition.objects.get(pk=definition.pk).has_changes
    assert (
        definitions.spec_for(birth_form.procedure, agencies["ward"]).field("nghe_nghiep_me") is None
    )  # v1 still
    builder.publish(ward_admin, definition.pk)
    spec = definitions.spec_for(birth_form.procedure, agencies["ward"])
    assert spec.version == 2 and spec.field("nghe_nghiep_me").required
    assert definitions.spec_for(birth_form.procedure, agencies["other"]).source == "national"
    assert list(
        AuditEntry.objects.filter(action="portal.form.publish").values_list("data__version", flat=True)
    ) == [
        1,
        2,
    ]
    builder.unpublish(ward_admin, definition.pk)
    assert definitions.spec_for(birth_form.procedure, agencies["ward"]).source == "national"
    with pytest.raises(Conflict):
        builder.unpublish(ward_admin, definition.pk)
    builder.delete_definition(ward_admin, definition.pk)
    assert not FormDefinition.objects.filter(pk=definition.pk).exists()
    assert AuditEntry.objects.get(action="portal.form.delete").data["version"] == 2


def test_an_empty_form_cannot_be_published(sysadmin, online):
    definition = builder.create_definition(
        sysadmin, procedure_code="1.001193", content=definitions.FormSpec(title="Trống")
    )
    with pytest.raises(ServiceError, match="ít nhất một trường"):
        builder.publish(sysadmin, definition.pk)


def test_replace_definition_checks_everything(sysadmin, birth_form):
    content = definitions.FormSpec(
        title="Tờ khai",
        fields=[FieldSpec("a", "A"), FieldSpec("a", "A lần hai")],
        components=[ComponentSpec("Giấy chứng sinh")],
    )
    with pytest.raises(builder.InvalidDefinition) as caught:
        builder.replace_definition(sysadmin, birth_form.pk, content)
    assert caught.value.field == "fields[1].key"
    assert FormField.objects.filter(definition=birth_form).count() == 14
    content.fields = [FieldSpec("a", "A"), FieldSpec("b", "B", show_if_field="a", show_if_value="x")]
    builder.replace_definition(sysadmin, birth_form.pk, content)
    assert list(FormField.objects.filter(definition=birth_form).values_list("key", flat=True)) == ["a", "b"]


def test_preview_validates_the_working_copy(ward_admin, birth_form):
    definition = _ward_form(ward_admin)
    spec, cleaned, errors = builder.preview(ward_admin, definition.pk, {})
    assert "ho_ten_tre" in errors and "ho_ten_tre" not in cleaned
    _spec, cleaned, errors = builder.preview(ward_admin, definition.pk, dict(BIRTH_ANSWERS))
    assert errors == {} and cleaned["ho_ten_tre"] == "NGUYỄN MINH KHANG"


def test_a_component_that_takes_only_pdf_refuses_an_image(ward_admin, citizen, profile, birth_form, agencies):
    definition = _ward_form(ward_admin)
    certificate = definition.components.get(name="Giấy chứng sinh")
    builder.save_component(
        ward_admin,
        definition.pk,
        ComponentSpec("Giấy chứng sinh", kinds=["pdf"]),
        component_id=certificate.pk,
    )
    builder.publish(ward_admin, definition.pk)
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    with pytest.raises(UploadRejected, match="chỉ nhận tệp PDF"):
        services.stage_upload(
            draft.pk,
            citizen,
            component="Giấy chứng sinh",
            file=SimpleUploadedFile("anh.jpg", jpeg_with_exif()),
        )
    assert draft.uploads.count() == 0


def test_offering_list_shows_each_form_state(ward_admin, birth_form, agencies):
    rows = builder.scope_rows(ward_admin, agencies["ward"])
    assert [(r["procedure"].code, r["status"]) for r in rows] == [
        ("1.001193", "Dùng biểu mẫu chung (phiên bản 1)")
    ]
    definition = _ward_form(ward_admin)
    assert builder.scope_rows(ward_admin, agencies["ward"])[0]["status"] == "Bản nháp, chưa công bố"
    builder.publish(ward_admin, definition.pk)
    assert builder.scope_rows(ward_admin, agencies["ward"])[0]["status"] == "Đang áp dụng phiên bản 1"
    with pytest.raises(PermissionDenied):
        builder.scope_rows(ward_admin, agencies["other"])
