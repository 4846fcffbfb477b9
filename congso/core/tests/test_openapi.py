"""One schema per component name in the OpenAPI document (issue 15): two routers that each answer with
their own ``FieldOut`` made ninja publish one of them for both endpoints; ours refuses to build that."""

import pytest
from django.utils import translation
from ninja import NinjaAPI, Router, Schema
from ninja.pagination import paginate

from congso.core import openapi
from congso.core.api_auth import api_auth
from congso.core.openapi import ISSUES_ON_READ, RATE_LIMITED, SchemaNameClash, UniqueSchemaNinjaAPI
from congso.core.pagination import LimitOffsetPages, NumberedPages


def _catalog_and_portal():
    """Two routers, as two apps write them, each with a model named FieldOut."""
    catalog, portal = Router(), Router()

    class FieldOut(Schema):  # the catalogue's: a field of procedures and how many it has
        id: int
        name: str
        count: int

    @catalog.get("/procedure-fields", response=list[FieldOut])
    def procedure_fields(request):
        return []

    class FieldOut(Schema):  # noqa: F811 - the portal's: a field of a form
        key: str
        label: str
        required: bool

    class FormOut(Schema):
        fields: list[FieldOut]

    @portal.get("/form", response=FormOut)
    def form(request):
        return {"fields": []}

    return catalog, portal


def test_ninja_alone_publishes_the_wrong_schema_for_one_of_two_models_of_one_name():
    api = NinjaAPI(urls_namespace="clash-ninja")
    catalog, portal = _catalog_and_portal()
    api.add_router("/catalog", catalog)
    api.add_router("/portal", portal)
    published = api.get_openapi_schema(path_prefix="/")["components"]["schemas"]["FieldOut"]
    # the catalogue's endpoint is documented with the portal's model: what the issue found
    assert set(published["properties"]) == {"key", "label", "required"}


def test_two_schemas_of_one_name_are_refused_naming_it():
    api = UniqueSchemaNinjaAPI(urls_namespace="clash-strict")
    catalog, portal = _catalog_and_portal()
    api.add_router("/catalog", catalog)
    api.add_router("/portal", portal)
    with pytest.raises(SchemaNameClash, match="'FieldOut'"):
        api.get_openapi_schema(path_prefix="/")


def test_one_model_used_by_several_endpoints_is_fine():
    api = UniqueSchemaNinjaAPI(urls_namespace="clash-reuse")
    router = Router()

    class ItemOut(Schema):
        name: str

    @router.get("/a", response=list[ItemOut])
    def a(request):
        return []

    @router.get("/b", response=ItemOut)
    def b(request):
        return {"name": "x"}

    api.add_router("", router)
    schemas = api.get_openapi_schema(path_prefix="/")["components"]["schemas"]
    assert set(schemas["ItemOut"]["properties"]) == {"name"}


def test_both_paginations_have_inputs_of_their_own_names():
    api = UniqueSchemaNinjaAPI(urls_namespace="clash-pages")
    router = Router()

    @router.get("/units", response=list[int])
    @paginate(LimitOffsetPages)
    def units(request):
        return []

    @router.get("/inbox", response=list[int])
    @paginate(NumberedPages)
    def inbox(request):
        return []

    api.add_router("", router)
    schemas = api.get_openapi_schema(path_prefix="/")["components"]["schemas"]
    assert {"LimitOffsetInput", "PageNumberInput"} <= set(schemas)
    assert "Input" not in schemas


def test_error_answers_are_documented_from_the_one_error_mapping():
    api = UniqueSchemaNinjaAPI(urls_namespace="clash-errors")
    router = Router()

    class ThingOut(Schema):
        name: str

    @router.get("/public", response=list[ThingOut], auth=None)
    def public(request):
        return []

    @router.get("/things/{code}", response=ThingOut, auth=api_auth("read"))
    def thing(request, code: str):
        return {"name": code}

    @router.post("/things/{code}/take", response={201: ThingOut, 403: ThingOut}, openapi_extra=RATE_LIMITED)
    def take(request, code: str):
        return 201, {"name": code}

    @router.get("/things/{code}/slip", auth=api_auth("read"), openapi_extra=ISSUES_ON_READ)
    def slip(request, code: str):
        return {"name": code}

    api.add_router("", router)
    doc = api.get_openapi_schema(path_prefix="/")
    responses = {path: sorted(ops[next(iter(ops))]["responses"]) for path, ops in doc["paths"].items()}
    assert responses["/public"] == [200, 400]
    assert responses["/things/{code}"] == [200, 400, 401, 403, 404, 422]
    assert responses["/things/{code}/take"] == [201, 400, 403, 404, 409, 422, 429]
    # A read that issues what it returns may find the state does not allow it yet: 409 (the slips).
    assert responses["/things/{code}/slip"] == [200, 400, 401, 403, 404, 409, 422]
    take_403 = doc["paths"]["/things/{code}/take"]["post"]["responses"][403]["content"]["application/json"]
    assert take_403["schema"]["$ref"] == "#/components/schemas/ThingOut"  # declared by the operation: kept
    not_found = doc["paths"]["/things/{code}"]["get"]["responses"][404]["content"]["application/json"]
    assert not_found["schema"]["$ref"] == "#/components/schemas/ApiError"
    assert set(doc["components"]["schemas"]["ApiError"]["required"]) == {"detail", "code"}


def test_the_document_is_built_once_per_prefix_and_language(monkeypatch):
    """Building it costs seconds for the whole API: a request for openapi.json must not rebuild it."""
    api = UniqueSchemaNinjaAPI(urls_namespace="built-once")
    router = Router()

    @router.get("/a")
    def a(request):
        return {}

    api.add_router("", router)
    built = []
    real = openapi.UniqueNamesOpenAPISchema
    monkeypatch.setattr(openapi, "UniqueNamesOpenAPISchema", lambda *args: built.append(args) or real(*args))
    first = api.get_openapi_schema(path_prefix="/")
    assert api.get_openapi_schema(path_prefix="/") is first
    with translation.override("en"):
        api.get_openapi_schema(path_prefix="/")
    api.get_openapi_schema(path_prefix="/v2/")
    assert len(built) == 3
