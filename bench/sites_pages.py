"""Fill the portals with N published news and announcements, fast (for ``bench_sites.py --pages N``).

Wagtail's ``add_child`` + publish costs tens of milliseconds a page (a revision, the tree lock, the search
index, the reference index, signals): 100,000 pages would take hours. Here the pages are written in
batches, as Wagtail itself would leave them once published:

* ``wagtailcore_page`` rows with treebeard's materialised path (``MP_Node._get_path``), ``depth``,
  ``url_path``, the parent's locale, the page type's content type, ``live=True`` and first/last publish
  times; the parent section's ``numchild`` is brought up to date once per batch;
* the page type's own row (``sites_newspage`` / ``sites_announcementpage``) linked by ``page_ptr``;
* the search index rows, through Wagtail's own backend (``get_search_backend().add_bulk``, what
  ``manage.py update_index`` does), so the folded copy indexed is ``PortalPage.folded_text`` exactly.

No revisions are written (an editor's first edit creates one) and no reference index rows (the generated
bodies link nowhere). Text is realistic Vietnamese: a province portal and commune portals of Gia Lai, a mix
of common topics ("thông báo lịch tiếp công dân", "tuyển dụng", "chuyển đổi số", "tiêm chủng" …), with a
rare phrase ("hồ thủy lợi Ia Mơ Nông") in about one page in 2,000.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

TOPICS = [
    # (section slug, page kind, title template, summary template)
    (
        "thong-bao",
        "announcement",
        "Thông báo lịch tiếp công dân định kỳ của Chủ tịch UBND {unit} tháng {month}/{year}",
        "Chủ tịch UBND {unit} tiếp công dân vào thứ {weekday} tuần thứ {week} của tháng tại trụ sở.",
    ),
    (
        "thong-bao",
        "announcement",
        "Thông báo tuyển dụng viên chức {field} năm {year}",
        "UBND {unit} thông báo tuyển dụng {n} chỉ tiêu viên chức {field}; hạn nộp phiếu dự tuyển ngày {day}/{month}.",
    ),
    (
        "thong-bao",
        "announcement",
        "Thông báo tạm ngừng cấp điện khu vực {street}",
        "Điện lực Gia Lai tạm ngừng cấp điện từ {hour} giờ đến {hour2} giờ ngày {day}/{month} để bảo dưỡng lưới điện.",
    ),
    (
        "thong-bao",
        "announcement",
        "Thông báo lịch tiêm chủng mở rộng cho trẻ em dưới 5 tuổi tháng {month}/{year}",
        "Trạm Y tế {unit} tổ chức tiêm chủng vắc xin sởi – rubella vào ngày {day}/{month}.",
    ),
    (
        "thong-bao",
        "announcement",
        "Thông báo công khai danh sách hộ nghèo, hộ cận nghèo năm {year}",
        "Danh sách được niêm yết tại trụ sở UBND {unit} và nhà văn hoá các thôn, tổ dân phố trong {n} ngày.",
    ),
    (
        "tin-tuc",
        "news",
        "{unit_title} triển khai kế hoạch chuyển đổi số năm {year}",
        "Mục tiêu 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình; {n}% hồ sơ được số hoá.",
    ),
    (
        "tin-tuc",
        "news",
        "Hội nghị sơ kết công tác cải cách hành chính {period} năm {year}",
        "Tỷ lệ hồ sơ giải quyết đúng hạn đạt {n}%, không có hồ sơ trễ hạn do lỗi của cán bộ, công chức.",
    ),
    (
        "tin-tuc",
        "news",
        "Ra quân tổng vệ sinh môi trường trên tuyến đường {street}",
        "Đoàn viên thanh niên và người dân {unit} thu gom rác, phát quang bụi rậm, khơi thông cống rãnh.",
    ),
    (
        "tin-tuc",
        "news",
        "{unit_title} hỗ trợ đồng bào làm thủ tục trực tuyến tại nhà",
        "Tổ công nghệ số cộng đồng hướng dẫn người dân cài đặt VNeID, nộp hồ sơ và thanh toán trực tuyến.",
    ),
    (
        "tin-tuc",
        "news",
        "Giao ban công tác quốc phòng, an ninh {period} năm {year}",
        "Lực lượng dân quân thường trực và công an {unit} phối hợp giữ vững an ninh trật tự trên địa bàn.",
    ),
    (
        "tin-tuc",
        "news",
        "Xây dựng nông thôn mới: {unit_title} hoàn thành {n} tiêu chí",
        "Bê tông hoá đường giao thông nông thôn, nâng cấp trường học và nhà văn hoá các thôn làng.",
    ),
    (
        "tin-tuc",
        "news",
        "Ngày hội Đại đoàn kết toàn dân tộc ở làng {village}",
        "Bà con người Jrai, Bahnar và người Kinh cùng vui ngày hội với cồng chiêng, rượu cần và thể thao dân gian.",
    ),
]
PARAGRAPHS = [
    "Thực hiện chỉ đạo của UBND tỉnh Gia Lai, {unit} đã ban hành kế hoạch và phân công nhiệm vụ cụ thể cho "
    "từng bộ phận chuyên môn.",
    "Người dân có thể tra cứu thủ tục, nộp hồ sơ trực tuyến và theo dõi kết quả giải quyết trên điện thoại; "
    "mọi thắc mắc xin liên hệ Bộ phận Một cửa.",
    "Địa điểm: Trụ sở UBND {unit}, số {n} đường {street}. Thời gian: từ 7 giờ 30 đến 11 giờ 30.",
    "Công chức Văn hoá – Xã hội chịu trách nhiệm tổng hợp, báo cáo kết quả về UBND trước ngày {day}/{month}.",
    "Các thôn, làng, tổ dân phố tuyên truyền rộng rãi để người dân được biết và thực hiện.",
    "Kinh phí thực hiện từ nguồn ngân sách nhà nước năm {year} và các nguồn vốn hợp pháp khác.",
    "Đề nghị các cơ quan, đơn vị, tổ chức và cá nhân trên địa bàn phối hợp thực hiện nghiêm túc.",
    "Trong {period}, toàn {unit} tiếp nhận {n} hồ sơ, trong đó hồ sơ trực tuyến chiếm tỷ lệ cao.",
]
RARE = "Dự án nâng cấp kênh mương hồ thủy lợi Ia Mơ Nông bảo đảm nước tưới cho vụ Đông Xuân."
STREETS = ["Hùng Vương", "Trần Hưng Đạo", "Lê Lợi", "Phạm Văn Đồng", "Nguyễn Tất Thành", "Quang Trung", "Wừu"]
VILLAGES = ["Plei Ốp", "Plei Chuet", "Ia Pếch", "Đê Gơl", "Ia Kênh", "Tơ Vơn", "Blang"]
FIELDS = ["giáo dục", "y tế", "văn hoá – thông tin", "nông nghiệp", "tư pháp – hộ tịch", "địa chính"]
PERIODS = ["6 tháng đầu năm", "quý I", "quý II", "quý III", "9 tháng", "cả năm"]
WEEKDAYS = ["Hai", "Ba", "Tư", "Năm", "Sáu"]

CHUNK = 2000


def _unit_names(home):
    """("phường Pleiku", "Phường Pleiku") from a portal's agency (UBND phường Pleiku → phường Pleiku)."""
    name = home.agency.unit.name if getattr(home.agency, "unit_id", None) else home.agency.name
    name = name.removeprefix("Ủy ban nhân dân ").removeprefix("UBND ")
    return name[0].lower() + name[1:], name[0].upper() + name[1:]


