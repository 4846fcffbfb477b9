"""The API's OpenAPI document, with one schema per component name.

django-ninja gathers every schema of every router into ``components.schemas`` by the model's name, and
a second model of the same name silently replaces the first (``OpenAPISchema.add_schema_definitions``):
the published document then describes one endpoint's answer with another app's model (issue 15:
``FieldOut`` of the catalogue and the portal, ``StatsRow`` of the counters and the ratings). Here a
name that comes back with a different definition is an error naming both, so the document cannot be
built wrong: the schema test and ``/api/v1/openapi.json`` fail until one of the models is renamed.
"""

from __future__ import annotations

import json

from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema


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


class UniqueSchemaNinjaAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document refuses two schemas of one name."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return UniqueNamesOpenAPISchema(self, path_prefix)
