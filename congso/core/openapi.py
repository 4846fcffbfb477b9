"""The API's OpenAPI document: one schema per component name, and every error answer documented.

django-ninja gathers every schema of every router into ``components.schemas`` by the model's name, and
a second model of the same name silently replaces the first (``OpenAPISchema.add_schema_definitions``):
the published document then describes one endpoint's answer with another app's model (issue 15:
``FieldOut`` of the catalogue and the portal, ``StatsRow`` of the counters and the ratings). Here a
name that comes back with a different definition is an error naming both, so the document cannot be
built wrong: the schema test and ``/api/v1/openapi.json`` fail until one of the models is renamed.

Error answers come from one place (``core.api_errors.install_error_handlers``), so they are documented
from one place too: each operation lists the statuses that mapping can give it, with the ``ApiError``
schema, unless the operation declares that status itself (ADR 0140):

- 400 for every operation (input refused at the edge, a body that cannot be read, a service refusal);
- 422 when it takes parameters or a body (they do not match the schema);
- 401 and 403 when it needs authentication (no or a bad token or session; no permission, CSRF);
- 404 when its path names an object, or it looks one up by a query parameter;
- 409 when it changes something (a stale version, a state that no longer allows it), or when a read
  issues what it returns on demand and the state may not allow it yet (``ISSUES_ON_READ``);
- 429 only where the operation says it is rate limited (``RATE_LIMITED`` in its ``openapi_extra``).
"""

from __future__ import annotations

import json

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from ninja import NinjaAPI
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

from .api_errors import ApiError

ERROR_DESCRIPTIONS = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa đăng nhập hoặc mã truy cập không hợp lệ",
    403: "Không có quyền",
    404: "Không tìm thấy",
    409: "Xung đột: dữ liệu đã thay đổi hoặc trạng thái không cho phép",
    422: "Tham số hoặc nội dung không đúng lược đồ",
    429: "Quá nhiều yêu cầu; thử lại sau số giây trong Retry-After",
}
# An operation that limits its callers puts this in its openapi_extra: its 429 is then documented.
RATE_LIMITED = {"x-congso-rate-limited": True}
# A read that issues what it returns the first time (a dossier's signed slip) puts this in its
# openapi_extra: it answers 409 when the object's state does not allow that yet, and that is documented.
ISSUES_ON_READ = {"x-congso-issues-on-read": True}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class SchemaNameClash(ImproperlyConfigured):
    """Two different schemas under one component name."""


class UniqueNamesOpenAPISchema(OpenAPISchema):
    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                raise SchemaNameClash(
                    f"Two API schemas are both named {name!r}; give one of them another name.\n"
                    f"  first:  {json.dumps(known, ensure_ascii=False, sort_keys=True)}\n"
                    f"  second: {json.dumps(definition, ensure_ascii=False, sort_keys=True)}"
                )
        super().add_schema_definitions(definitions)

    def responses(self, operation) -> dict:
        result = super().responses(operation)
        for status in error_statuses(operation):
            if status not in result:
                result[status] = {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {
                        "application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ApiError")}}
                    },
                }
                self.add_schema_definitions({"ApiError": _api_error_schema()})
        return dict(sorted(result.items()))


def _api_error_schema() -> dict:
    return ApiError.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
    )


def error_statuses(operation) -> list[int]:
    """The error statuses ``install_error_handlers`` can give this operation (see the module's doc)."""
    sources = {model.__ninja_param_source__ for model in operation.models}
    statuses = [400]
    if sources:
        statuses.append(422)
    if operation.auth_callbacks:
        statuses += [401, 403]
    if "path" in sources or "query" in sources:
        statuses.append(404)
    extra = operation.openapi_extra or {}
    if UNSAFE & set(operation.methods) or extra.get("x-congso-issues-on-read"):
        statuses += [403, 404, 409]
    if extra.get("x-congso-rate-limited"):
        statuses.append(429)
    return sorted(set(statuses))


class UniqueSchemaNinjaAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document refuses two schemas of one name, built once per process.

    The routes do not change once the process has started, and building the document for some 170
    operations costs seconds of CPU: every ``GET /api/v1/openapi.json`` rebuilt it, so a handful of
    clients could keep a server busy (and the fuzzing campaign timed out loading it on a busy machine).
    It is kept per path prefix and language, since its descriptions are translated."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        cache = self.__dict__.setdefault("_congso_documents", {})
        key = (path_prefix, translation.get_language())
        if key not in cache:
            cache[key] = UniqueNamesOpenAPISchema(self, path_prefix)
        return cache[key]
