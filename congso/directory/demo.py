"""Demo directory: all administrative units, and Gia Lai's agencies (codes from demo_codes), with their
official English names for the portals' English pages."""

from congso.directory import demo_codes as dc

from .models import AdministrativeUnit, Agency, Membership
from .units import TWO_TIER_START, load_units

K = Agency.Kind


def _unit(code):
    return AdministrativeUnit.objects.get(code=code, valid_from=TWO_TIER_START)


def _agency(code, name, kind, unit, parent=None, **extra):
    agency, _ = Agency.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "unit": unit, "parent": parent, **extra}
    )
    return agency


def load(out):
    result = load_units()
    out.write(f"  Đơn vị hành chính: {result}.")
    province = _unit(dc.PROVINCE_UNIT)
    pc = _agency(
        dc.PROVINCE_PC,
        "Ủy ban nhân dân tỉnh Gia Lai",
        K.PEOPLES_COMMITTEE,
        province,
        short_name="UBND tỉnh Gia Lai",
        name_en="Gia Lai Provincial People's Committee",
        address="Số 01 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai",
        phone="0256 3822 011",
        email="ubnd@gialai.gov.vn",
    )
    _agency(
        dc.PROVINCE_CENTRE,
        "Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
        K.SERVICE_CENTRE,
        province,
        pc,
        short_name="TTPVHCC tỉnh",
        name_en="Public Administrative Service Centre of Gia Lai Province",
        address="Số 127 Hai Bà Trưng, phường Quy Nhơn, tỉnh Gia Lai",
        phone="0256 3818 999",
        email="ttpvhcc@gialai.gov.vn",
    )
    justice = _agency(
        dc.DEPT_JUSTICE,
        "Sở Tư pháp tỉnh Gia Lai",
        K.DEPARTMENT,
        province,
        pc,
        short_name="Sở Tư pháp",
        name_en="Department of Justice of Gia Lai Province",
        phone="0256 3822 456",
        email="stp@gialai.gov.vn",
    )
    _agency(
        dc.DEPT_JUSTICE_CIVIL,
        "Phòng Hành chính tư pháp",
        K.DIVISION,
        province,
        justice,
        short_name="Phòng HCTP",
        name_en="Judicial Administration Division, Department of Justice of Gia Lai Province",
    )
    _agency(
        dc.DEPT_CONSTRUCTION,
        "Sở Xây dựng tỉnh Gia Lai",
        K.DEPARTMENT,
        province,
        pc,
        short_name="Sở Xây dựng",
        name_en="Department of Construction of Gia Lai Province",
        phone="0256 3822 789",
        email="sxd@gialai.gov.vn",
    )
    for code, name in dc.COMMUNE_UNITS.items():
        unit = _unit(code)
        commune_pc = _agency(
            dc.commune_pc(code),
            f"Ủy ban nhân dân {name[0].lower()}{name[1:]}",
            K.PEOPLES_COMMITTEE,
            unit,
            pc,
            short_name=f"UBND {name}",
            name_en=f"People's Committee of {dc.COMMUNE_NAMES_EN[code]}",
        )
        _agency(
            dc.commune_centre(code),
            f"Trung tâm Phục vụ hành chính công {name[0].lower()}{name[1:]}",
            K.SERVICE_CENTRE,
            unit,
            commune_pc,
            short_name=f"TTPVHCC {name}",
            name_en=f"Public Administrative Service Centre of {dc.COMMUNE_NAMES_EN[code]}",
        )
    for centre in Agency.objects.filter(kind=K.SERVICE_CENTRE, serves__isnull=True):
        centre.serves.add(*centre.default_served())
    out.write(
        f"  Cơ quan trình diễn: {Agency.objects.filter(path__startswith=pc.path).count()} cơ quan tỉnh Gia Lai."
    )
    return []


def demo_role(user, agency, role: str, position: str = "", *, valid_from=None) -> Membership:
    """A demo official's ``role`` at ``agency`` unless they hold it already (several apps' demos create the
    same leaders: the first to run wins), with the English title of their position from
    ``demo_codes.POSITIONS_EN``."""
    defaults = {"position": position, "position_en": dc.position_en(user.username)}
    if valid_from is not None:
        defaults["valid_from"] = valid_from
    membership, _created = Membership.objects.get_or_create(
        user=user, agency=agency, role=role, defaults=defaults
    )
    return membership
