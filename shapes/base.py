"""The base of every shape, the string kinds the API tells apart, and the component generator.

A shape is a pydantic model whose JSON schema is exactly what the API sends:
every field required unless it may be absent, ``null`` only where it may be
null, no other properties (``extra="forbid"``). Words for people (names,
titles, bios, captions) are :data:`PlainText`; only rich text is :data:`Html`.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

REF_TEMPLATE = "#/components/schemas/{model}"


class Shape(BaseModel):
    """A JSON object the API emits; unknown keys are an error, so the schema says ``additionalProperties: false``."""

    model_config = ConfigDict(extra="forbid", frozen=True)


PlainText = Annotated[
    str,
    Field(
        json_schema_extra={
            "contentMediaType": "text/plain",
            "description": "Plain text, not HTML: insert as text.",
        }
    ),
]
Html = Annotated[
    str,
    Field(
        json_schema_extra={
            "contentMediaType": "text/html",
            "description": "Sanitized HTML (docs/api.md, Rich text); links resolved to public URLs.",
        }
    ),
]
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]
# ISO 8601 in UTC with a Z, as DRF writes it: "2012-06-13T10:00:00Z".
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
# Django's ASCII slugs (people, films, festivals, roles); page slugs may hold any letter.
Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$")]
Id = Annotated[int, Field(ge=1)]
Count = Annotated[int, Field(ge=0)]


class _ContractSchema(GenerateJsonSchema):
    """Pydantic's schema less the per-property ``title`` noise (names come from the property keys)
    and less ``default``, which a response schema has no use for."""

    def field_title_should_be_set(self, schema):
        return False

    def default_schema(self, schema):
        # The only default is omittable()'s None, which stands for "absent", not a value.
        return self.generate_inner(schema["schema"])


def component_schemas(models):
    """``{"Film": {…}, …}``: JSON schemas of ``models`` and every shape they refer to,
    with references into ``#/components/schemas``."""
    _, top = models_json_schema(
        [(model, "validation") for model in models],
        ref_template=REF_TEMPLATE,
        schema_generator=_ContractSchema,
    )
    return top["$defs"]


def omittable():
    """A field that may be absent from the JSON object, but is never ``null`` when present."""
    return Field(default=None)
