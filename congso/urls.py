"""Top-level URL map. Each app owns its own urls.py; they are listed here in one place."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from .api import api

admin.site.site_header = "congso — quản trị hệ thống"
admin.site.site_title = "congso"

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("quan-tri-he-thong/", admin.site.urls),
    path("o/", include("congso.accounts.oauth_urls")),
    path("", include("congso.core.urls")),
]

# Apps that have pages. An app joins by adding a line here.
APP_URLS = [
    ("tai-khoan/", "congso.accounts.urls"),
    ("co-quan/", "congso.directory.urls"),
    ("", "congso.calendar.urls"),
    ("thu-tuc/", "congso.catalog.urls"),
    ("", "congso.signing.urls"),
    ("quay/", "congso.counters.urls"),
    ("mot-cua/", "congso.dossiers.urls"),
    ("dich-vu-cong/", "congso.portal.urls"),
    ("ho-so/", "congso.tracking.urls"),
    ("kho-du-lieu/", "congso.datastore.urls"),
    ("thanh-toan/", "congso.payments.urls"),
    ("thong-bao/", "congso.notifications.urls"),
    ("danh-gia/", "congso.ratings.urls"),
    ("danh-gia-xep-hang/", "congso.evaluations.urls"),
    ("lien-thong-van-ban/", "congso.exchange.urls"),
    ("chia-se-du-lieu/", "congso.sharing.urls"),
    ("lich-cong-tac/", "congso.workcalendars.urls"),
    ("bieu-quyet/", "congso.voting.urls"),
    ("tiep-can-thong-tin/", "congso.inforequests.urls"),
    ("van-ban/", "congso.documents.urls"),
    ("", "congso.feedback.urls"),
    ("", "congso.scorecard.urls"),
    ("tich-hop/", "congso.integration.urls"),
    ("hop/", "congso.meetings.urls"),
    ("", "congso.integration.metrics_urls"),
    # the information portals on Wagtail (ADR 0166): the editing interface, renditions, the page tree
    ("cms/", "congso.sites.cms_urls"),
    ("media/images/", "congso.sites.media_urls"),
    ("cong-thong-tin/", "congso.sites.urls"),
]


def app_urlpatterns(entries) -> list:
    """A ``path(prefix, include(module))`` for each listed app. Every module is imported: a missing one
    is an error (ModuleNotFoundError), never silently left out of the URL map."""
    return [path(prefix, include(module)) for prefix, module in entries]


urlpatterns += app_urlpatterns(APP_URLS)

handler400 = "congso.core.views.error_400"
handler403 = "congso.core.views.error_403"
handler404 = "congso.core.views.error_404"
handler500 = "congso.core.views.error_500"
