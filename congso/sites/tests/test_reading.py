"""What a citizen reads: search results (one search box, where and when, a marked snippet, pages), an
article (its summary once, the printed source), and the editing interface in Vietnamese for editors."""

import datetime as dt
import gettext
import re
from pathlib import Path

import wagtail
from wagtail.rich_text import RichText
from wagtail.users.models import UserProfile

from congso.directory.testing import login_verified
from congso.sites.models import SectionPage
from congso.sites.search import highlight, snippet
from congso.sites.testing import announcement

SITES_VI = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_marks_the_query_words_without_diacritics():
    assert (
        highlight("Thông báo lịch tiếp dân", ["thong", "bao"])
        == "<mark>Thông</mark> <mark>báo</mark> lịch tiếp dân"
    )
    assert (
        highlight("Đường <b>Hùng</b> Vương", ["duong"]) == "<mark>Đường</mark> &lt;b&gt;Hùng&lt;/b&gt; Vương"
    )
    # a word that merely contains the term is not marked; a word that starts with it is (prefix search)
    assert (
        highlight("Phường Pleiku, Pleikon", ["pleik"]) == "Phường <mark>Pleik</mark>u, <mark>Pleik</mark>on"
    )
    assert "<mark>" not in highlight("thông báo", ["ong"])

    text = "Mở đầu. " + "Nội dung dài dòng không liên quan. " * 20 + "Tạm ngừng cấp nước đường Hùng Vương."
    cut = snippet(f"<p>{text}</p>", ["hung", "vuong"], size=120)
    assert cut.startswith("… ") and "<mark>Hùng</mark> <mark>Vương</mark>" in cut and "<p>" not in cut
    assert len(re.sub(r"</?mark>", "", cut)) <= 130
    assert snippet("Ngắn gọn.", ["x"]) == "Ngắn gọn."


def test_search_results_one_box_where_when_snippet_and_pages(portals, client):
    home = portals.homes["pleiku"]
    approver = portals.users["pleiku_approver"]
    water = announcement(
        home,
        "Thông báo tạm ngừng cấp nước",
        user=approver,
        text="Để sửa chữa đường ống, việc cấp nước khu vực đường Hùng Vương tạm ngừng ngày 10/12/2026.",
    )
    url = home.url + "tim-kiem/"
    body = client.get(url, {"q": "hung vuong"}).content.decode()
    assert body.count('type="search"') == 1  # the page's form only, not the header's too
    assert 'id="portal-q"' not in body
    item = re.search(r'<li class="article-list__item">(.*?)</li>', body, re.S).group(1)
    assert water.url in item
    where = re.search(r'<p class="result__where">(.*?)</p>', item, re.S).group(1)
    assert where.startswith("Thông báo") and home.title not in where  # its section, in this portal
    assert water.date.strftime("%d/%m/%Y") in item
    assert "<mark>Hùng</mark> <mark>Vương</mark>" in item  # a snippet of the matching text, marked

    # the other portals: the portal's name says where a result lives
    iagrai = portals.homes["iagrai"]
    announcement(iagrai, "Lịch tiêm chủng", user=portals.users["iagrai_approver"], text="Đường Hùng Vương")
    body = client.get(url, {"q": "hung vuong", "pham-vi": "tat-ca"}).content.decode()
    assert "2 kết quả" in body and iagrai.title in body

    # pages of ten results
    for n in range(11):
        announcement(home, f"Thông báo số {n + 1} về tiếp dân", user=approver, text="Lịch tiếp công dân.")
    first = client.get(url, {"q": "tiep dan"}).content.decode()
    assert "mới nhất trước" in first and first.count('class="article-list__item"') == 10
    assert "trang=2" in first and "Trang 1" in first and "kết quả cho" not in first  # no count of all
    assert first.index("Thông báo số 11 về") < first.index("Thông báo số 10 về")  # newest
    second = client.get(url, {"q": "tiep dan", "trang": 2}).content.decode()
    assert second.count('class="article-list__item"') == 1 and "Trang trước" in second
    assert "11 kết quả" in second  # the last page knows the total
    for bad in ("abc", "-3", "0"):  # not a page: the first one
        assert "trang=2" in client.get(url, {"q": "tiep dan", "trang": bad}).content.decode()
    for beyond in (7, "9" * 30):  # past the end (at most page 100): no made-up total
        body = client.get(url, {"q": "tiep dan", "trang": beyond}).content.decode()
        assert "kết quả cho" not in body and "Trang trước" in body

    # other pages keep the header's search box
    assert 'id="portal-q"' in client.get(water.url).content.decode()


