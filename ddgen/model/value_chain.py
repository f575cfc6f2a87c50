"""Step 2a: the value chain — products, raw materials, suppliers and sites, customers."""

from __future__ import annotations

import difflib
import enum
import re
from datetime import date
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ..reference import good_names
from .common import (
    CountryCode, MaterialRef, WholeNumber, Percent, ProductRef, Record, Scope, Scoped, Sensitive, SupplierRef,
    Text, Url, Year,
)


class Direction(enum.StrEnum):
    """Whether the company buys, makes or sells an item (guide 2a.1)."""

    BOUGHT = "bought"
    PRODUCED = "produced"
    SOLD = "sold"


class InformationSource(enum.StrEnum):
    """Where the origin information came from (guide 2a.4, 2a.5)."""

    INTERNAL = "internal"
    SUPPLIER = "supplier"
    MAPPING_SERVICE = "mapping_service"
    CERTIFICATION = "certification"
    UNKNOWN = "unknown"


class InScopeReason(enum.StrEnum):
    """Why an item is looked at first when resources are short (guide 2a.6)."""

    LARGEST_VOLUME = "largest_volume"
    RISK_COUNTRY = "risk_country"
    KNOWN_ISSUE = "known_issue"


def _check_listed_good(value: str) -> str:
    names = good_names()
    if value in names:
        return value
    folded = {n.casefold(): n for n in names}
    close = folded.get(value.casefold()) or next(iter(difflib.get_close_matches(value, names, n=1, cutoff=0.6)), None)
    raise PydanticCustomError(
        "listed_good", "'{value}' is not a good on the ILAB list{suggestion}",
        {"value": value, "suggestion": f" (did you mean '{close}'?)" if close else ""},
    )


ListedGood = Annotated[
    str, AfterValidator(_check_listed_good), WithJsonSchema({"type": "string", "enum": list(good_names())}),
]
"""A good as the ILAB list spells it (Cotton, Garments, Thread/Yarn), so suggestions can use it."""

LISTED_GOODS_HELP = (
    "Goods of the US Department of Labor's list of goods produced by child or forced labour that this item is, "
    "spelled as the list spells them (e.g. Cotton, Garments); [] when none applies. Without it, ddgen matches "
    "the name with its own table (ddgen risks suggest shows the result)."
)


class Product(Scoped):
    """A product or service the company buys, produces or sells."""

    name: Text
    direction: tuple[Direction, ...] = Field(min_length=1)
    category: Text
    description: Text | None = None
    raw_materials: tuple[MaterialRef, ...] = ()
    origin_countries: tuple[CountryCode, ...] = ()
    origin_unknown: bool = False
    transport: Text | None = None
    information_source: InformationSource = InformationSource.INTERNAL
    spend_share: Annotated[Percent | None, Sensitive(Scope.INTERNAL)] = None
    in_scope_reasons: tuple[InScopeReason, ...] = ()
    listed_goods: tuple[ListedGood, ...] | None = Field(default=None, description=LISTED_GOODS_HELP)


class RawMaterial(Scoped):
    """A raw material with its countries of origin (guide 2a.2, 2a.4)."""

    name: Text
    origin_countries: tuple[CountryCode, ...] = ()
    processing_countries: tuple[CountryCode, ...] = ()
    origin_unknown: bool = False
    information_source: InformationSource = InformationSource.INTERNAL
    certified_share: Percent | None = None
    certification: Text | None = None
    notes: Text | None = None
    listed_goods: tuple[ListedGood, ...] | None = Field(default=None, description=LISTED_GOODS_HELP)


class CustomerKind(enum.StrEnum):
    PUBLIC_SECTOR = "public_sector"
    BUSINESS = "business"
    RETAILER = "retailer"
    DISTRIBUTOR = "distributor"
    PROCESSOR = "processor"
    CONSUMER = "consumer"


class Customer(Scoped):
    """A customer group or downstream market, with possible misuse of the product (guide 2a.3)."""

    name: Text
    kind: CustomerKind
    countries: tuple[CountryCode, ...] = Field(min_length=1)
    products: tuple[ProductRef, ...] = ()
    revenue_share: Annotated[Percent | None, Sensitive(Scope.INTERNAL)] = None
    possible_misuse: Text | None = None


class ValueChainMapping(Record):
    """How the chain was mapped: method, who helped, how far (guide 2a.5)."""

    method: Text
    outsourced_to: Text | None = None
    last_updated: date
    tiers_mapped: int = Field(ge=1, le=10)
    coverage_note: Text | None = None


