"""Step 5: communicate — stakeholder consultation and public reporting (guide 5.1-5.6)."""

from __future__ import annotations

import enum
import datetime as dt
from typing import Annotated

from pydantic import Field

from .common import Personal, Record, RiskRef, Scoped, Text, Url


class StakeholderGroup(enum.StrEnum):
    OWN_EMPLOYEES = "own_employees"
    WORKERS = "supply_chain_workers"
    TRADE_UNIONS = "trade_unions"
    NGOS = "ngos"
    SUPPLIERS = "suppliers"
    CUSTOMERS = "customers"
    EXPERTS = "experts"
    LOCAL_COMMUNITIES = "local_communities"
    INVESTORS = "investors"
    GOVERNMENT = "government"
    INITIATIVES = "initiatives"
    CERTIFICATION_BODIES = "certification_bodies"


class ConsultationFormat(enum.StrEnum):
    MEETING = "meeting"
    INTERVIEW = "interview"
    SURVEY = "survey"
    WORKSHOP = "workshop"
    SITE_VISIT = "site_visit"
    WRITTEN = "written"
    ROUND_TABLE = "round_table"


class StakeholderConsultation(Scoped):
    """Who was consulted, when, on what, and what changed as a result (guide 5.1, 1a.7, 2c.5)."""

    date: dt.date
    groups: tuple[StakeholderGroup, ...] = Field(min_length=1)
    organisations: tuple[Text, ...] = ()
    participants: Annotated[tuple[Text, ...], Personal()] = ()
    format: ConsultationFormat
    topics: tuple[Text, ...] = Field(min_length=1)
    steps: tuple[Annotated[int, Field(ge=1, le=6)], ...] = ()
    risks: tuple[RiskRef, ...] = ()
    outcome: Text = Field(description="What changed as a result of the consultation.")


class ChannelKind(enum.StrEnum):
    WEBSITE = "website"
    ANNUAL_REPORT = "annual_report"
    SUSTAINABILITY_REPORT = "sustainability_report"
    NEWSLETTER = "newsletter"
    SOCIAL_MEDIA = "social_media"
    SUPPLIER_PORTAL = "supplier_portal"
    TENDER_DOCUMENTS = "tender_documents"
    OTHER = "other"


class ReportingChannel(Record):
    kind: ChannelKind
    name: Text
    url: Url | None = None
    cadence: Text | None = None


class Framework(enum.StrEnum):
    GRI = "gri"
    UNGP_RF = "ungp_rf"
    ESRS = "esrs"
    CSDDD = "csddd"
    LKSG = "lksg"
    NORWAY_TA = "norway_transparency_act"
    UK_MSA = "uk_modern_slavery_act"
    AU_MSA = "au_modern_slavery_act"
    OECD = "oecd_guidelines"
    SECTOR_COVENANT = "sector_covenant"


class FrameworkUse(enum.StrEnum):
    IN_ACCORDANCE = "in_accordance"
    WITH_REFERENCE = "with_reference"
    ALIGNED = "aligned"
    STATEMENT = "statement"
    PREPARING = "preparing"


class FrameworkReport(Record):
    framework: Framework
    use: FrameworkUse
    note: Text | None = None
    url: Url | None = None


class Communication(Record):
    """How and where the company reports (guide 5.2-5.5)."""

    channels: tuple[ReportingChannel, ...] = Field(min_length=1)
    frameworks: tuple[FrameworkReport, ...] = ()
    challenges: tuple[Text, ...] = Field(default=(), description="Setbacks and open challenges (guide 5.4).")
    supplier_list_updated_on: dt.date | None = None
    supplier_list_cadence: Text | None = None
    contact_email: Text | None = None
