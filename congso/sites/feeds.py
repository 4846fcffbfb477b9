"""RSS feed of a portal's news and announcements (Decree 42)."""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext as _


class SiteFeed(Feed):
    def get_object(self, request, home=None):
        return home

    def title(self, home):
        return home.title

    def link(self, home):
        return home.url

    def description(self, home):
        return _("Tin tức, thông báo mới nhất của %(name)s") % {"name": home.title}

    def items(self, home):
        return home.articles()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at
