"""congso/api.py and congso/urls.py list every app's router and pages; a listed module that does not
exist is an error at start-up, never silently left out."""

import importlib.util
import sys
import types

import pytest
from ninja import NinjaAPI, Router

from congso import api as project_api
from congso import urls as project_urls


@pytest.mark.parametrize("module_name", [name for name, _prefix in project_api.API_ROUTERS])
def test_every_listed_api_module_exists_and_its_router_is_mounted(module_name):
    assert importlib.util.find_spec(module_name) is not None, f"{module_name} is listed but does not exist"
    router = importlib.import_module(module_name).router
    assert any(mounted is router for _prefix, mounted in project_api.api._routers)


@pytest.mark.parametrize("module_name", [name for _prefix, name in project_urls.APP_URLS])
def test_every_listed_urls_module_exists_and_is_included(module_name):
    assert importlib.util.find_spec(module_name) is not None, f"{module_name} is listed but does not exist"
    module = importlib.import_module(module_name)
    assert any(getattr(p, "urlconf_name", None) is module for p in project_urls.urlpatterns)


def test_register_routers_mounts_each_listed_router(monkeypatch):
    router = Router()
    monkeypatch.setitem(sys.modules, "congso_wiring_probe", types.SimpleNamespace(router=router))
    api = NinjaAPI(urls_namespace="wiring-probe")
    project_api.register_routers(api, [("congso_wiring_probe", "/probe")])
    assert ("/probe", router) in api._routers


def test_a_missing_api_module_is_an_error():
    api = NinjaAPI(urls_namespace="wiring-missing")
    with pytest.raises(ModuleNotFoundError, match="congso.no_such_app"):
        project_api.register_routers(api, [("congso.no_such_app.api", "/x")])


def test_app_urlpatterns_includes_each_listed_module():
    [pattern] = project_urls.app_urlpatterns([("danh-gia/", "congso.ratings.urls")])
    assert str(pattern.pattern) == "danh-gia/"
    assert pattern.urlconf_name is importlib.import_module("congso.ratings.urls")


def test_a_missing_urls_module_is_an_error():
    with pytest.raises(ModuleNotFoundError, match="congso.no_such_app"):
        project_urls.app_urlpatterns([("x/", "congso.no_such_app.urls")])
