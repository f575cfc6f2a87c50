"""Building blocks shared by all record types: ids, references, scopes, countries, text.

Markers in `Annotated[...]` metadata carry the facts later stages need without a second table:
`Ref("suppliers")` says a field holds the id of a supplier (validate resolves it), `Sensitive(...)`
gives a field's default disclosure scope, `Personal()` marks personal data (never public).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar

import iso3166
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError


class Scope(enum.StrEnum):
    """Who may read a record or field. Ordered: public < partner < internal."""

    PUBLIC = "public"
    PARTNER = "partner"
    INTERNAL = "internal"

    @property
    def rank(self) -> int:
        return _SCOPE_RANK[self]

    def allows(self, other: Scope) -> bool:
        """True when an edition for readers of `self` may show something scoped `other`."""
        return other.rank <= self.rank


_SCOPE_RANK = {Scope.PUBLIC: 0, Scope.PARTNER: 1, Scope.INTERNAL: 2}


@dataclass(frozen=True)
class Ref:
    """Field metadata: the value is the id of a record in collection `target`."""

    target: str


@dataclass(frozen=True)
class Sensitive:
    """Field metadata: the field's scope unless the record's `field_scope` says otherwise."""

    default: Scope = Scope.INTERNAL


@dataclass(frozen=True)
class Personal:
    """Field metadata: personal data about a person. Internal by default; never published."""


ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]

SupplierRef = Annotated[str, Ref("suppliers")]
ProductRef = Annotated[str, Ref("products")]
MaterialRef = Annotated[str, Ref("raw_materials")]
RiskRef = Annotated[str, Ref("risks")]
ActionRef = Annotated[str, Ref("actions")]
KpiRef = Annotated[str, Ref("kpis")]
AuditRef = Annotated[str, Ref("audits")]
ConsultationRef = Annotated[str, Ref("consultations")]
GrievanceCaseRef = Annotated[str, Ref("grievance_cases")]
CustomerRef = Annotated[str, Ref("customers")]
RoleRef = Annotated[str, Ref("roles")]

LANGUAGES = ("nl", "en")
"""Languages a text may be given in. Order matters only as the fallback order."""

PlainText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class LocalText(BaseModel):
    """A text given per language, e.g. `{nl: Kinderarbeid, en: Child labour}`. A missing language
    falls back to another one (and `ddgen check` warns)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nl: PlainText | None = None
    en: PlainText | None = None

    def get(self, language: str) -> str:
        """The text in `language`, else in the first language that has it."""
        for code in (language, *LANGUAGES):
            value = getattr(self, code, None)
            if value:
                return str(value)
        return ""

    def missing(self, languages: tuple[str, ...]) -> list[str]:
        return [code for code in languages if not getattr(self, code, None)]

    def __str__(self) -> str:
        return self.get(LANGUAGES[0])


def _local_text(value: object) -> object:
    if not isinstance(value, dict):
        return value
    unknown = [str(k) for k in value if k not in LANGUAGES]
    if len(unknown) == len(value):  # not meant as a text per language: say a text was expected
        raise PydanticCustomError("string_type", "a mapping where text was expected", {})
    if unknown:
        raise PydanticCustomError(
            "text_language", "'{key}' is not a language ddgen knows for texts; use {allowed}",
            {"key": unknown[0], "allowed": " or ".join(LANGUAGES)})
    texts = {k: ("" if v is None else str(v)).strip() for k, v in value.items()}
    if not any(texts.values()):
        raise PydanticCustomError("string_too_short", "the text is empty in every language", {})
    return LocalText(**{k: v or None for k, v in texts.items()})


Text = Annotated[PlainText | LocalText, BeforeValidator(_local_text)]
"""Free text written by the company: plain text, or a mapping per language ({nl: ..., en: ...})."""


def text_in(value: object, language: str) -> str:
    """A text field's value for `language`; plain text is the same in every language."""
    if value is None:
        return ""
    return value.get(language) if isinstance(value, LocalText) else str(value)

def _not_a_bool(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "'{value}' is true/false, not a number", {"value": value})
    return value


WholeNumber = Annotated[int, BeforeValidator(_not_a_bool)]
"""An int that refuses true/false (YAML `yes` is text in 1.2, but `true` would otherwise count as 1)."""

Score = Annotated[WholeNumber, Field(ge=1, le=5)]
"""An ordinal score from 1 (lowest) to 5 (highest)."""

Percent = Annotated[float, Field(ge=0, le=100)]

_URL = re.compile(r"^(https?://[^\s<>\"']+|mailto:[^\s<>\"']+)$")


def _check_url(value: str) -> str:
    if not _URL.match(value):
        raise PydanticCustomError(
            "url_scheme",
            "'{value}' is not a web address; links must start with https://, http:// or mailto:",
            {"value": value},
        )
    return value


Url = Annotated[str, AfterValidator(_check_url)]
"""A link shown to readers: only http(s) and mailto, so data can never inject script links."""


def _check_country(value: str) -> str:
    code = value.strip()
    if code.upper() in iso3166.countries_by_alpha2 and code == code.upper():
        return code
    raise PydanticCustomError("country_code", "'{value}' is not an ISO 3166-1 alpha-2 country code", {"value": value})


CountryCode = Annotated[str, AfterValidator(_check_country)]
"""ISO 3166-1 alpha-2, upper case (NL, BD, TR). `NO` is Norway: ddgen reads YAML 1.2."""

Year = Annotated[int, Field(ge=1900, le=2200)]


class Record(BaseModel):
    """Base of every record: frozen, no unknown keys, tuples for lists."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        coerce_numbers_to_str=True,
        use_enum_values=False,
        validate_default=False,
    )


class Scoped(Record):
    """A record with an id and a disclosure scope, and optional per-field scopes."""

    default_scope: ClassVar[Scope] = Scope.PUBLIC

    id: Id
    scope: Scope | None = Field(
        default=None,
        description="Who may see this record: public, partner or internal. Default depends on the record type.",
    )
    field_scope: dict[str, Scope] = Field(
        default_factory=dict,
        description="Scope per field, overriding the defaults (e.g. purchase_share: public).",
    )

    @property
    def effective_scope(self) -> Scope:
        return self.scope or self.default_scope


def is_before(a: date | None, b: date | None) -> bool:
    return a is not None and b is not None and a < b
