"""Company profile and reporting periods (guide 0.2, 0.3: cycle and proportionality)."""

from __future__ import annotations

import enum
from datetime import date

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .common import CountryCode, Record, Text, Url, WholeNumber, Year


class SizeClass(enum.StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class ChainPosition(enum.StrEnum):
    PRODUCER = "producer"
    BRAND = "brand"
    TRADER = "trader"
    WHOLESALER = "wholesaler"
    RETAILER = "retailer"
    SERVICE_PROVIDER = "service_provider"


class Address(Record):
    street: Text | None = None
    postcode: Text | None = None
    city: Text
    country: CountryCode


class Company(Record):
    """Who reports: the facts that set how far due diligence must go (proportionality)."""

    name: Text
    legal_name: Text | None = None
    description: Text
    sector: Text
    size_class: SizeClass
    employees: WholeNumber = Field(ge=0)
    founded: Year | None = None
    headquarters: Address
    chain_positions: tuple[ChainPosition, ...] = Field(min_length=1)
    website: Url | None = None
    contact_email: Text | None = None
    logo: Text | None = Field(default=None, description="Path of a logo image, relative to content/.")


class ReportingPeriod(Record):
    """One reporting year; the report's 'today' is `as_of` (default: the period's end)."""

    year: Year
    start: date
    end: date
    as_of: date | None = None
    published_on: date | None = None
    report_scope: Text = Field(description="What this report covers: entities, products, tiers, exclusions.")

    @model_validator(mode="after")
    def _ordered(self) -> ReportingPeriod:
        if self.end < self.start:
            raise PydanticCustomError("date_order", "the period ends ({end}) before it starts ({start})",
                                      {"end": str(self.end), "start": str(self.start)})
        return self

    @property
    def report_date(self) -> date:
        return self.as_of or self.end


class ReportSettings(Record):
    """How the public report is presented."""

    title: Text | None = None
    suppression_threshold: int = Field(default=5, ge=3, le=50,
                                       description="Counts below this are shown as '<N' (small-cell suppression).")
    languages: tuple[Literal["nl", "en"], ...] = Field(
        default=(), description="Languages of the report, e.g. [nl, en]: one edition each under /nl/ and /en/; "
                                "the first is where the site root leads. Default: the theme language of mkdocs.yml.")
    primary_color: Text = "teal"
    accent_color: Text = "deep orange"
