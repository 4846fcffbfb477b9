from congso.catalog.models import Offering, Procedure
from congso.portal import definitions, demo
from congso.portal.definitions import ComponentSpec, FieldSpec, FormSpec
from congso.portal.models import FormDefinition, FormField


def spec():
    return FormSpec(
        title="Thử",
        fields=[
            FieldSpec("ho_ten", "Họ tên", "text", True, max_length=10),
            FieldSpec("ngay", "Ngày", "date"),
            FieldSpec("so", "Số", "number"),
            FieldSpec("loai", "Loại", "select", True, choices=[("a", "A"), ("b", "B")]),
            FieldSpec("chi_tiet", "Chi tiết", "text", True, show_if_field="loai", show_if_value="b"),
            FieldSpec("dong_y", "Đồng ý", "checkbox"),
            FieldSpec("so_ban", "Số bản", "number", True, show_if_field="dong_y", show_if_value="true"),
            FieldSpec("cccd", "CCCD", "cccd"),
            FieldSpec("dt", "Điện thoại", "phone"),
            FieldSpec("email", "Thư", "email"),
            FieldSpec(
                "ma", "Mã", "text", pattern=r"[A-Z]{2}\d{3}", pattern_message="Mã gồm 2 chữ in hoa và 3 số."
            ),
        ],
        components=[ComponentSpec("Giấy chứng sinh")],
    )


def test_required_fields_and_select():
    cleaned, errors = definitions.validate(spec(), {})
    assert errors == {"ho_ten": "Cần nhập thông tin này.", "loai": "Cần chọn một giá trị."}
    _c, errors = definitions.validate(spec(), {"ho_ten": "An", "loai": "z"})
    assert errors == {"loai": "Chọn một giá trị trong danh sách."}


def test_conditional_field_only_when_shown():
    cleaned, errors = definitions.validate(spec(), {"ho_ten": "An", "loai": "a", "chi_tiet": "bỏ qua"})
    assert errors == {} and "chi_tiet" not in cleaned  # hidden: dropped, not required
    _c, errors = definitions.validate(spec(), {"ho_ten": "An", "loai": "b"})
    assert set(errors) == {"chi_tiet"}
    _c, errors = definitions.validate(spec(), {"ho_ten": "An", "loai": "a", "dong_y": "true"})
    assert set(errors) == {"so_ban"}
    cleaned, errors = definitions.validate(
        spec(), {"ho_ten": "An", "loai": "a", "dong_y": "on", "so_ban": "2"}
    )
    assert errors == {} and cleaned["dong_y"] is True and cleaned["so_ban"] == "2"


def test_types_and_rules():
    base = {"ho_ten": "An", "loai": "a"}
    bad = {
        "ho_ten": "Nguyễn Văn Anh Tuấn",
        "ngay": "31/02/2025",
        "so": "mười",
        "cccd": "12345",
        "dt": "12345",
        "email": "khong-phai-thu",
        "ma": "ab123",
    }
    _c, errors = definitions.validate(spec(), {**base, **bad})
    assert set(errors) == set(bad)
    assert "10 ký tự" in errors["ho_ten"]
    assert errors["ma"] == "Mã gồm 2 chữ in hoa và 3 số."
    cleaned, errors = definitions.validate(
        spec(),
        {
            **base,
            "ngay": "02/11/2026",
            "so": "1,5",
            "cccd": "052 095 001 234",
            "dt": "0905 123 456",
            "ma": "GL123",
        },
    )
    assert errors == {}
    assert cleaned["ngay"] == "2026-11-02" and cleaned["so"] == "1.5"
    assert cleaned["cccd"] == "052095001234" and cleaned["dt"] == "0905123456"


def test_default_from_catalogue(procedure_version):
    content = dict(procedure_version.content)
    content["components"] = content["components"] + [
        {"name": "- Giấy ủy quyền (nếu có)", "originals": 1, "copies": 0},
        {"name": "- Trường hợp trẻ em bị bỏ rơi: biên bản", "originals": 1, "copies": 0},
        {"group": "* Giấy tờ phải xuất trình:", "name": "- Căn cước", "originals": 1, "copies": 0},
        {"group": "* Lưu ý:", "name": "Người tiếp nhận kiểm tra", "originals": 1, "copies": 0},
        {"group": "", "name": "Một lời giải thích", "originals": 0, "copies": 0},
    ]
    procedure_version.content = content
    procedure_version.save()
    procedure = Procedure.objects.get(pk=procedure_version.procedure_id)
    default = definitions.spec_for(procedure)
    assert default.source == "default"
    assert [(c.name, c.required, c.originals) for c in default.components] == [
        ("Tờ khai đăng ký khai sinh", True, 1),
        ("Giấy chứng sinh", True, 1),
        ("Giấy ủy quyền (nếu có)", False, 1),
        ("Trường hợp trẻ em bị bỏ rơi: biên bản", False, 1),
    ]
    assert [f.key for f in default.fields] == ["noi_dung"] and default.fields[0].required


def _published(procedure, agency, title, *fields):
    definition = FormDefinition.objects.create(procedure=procedure, agency=agency, title=title)
    for key, label, required in fields:
        FormField.objects.create(definition=definition, key=key, label=label, required=required)
    definition.published = definitions.snapshot(definitions.working_spec(definition))
    definition.version, definition.is_active = 1, True
    definition.save()
    return definition


