"""The permission matrix's world: the objects of access-to-information requests (inforequests) and the national portal's inbound sync (integration/national).

``extend`` adds them to the world ``conftest._build`` makes, under names (``v[...]``) that
``matrix_requests.py`` refers to in its paths and bodies.

Access to information (Luật Tiếp cận thông tin, Decree 13/2018; ADR 0167): the Sở Tư pháp publishes one
entry of its disclosure list; the citizen asks it for information from her account, and someone without
an account asks it too (that request is read back with the private link's token). Both requests are
just received, so the Sở's handlers (its clerks, officers, leaders: ``inforequests.permissions``) can
still act on them.
"""

import datetime as dt

from congso.inforequests import services as inforequest_services


def _request(w, **extra) -> dict:
    data = {
        "agency": w.agencies["justice"].code,
        "name": "Nguyễn Văn An",
        "address": "25 Hùng Vương, phường Pleiku, Gia Lai",
        "id_number": "064090001234",
        "phone": "0905123456",
        "email": "nguyen.van.an@example.vn",
        "information": "Kế hoạch phổ biến, giáo dục pháp luật năm 2027 của Sở Tư pháp tỉnh Gia Lai.",
        "purpose": "Tìm hiểu các buổi tuyên truyền pháp luật tổ chức tại phường Pleiku.",
        "form": "electronic",
        "means": "online",
    }
    data.update(extra)
    return data


def extend(w, v) -> None:
    """Add this area's objects to the world ``w``; record what requests refer to in ``v``."""
    justice, users = w.agencies["justice"], w.users
    item = inforequest_services.save_disclosure_item(
        actor=users["agency_admin"],
        agency=justice.code,
        category="chien-luoc-ke-hoach",
        title="Kế hoạch công tác tư pháp năm 2027",
        url="https://sotuphap.gialai.gov.vn/ke-hoach-cong-tac-2027",
        how="Đăng trên cổng thông tin điện tử của Sở",
        published_on=dt.date(2026, 12, 1),
    )
    mine = inforequest_services.submit(_request(w), actor=users["citizen"], ip="192.0.2.210")
    anonymous = inforequest_services.submit(
        _request(
            w,
            name="Ksor H'Bla",
            address="Thôn 3, xã Ia Grai, Gia Lai",
            id_number="064195006789",
            phone="0914765432",
            email="ksor.hbla@example.vn",
            information="Danh sách tổ chức hành nghề công chứng đang hoạt động tại tỉnh Gia Lai năm 2026.",
            purpose="Chọn văn phòng công chứng gần nơi cư trú.",
        ),
        actor=None,
        ip="192.0.2.211",
    )
    v.update(
        info_agency=justice.code,
        info_item=item.pk,
        info_request=mine.code,
        info_anonymous=anonymous.code,
        info_token=anonymous.access_token,
    )
