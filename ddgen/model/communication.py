"""Step 5: communicate — stakeholder consultation and public reporting (guide 5.1-5.6)."""

from __future__ import annotations

import enum
import datetime as dt
from typing import Annotated

from pydantic import Field

from .common import Id, Personal, Record, RiskRef, Scoped, Text, Url, WholeNumber


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


class OmissionReason(enum.StrEnum):
    """The reasons for omission GRI 1 allows (requirement 6); the cost of collecting data is not one."""

    NOT_APPLICABLE = "not_applicable"
    LEGAL_PROHIBITIONS = "legal_prohibitions"
    CONFIDENTIALITY_CONSTRAINTS = "confidentiality_constraints"
    INFORMATION_UNAVAILABLE = "information_unavailable"


class Omission(Record):
    """A framework requirement the report does not answer, or answers in part, and why (GRI 1, req. 6).

    Only requirements with an omission appear on the public index pages when the records do not
    answer them: a gap is shown only when the writer chose to explain it.
    """

    framework: Id = Field(description="The framework's id: gri, ungprf, csddd, esrs, lksg or a project framework.")
    requirement: Text = Field(description="The requirement's id as the framework gives it, e.g. 2-27 or C6.4.")
    parts: Text | None = Field(default=None, description="Which parts are omitted, e.g. 'a, b'. Empty: all of it.")
    reason: OmissionReason
    explanation: Text = Field(description="For information unavailable: what is missing, why, and the steps and "
                                          "timeframe to obtain it.")


class ExternalLocation(Record):
    """Where a requirement is answered outside this website, e.g. in the annual report."""

    framework: Id
    requirement: Text
    location: Text = Field(description="Document and section or page, e.g. 'Jaarverslag 2025, p. 12'.")
    url: Url | None = None


class ManagementStatement(Record):
    """A statement by the most senior decision-maker on due diligence and strategy (GRI 2-22)."""

    text: Text
    by: Text = Field(description="Who makes the statement: the role, e.g. 'Algemeen directeur'.")
    signed_on: dt.date


class LegalCompliance(Record):
    """Significant instances of non-compliance with laws and regulations in the period (GRI 2-27)."""

    significant_instances: WholeNumber = Field(ge=0)
    with_fines: WholeNumber | None = Field(default=None, ge=0, description="Of which with fines.")
    fines_paid_eur: float | None = Field(default=None, ge=0)
    description: Text | None = None
    significance: Text | None = Field(default=None, description="How 'significant' was determined.")


class MaterialTopic(Scoped):
    """A material topic (GRI 3-2): the risks it groups and the GRI topic disclosures that report on it."""

    title: Text
    description: Text | None = None
    risks: tuple[RiskRef, ...] = Field(min_length=1)
    gri_disclosures: tuple[Text, ...] = Field(
        default=(), description="GRI topic disclosures reported for this topic, e.g. 408-1, 409-1.")
    changes: Text | None = Field(default=None, description="Changes from the previous reporting period (GRI 3-2-b).")


class Communication(Record):
    """How and where the company reports (guide 5.2-5.5)."""

    channels: tuple[ReportingChannel, ...] = Field(min_length=1)
    frameworks: tuple[FrameworkReport, ...] = ()
    challenges: tuple[Text, ...] = Field(default=(), description="Setbacks and open challenges (guide 5.4).")
    supplier_list_updated_on: dt.date | None = None
    supplier_list_cadence: Text | None = None
    contact_email: Text | None = None
    management_statement: ManagementStatement | None = None
    gri_sector_standards: tuple[Text, ...] = Field(
        default=(), description="GRI Sector Standards that apply to the company; empty when none applies.")
    legal_compliance: LegalCompliance | None = None
    omissions: tuple[Omission, ...] = ()
    external_locations: tuple[ExternalLocation, ...] = ()