def test_agency_definition_overrides_national(procedure_version, agencies):
    procedure = procedure_version.procedure
    _published(procedure, None, "Toàn quốc", ("a", "A", False))
    local = _published(procedure, agencies["ward"], "Phường Pleiku", ("b", "B", True))
    assert definitions.spec_for(procedure, agencies["ward"]).title == "Phường Pleiku"
    assert definitions.spec_for(procedure, agencies["other"]).title == "Toàn quốc"
    assert definitions.spec_for(procedure, agencies["ward"]).source == "agency"
    assert definitions.spec_for(procedure, agencies["ward"]).version == 1
    local.is_active = False
    local.save()
    assert [f.key for f in definitions.spec_for(procedure, agencies["ward"]).fields] == ["a"]


def test_citizens_get_the_published_snapshot_not_the_rows_being_edited(procedure_version, agencies):
    procedure = procedure_version.procedure
    national = _published(procedure, None, "Toàn quốc", ("a", "A", False))
    FormField.objects.create(definition=national, key="moi", label="Trường đang soạn")
    assert [f.key for f in definitions.spec_for(procedure).fields] == ["a"]
    unpublished = FormDefinition.objects.create(procedure=procedure, agency=agencies["ward"], is_active=True)
    FormField.objects.create(definition=unpublished, key="b", label="B")
    assert definitions.spec_for(procedure, agencies["ward"]).source == "national"  # never published


def test_problems_of_a_definition():
    bad = FormSpec(
        title="Thử",
        fields=[
            FieldSpec("ho_ten", "Họ tên"),
            FieldSpec("ho_ten", "Họ tên (lần 2)"),
            FieldSpec("Sai-Ma", "Mã sai"),
            FieldSpec("loai", "Loại", "select"),
            FieldSpec("chi_tiet", "Chi tiết", show_if_field="khong_co", show_if_value="x"),
            FieldSpec("ma", "Mã", pattern="[A-Z"),
            FieldSpec("ngay", "Ngày", "date", pattern=r"\d+"),
            FieldSpec("vong_a", "A", show_if_field="vong_b", show_if_value="1"),
            FieldSpec("vong_b", "B", show_if_field="vong_a", show_if_value="1"),
            FieldSpec("dai", "Dài", max_length=5000),
        ],
        components=[
            ComponentSpec("Giấy chứng sinh"),
            ComponentSpec("Giấy chứng sinh"),
            ComponentSpec("X", kinds=["doc"]),
        ],
    )
    found = {(p.path, p.message) for p in definitions.problems(bad)}
    paths = {path for path, _m in found}
    assert {
        "fields[1].key",
        "fields[2].key",
        "fields[3].choices",
        "fields[4].show_if_field",
        "fields[5].pattern",
        "fields[6].pattern",
        "fields[7].show_if_field",
        "fields[8].show_if_field",
        "fields[9].max_length",
        "components[1].name",
        "components[2].kinds",
    } == paths
    messages = dict(found)
    assert messages["fields[1].key"] == "Mã trường “ho_ten” bị trùng: mỗi trường cần một mã riêng."
    assert "không có trường nào mang mã này" in messages["fields[4].show_if_field"]
    assert messages["fields[5].pattern"].startswith("Biểu thức kiểm tra của trường “Mã” không hợp lệ")
    assert "vòng lặp" in messages["fields[7].show_if_field"]
    assert definitions.problems(spec()) == []


def test_birth_form_conditionals(birth_form, answers):
    spec = definitions.spec_for(birth_form.procedure)
    cleaned, errors = definitions.validate(spec, answers)
    assert errors == {}
    assert "dia_chi_noi_sinh" not in cleaned
    _c, errors = definitions.validate(spec, {**answers, "noi_sinh_loai": "ngoai_co_so_y_te"})
    assert set(errors) == {"dia_chi_noi_sinh"}
    # the paper declaration is not asked again: the form is filled in online
    assert [(c.name, c.required) for c in spec.components] == [
        ("Giấy chứng sinh", True),
        ("Văn bản ủy quyền", False),
        ("Giấy tờ chứng minh nơi cư trú", False),
    ]


def test_demo_is_idempotent(procedure_version, agencies):
    import io

    procedure = procedure_version.procedure
    Offering.objects.create(agency=agencies["ward"], procedure=procedure, online_open=False)
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    offering = Offering.objects.get(agency=agencies["ward"], procedure=procedure)
    assert offering.online_open
    definition = FormDefinition.objects.get(procedure=procedure)
    assert definition.fields.count() == len(demo.BIRTH_FIELDS)
    assert definition.components.count() == 3


def test_django_admin_is_read_only(admin_client, birth_form):
    assert admin_client.get("/quan-tri-he-thong/portal/formdefinition/add/").status_code == 403
    page = admin_client.get(f"/quan-tri-he-thong/portal/formdefinition/{birth_form.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/dich-vu-cong/bieu-mau/toan-quoc/1.001193/" in html  # changes go through the builder
    response = admin_client.post(
        f"/quan-tri-he-thong/portal/formdefinition/{birth_form.pk}/change/", {"title": "Đổi tên"}
    )
    assert response.status_code == 403
    birth_form.refresh_from_db()
    assert birth_form.title == "Tờ khai đăng ký khai sinh"
    assert (
        admin_client.post(f"/quan-tri-he-thong/portal/formdefinition/{birth_form.pk}/delete/").status_code
        == 403
    )
