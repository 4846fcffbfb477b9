"""No two models of the API share a name (issue 15): the document builds (``core.openapi`` refuses a
name with two definitions), and no two distinct classes that reach the document have one name either,
even where their definitions happen to agree today."""

from __future__ import annotations

import typing
from collections import defaultdict

from pydantic import BaseModel

from congso.api import api


def _models_in(annotation, seen: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        _models_in(arg, seen)


def _api_models() -> set[type[BaseModel]]:
    seen: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models_in(model, seen)
                for model in operation.response_models.values():
                    _models_in(model, seen)
    return seen


def test_the_document_builds_with_one_schema_per_name():
    schemas = api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"]
    assert {"ProcedureFieldOut", "FormFieldOut", "CounterStatsRow", "RatingStatsRow", "ApiError"} <= set(
        schemas
    )
    assert not {"FieldOut", "StatsRow", "ErrorOut", "Input"} & set(schemas)


def test_no_two_classes_reaching_the_document_share_a_name():
    by_name = defaultdict(set)
    for model in _api_models():
        # ninja's own wrappers (parameters of one operation, flattened; never a component) are left out
        if model.__module__.startswith("ninja.") and model.__name__ in {"Input", "Output"}:
            continue
        if getattr(model, "__ninja_param_source__", None) or model.__name__ == "NinjaResponseSchema":
            continue
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert len(by_name) > 50
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes, clashes