_WORKER_BAND = re.compile(r"^(?:<\s*\d+|>\s*\d+|\d+\s*-\s*\d+)$")


def _check_band(value: str) -> str:
    text = value.strip().replace("–", "-")
    low_high = re.findall(r"\d+", text)
    reversed_range = "-" in text and len(low_high) == 2 and int(low_high[0]) > int(low_high[1])
    if not _WORKER_BAND.match(text) or reversed_range:
        raise PydanticCustomError(
            "worker_band", "'{value}' is not a number of workers or a range such as 100-150, <1000 or >10000",
            {"value": value},
        )
    return text


WorkerBand = Annotated[str, AfterValidator(_check_band)]

_OS_ID = re.compile(r"^[A-Z]{2}[0-9]{7}[A-Z0-9]{6}$")


def _check_os_id(value: str) -> str:
    if not _OS_ID.match(value):
        raise PydanticCustomError(
            "os_id", "'{value}' is not an Open Supply Hub OS ID (two letters, seven digits, six letters or digits)",
            {"value": value},
        )
    return value


OsId = Annotated[str, AfterValidator(_check_os_id)]


class Certification(Record):
    scheme: Text
    certificate_id: Text | None = None
    valid_until: date | None = None
    scope_note: Text | None = None


class SupplierStatus(enum.StrEnum):
    ACTIVE = "active"
    PHASING_OUT = "phasing_out"
    EXITED = "exited"


class ExitKind(enum.StrEnum):
    RESPONSIBLE_EXIT = "responsible_exit"
    BUSINESS_REASONS = "business_reasons"
    SUPPLIER_CLOSED = "supplier_closed"
    NON_COMPLIANCE = "non_compliance"


class SupplierExit(Record):
    """How a relationship ended; ending it is the last resort (guide 4.6)."""

    on: date
    kind: ExitKind
    reason: Text


class ScreeningCriterion(enum.StrEnum):
    """The kinds of criteria a supplier is screened or assessed on (GRI 308: environmental, 414: social)."""

    SOCIAL = "social"
    ENVIRONMENTAL = "environmental"


class SupplierScreening(Record):
    """How a new supplier was screened before the first order (guide 3b.2; GRI 308-1, 414-1)."""

    on: date
    criteria: tuple[ScreeningCriterion, ...] = Field(min_length=1)
    method: Text | None = Field(default=None, description="How: risk scan, self-assessment, site visit, audit report.")


class Supplier(Scoped):
    """A supplier or production site, with the Transparency Pledge and Open Supply Hub fields."""

    sensitive_fields: ClassVar[tuple[str, ...]] = ("purchase_share", "contract_reference")

    name: Text
    local_name: Text | None = None
    address: Text
    country: CountryCode
    lat: float | None = Field(default=None, ge=-90, le=90)
    lng: float | None = Field(default=None, ge=-180, le=180)
    tier: WholeNumber = Field(ge=1, le=9)
    parent_company: Text | None = None
    sector: Text | None = Field(default=None, description="Sector as in the Open Supply Hub list, e.g. Apparel.")
    product_types: tuple[Text, ...] = Field(min_length=1)
    facility_type: Text | None = None
    processing_types: tuple[Text, ...] = ()
    workers: Annotated[WholeNumber, Field(ge=0)] | WorkerBand | None = Field(default=None, union_mode="left_to_right")
    percent_female: Percent | None = None
    percent_migrant: Percent | None = None
    worker_representation: Text | None = None
    certifications: tuple[Certification, ...] = ()
    os_id: OsId | None = None
    relationship_since: Year | None = None
    purchase_share: Annotated[Percent | None, Sensitive(Scope.INTERNAL)] = None
    contract_reference: Annotated[Text | None, Sensitive(Scope.INTERNAL)] = None
    code_signed_on: date | None = None
    screening: SupplierScreening | None = None
    strategic: bool = False
    supplies_to: tuple[SupplierRef, ...] = ()
    products: tuple[ProductRef, ...] = ()
    raw_materials: tuple[MaterialRef, ...] = ()
    status: SupplierStatus = SupplierStatus.ACTIVE
    exit: SupplierExit | None = None
    website: Url | None = None

    @model_validator(mode="after")
    def _exit_matches_status(self) -> Supplier:
        if self.status is SupplierStatus.EXITED and self.exit is None:
            raise PydanticCustomError("exit_missing",
                                      "supplier {id} has status exited but no exit (date, kind and reason)",
                                      {"id": self.id})
        return self