def _text(rng: random.Random, template: str, unit: str, unit_title: str, year: int) -> str:
    return template.format(
        unit=unit,
        unit_title=unit_title,
        year=year,
        month=f"{rng.randint(1, 12):02d}",
        day=f"{rng.randint(1, 28):02d}",
        week=rng.choice(["nhất", "hai", "ba", "tư"]),
        weekday=rng.choice(WEEKDAYS),
        hour=rng.choice([6, 7, 8, 13]),
        hour2=rng.choice([11, 16, 17]),
        n=rng.randint(2, 98),
        street=rng.choice(STREETS),
        village=rng.choice(VILLAGES),
        field=rng.choice(FIELDS),
        period=rng.choice(PERIODS),
    )


def open_portals(count: int) -> int:
    """Open up to ``count`` more commune/ward portals (services.create_portal) for communes without one."""
    from congso.accounts.models import User
    from congso.directory.models import Agency
    from congso.sites import services
    from congso.sites.models import SiteHome

    if count <= 0:
        return 0
    admin = User.objects.get(username="quantri.hethong")
    taken = SiteHome.objects.values_list("agency_id", flat=True)
    agencies = (
        Agency.objects.filter(code__startswith="H21.", kind="peoples_committee", unit__isnull=False)
        .exclude(pk__in=taken)
        .select_related("unit")
        .order_by("code")[:count]
    )
    opened = 0
    for agency in agencies:
        with transaction.atomic():
            services.create_portal(agency, title=f"Trang thông tin điện tử {agency.unit.name}", by=admin)
        opened += 1
    return opened


