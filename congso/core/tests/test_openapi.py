"""One schema per component name in the OpenAPI document (issue 15): two routers that each answer with
their own ``FieldOut`` made ninja publish one of them for both endpoints; ours refuses to build that."""

import pytest
from ninja import NinjaAPI, Router, Schema
from ninja.pagination import paginate

from congso.core.openapi import SchemaNameClash, UniqueSchemaNinjaAPI
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
