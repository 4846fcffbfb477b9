"""The JSON API at /api/v1/ (django-ninja). Schema: /api/v1/openapi.json, docs: /api/v1/docs (when
``settings.CONGSO_API_DOCS``; off by default in production).

Each app that exposes endpoints has an ``api.py`` with a ``router`` (a ninja.Router) and
is listed in API_ROUTERS below, in one obvious place.
"""

from functools import wraps
from importlib import import_module

from django.conf import settings
from django.http import Http404

from congso.core.api_errors import install_error_handlers
from congso.core.openapi import UniqueSchemaNinjaAPI


def docs_setting(view):
    """Serve the interactive docs only while ``CONGSO_API_DOCS`` is on (read per request); the schema
    always. Ninja wraps both views with this."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        docs = request.resolver_match is not None and request.resolver_match.url_name == "openapi-view"
        if docs and not settings.CONGSO_API_DOCS:
            raise Http404("API docs are off (CONGSO_API_DOCS)")
        return view(request, *args, **kwargs)

    return wrapper


api = UniqueSchemaNinjaAPI(
    title="congso API",
    version="1",
    description=(
        "API của nền tảng chính quyền số congso: thủ tục hành chính, hồ sơ một cửa, chữ ký số, "
        "phản ánh kiến nghị và chỉ số phục vụ. Mọi thao tác trên giao diện đều có ở đây."
    ),
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=docs_setting,
    openapi_url="/openapi.json",
)


install_error_handlers(api)


# (app module, URL prefix) — an app joins the API by adding a line here.
API_ROUTERS = [
    ("congso.core.api", ""),
    ("congso.accounts.api", "/accounts"),
    ("congso.directory.api", "/directory"),
    ("congso.calendar.api", "/calendar"),
    ("congso.catalog.api", ""),
    ("congso.signing.api", "/signatures"),
    ("congso.counters.api", "/counters"),
    ("congso.tracking.api", "/dossiers"),
    ("congso.dossiers.api", "/dossiers"),
    ("congso.portal.api", "/portal"),
    ("congso.datastore.api", "/datastore"),
    ("congso.payments.api", "/payments"),
    ("congso.notifications.api", "/notifications"),
    ("congso.ratings.api", "/ratings"),
    ("congso.evaluations.api", "/evaluations"),
    ("congso.exchange.api", "/exchange"),
    ("congso.sharing.api", "/sharing"),
    ("congso.workcalendars.api", "/work-calendars"),
    ("congso.voting.api", "/voting"),
    ("congso.inforequests.api", "/info-requests"),
    ("congso.documents.api", "/documents"),
    ("congso.feedback.api", "/feedback"),
    ("congso.scorecard.api", "/scorecards"),
    ("congso.integration.api", "/integration"),
    ("congso.meetings.api", "/meetings"),
    ("congso.sites.api", "/sites"),
]


def register_routers(api: UniqueSchemaNinjaAPI, routers) -> None:
    """Add each listed module's ``router`` at its prefix. Every module is imported: a missing one is an
    error (ModuleNotFoundError), never silently left out of the API."""
    for module_name, prefix in routers:
        api.add_router(prefix, import_module(module_name).router)


register_routers(api, API_ROUTERS)