def generate(target: int, *, seed: int = 21, out=print) -> int:
    """Add published news and announcements until the portals hold ``target`` of them; returns how many
    were added."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from congso.sites.models import AnnouncementPage, NewsPage, SectionPage, SiteHome

    existing = NewsPage.objects.count() + AnnouncementPage.objects.count()
    missing = target - existing
    if missing <= 0:
        return 0
    rng = random.Random(seed + existing)
    homes = list(SiteHome.objects.live().select_related("agency", "agency__unit").order_by("path"))
    sections = {
        (home.pk, s.slug): s
        for home in homes
        for s in SectionPage.objects.child_of(home).filter(slug__in=("tin-tuc", "thong-bao"))
    }
    kinds = {"news": NewsPage, "announcement": AnnouncementPage}
    content_types = {k: ContentType.objects.get_for_model(m) for k, m in kinds.items()}
    backend = get_search_backend()
    now = timezone.now()
    start = time.perf_counter()
    added = 0
    while added < missing:
        batch = min(CHUNK, missing - added)
        # the province's portal carries about a third of the articles, the communes share the rest
        plan = []
        for _i in range(batch):
            home = homes[0] if rng.random() < 0.33 or len(homes) == 1 else rng.choice(homes[1:])
            plan.append((home, rng.choice(TOPICS)))
        by_section: dict[int, list] = {}
        with transaction.atomic():
            for home, (section_slug, kind, title_t, summary_t) in plan:
                section = sections.get((home.pk, section_slug))
                if section is None:
                    continue
                by_section.setdefault(section.pk, []).append((home, section, kind, title_t, summary_t))
            pages, specifics = [], []
            for section_pk, items in by_section.items():
                section = SectionPage.objects.select_for_update().get(pk=section_pk)
                last = Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)
                last = last.order_by("-path").values_list("path", flat=True).first()
                step = Page._str2int(last[-Page.steplen :]) if last else 0
                for home, _section, kind, title_t, summary_t in items:
                    step += 1
                    unit, unit_title = _unit_names(home)
                    published = now - dt.timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
                    year = published.year
                    title = _text(rng, title_t, unit, unit_title, year)[:255]
                    summary = _text(rng, summary_t, unit, unit_title, year)[:600]
                    paras = [_text(rng, p, unit, unit_title, year) for p in rng.sample(PARAGRAPHS, 3)]
                    if rng.random() < 0.0005:
                        paras.append(RARE)
                    slug = f"{slugify(title)[:70].strip('-')}-{uuid.uuid4().hex[:6]}"
                    page = Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        path=Page._get_path(section.path, section.depth + 1, step),
                        depth=section.depth + 1,
                        numchild=0,
                        url_path=f"{section.url_path}{slug}/",
                        content_type=content_types[kind],
                        locale_id=section.locale_id,
                        translation_key=uuid.uuid4(),
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        search_description="",
                    )
                    body = [
                        {
                            "type": "paragraph",
                            "value": "".join(f"<p>{p}</p>" for p in paras),
                            "id": str(uuid.uuid4()),
                        }
                    ]
                    fields = {"date": published.date(), "summary": summary, "body": body}
                    if kind == "announcement":
                        fields |= {
                            "issuer": f"UBND {unit}",
                            "valid_until": published.date() + dt.timedelta(days=30),
                        }
                    pages.append(page)
                    specifics.append((kinds[kind], fields))
                SectionPage.objects.filter(pk=section_pk).update(numchild=F("numchild") + len(items))
            Page.objects.bulk_create(pages, batch_size=1000)
            created = {NewsPage: [], AnnouncementPage: []}
            for page, (model, fields) in zip(pages, specifics, strict=True):
                obj = model(page_ptr_id=page.pk, **fields)
                # the inherited Page fields, for the search index (title) without reading them back
                for f in Page._meta.concrete_fields:
                    setattr(obj, f.attname, getattr(page, f.attname))
                created[model].append(obj)
            for model, objs in created.items():
                if objs:
                    model._base_manager._insert(
                        objs, fields=model._meta.local_concrete_fields, using="default", returning_fields=None
                    )
                    backend.add_bulk(model, objs)
        added += len(pages)
        rate = added / (time.perf_counter() - start)
        out(f"  {existing + added} pages ({rate:.0f} pages/s)")
    return added