def test_article_shows_its_summary_once_and_prints_its_source(portals, client):
    home = portals.homes["pleiku"]
    approver = portals.users["pleiku_approver"]
    # the body repeats the summary (as editors often paste it): it is shown once
    same = announcement(home, "Thông báo lịch tiếp dân", user=approver, text="Chủ tịch tiếp dân thứ Năm.")
    body = client.get(same.url).content.decode()
    assert body.count("Chủ tịch tiếp dân thứ Năm.") == 1
    assert "article__summary" not in body

    # a summary of its own is the lead, above a body that says more
    section = SectionPage.objects.child_of(home).get(slug="thong-bao")
    page = same.__class__(
        title="Thông báo tạm ngừng cấp nước",
        summary="Tạm ngừng cấp nước ngày 10/12/2026.",
        body=[("paragraph", RichText("<p>Khu vực đường Hùng Vương, từ 8 giờ đến 17 giờ.</p>"))],
        date=dt.date(2026, 12, 6),
    )
    section.add_child(instance=page)
    page.save_revision(user=approver).publish(user=approver)
    body = client.get(page.url).content.decode()
    assert body.count("Tạm ngừng cấp nước ngày 10/12/2026.") == 1
    assert '<p class="article__summary">Tạm ngừng cấp nước ngày 10/12/2026.</p>' in body

    # the printed paper says where it came from: the portal, the address, the print date (print.js)
    source = re.search(r'<footer class="print-source">(.*?)</footer>', body, re.S).group(1)
    assert home.title in source
    assert f"http://testserver{page.url}" in source
    assert "data-print-date" in source
    assert "beforeprint" in (Path(__file__).resolve().parents[1] / "static/sites/print.js").read_text()


def test_editing_interface_is_vietnamese_for_editors(portals, client):
    editor = portals.users["pleiku_editor"]
    login_verified(client, editor)
    section = SectionPage.objects.child_of(portals.homes["pleiku"]).get(slug="thong-bao")
    add = f"/cms/pages/add/sites/announcementpage/{section.pk}/"
    # an English browser still gets Vietnamese: Wagtail's catalogue, the gaps filled, our own strings
    body = client.get(add, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi"' in body
    assert "Lưu bản nháp" in body  # Wagtail's "Save draft" (filled by congso/sites/locale/vi)
    assert "Cho máy tìm kiếm" in body  # Wagtail's "For search engines"
    assert "Cơ quan thông báo" in body and "không cần chép lại vào phần nội dung" in body
    assert "Save draft" not in body and "For search engines" not in body

    # an editor who chose English in their Wagtail account gets English
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    assert '<html lang="en"' in client.get(add).content.decode()


def test_wagtail_gaps_translate_only_what_wagtail_does_not():
    """congso/sites/locale/vi adds Vietnamese only for strings Wagtail's own catalogue leaves untranslated."""
    root = Path(wagtail.__file__).parent
    translated = set()
    for mo in root.glob("**/locale/vi/LC_MESSAGES/django.mo"):
        with mo.open("rb") as f:
            translated |= {k for k, v in gettext.GNUTranslations(f)._catalog.items() if k and v}
    ours = re.findall(r'^msgid "(.+)"$', SITES_VI.read_text(encoding="utf-8"), re.M)
    assert len(ours) > 150
    assert not [m for m in ours if m.replace('\\"', '"') in translated]
