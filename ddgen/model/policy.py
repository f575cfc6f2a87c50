"""Step 1: embed responsible business conduct in policy and management (guide 1a, 1b)."""

from __future__ import annotations

import enum
from datetime import date

from pydantic import Field

from .common import ConsultationRef, KpiRef, RiskRef, RoleRef, Personal, Record, Scoped, Text, Url
from typing import Annotated


class Instrument(enum.StrEnum):
    """International instruments a policy can refer to (guide 1a.2)."""

    OECD_GUIDELINES = "oecd_guidelines"
    UNGP = "ungp"
    ILO_CORE = "ilo_core_conventions"
    ILO_MNE = "ilo_mne_declaration"
    UDHR = "udhr"
    CSDDD = "csddd"
    OECD_GARMENT_GUIDANCE = "oecd_garment_guidance"
    PARIS_AGREEMENT = "paris_agreement"


class PolicyKind(enum.StrEnum):
    DUE_DILIGENCE = "due_diligence"
    HUMAN_RIGHTS = "human_rights"
    ENVIRONMENT = "environment"
    CSR = "csr"
    PURCHASING = "purchasing"
    OTHER = "other"


class ApprovalBody(enum.StrEnum):
    BOARD = "board"
    MANAGEMENT_TEAM = "management_team"
    SUPERVISORY_BOARD = "supervisory_board"
    OWNER = "owner"
    OTHER = "other"


class Approval(Record):
    body: ApprovalBody
    approved_on: date
    note: Text | None = None


class Expectations(Record):
    """What the company expects of its suppliers and of its own staff (guide 1a.6)."""

    suppliers: Text
    staff: Text


class InstrumentKind(enum.StrEnum):
    LABEL = "label"
    CERTIFICATION = "certification"
    INITIATIVE = "initiative"
    PARTNERSHIP = "partnership"
    OTHER = "other"


class PolicyInstrument(Record):
    """Labels, certification and partnerships the company uses (guide 1a.5)."""

    kind: InstrumentKind
    name: Text
    description: Text | None = None


class Commitment(Record):
    text: Text
    instruments: tuple[Instrument, ...] = ()


class Policy(Scoped):
    """A policy commitment: what the company commits to, who approved it, where it is public."""

    title: Text
    kind: PolicyKind
    version: Text | None = None
    summary: Text
    commitments: tuple[Commitment, ...] = Field(min_length=1)
    instruments_referenced: tuple[Instrument, ...] = ()
    approval: Approval | None = None
    published_on: date | None = None
    url: Url | None = None
    owner: RoleRef | None = None
    expectations: Expectations | None = None
    salient_risks: tuple[RiskRef, ...] = ()
    instruments: tuple[PolicyInstrument, ...] = ()
    developed_with: tuple[ConsultationRef, ...] = ()
    goals: tuple[KpiRef, ...] = ()
    next_review_on: date | None = None


class SupplierCode(Record):
    """The supplier code of conduct (guide 1a.6, 3b.4)."""

    title: Text
    version: Text | None = None
    adopted_on: date
    url: Url | None = None
    summary: Text
    topics: tuple[Text, ...] = ()
    requires_signature: bool = True
    discussed_with_suppliers: Text | None = None


class ClauseScope(enum.StrEnum):
    ALL_SUPPLIERS = "all_suppliers"
    TIER_1 = "tier_1"
    NEW_SUPPLIERS = "new_suppliers"
    STRATEGIC_SUPPLIERS = "strategic_suppliers"


class ContractClause(Scoped):
    """A due-diligence clause in purchasing contracts (guide 1b.2, 3b.4)."""

    title: Text
    summary: Text
    applies_to: ClauseScope
    since: date | None = None
    long_term: bool = False


class Department(enum.StrEnum):
    """Departments the guide gives a role in due diligence (guide 1b.4)."""

    MANAGEMENT = "management"
    PURCHASING = "purchasing"
    SALES = "sales"
    LEGAL = "legal"
    FINANCE = "finance"
    HR = "hr"
    LOGISTICS = "logistics"
    SUSTAINABILITY = "sustainability"
    PRODUCT_DEVELOPMENT = "product_development"
    QUALITY = "quality"


class Role(Scoped):
    """Who carries which responsibility (guide 1a.3, 1b.1, 1b.4). Names of people stay internal."""

    title: Text
    department: Department
    responsibilities: tuple[Text, ...] = Field(min_length=1)
    since: date | None = None
    person: Annotated[Text | None, Personal()] = None


class ProcedureKind(enum.StrEnum):
    """Existing procedures the guide asks to fold due diligence into (guide 1b.2)."""

    PURCHASING = "purchasing"
    SALES = "sales"
    RISK_INVENTORY = "risk_inventory"
    SUPPLIER_SELECTION = "supplier_selection"
    CODE_OF_CONDUCT = "code_of_conduct"
    CONTRACT = "contract"
    MANAGEMENT_REPORTING = "management_reporting"
    PRODUCT_DEVELOPMENT = "product_development"


class Procedure(Scoped):
    kind: ProcedureKind
    name: Text
    description: Text
    since: date | None = None
    owner: RoleRef | None = None


class Training(Scoped):
    """Training of staff and management (guide 1b.5)."""

    topic: Text
    audience: tuple[Department, ...] = Field(min_length=1)
    held_on: date
    participants: int = Field(ge=0)
    hours: float | None = Field(default=None, gt=0)
    provider: Text | None = None


class Incentive(Scoped):
    """Due diligence in pay and job descriptions (guide 1b.3)."""

    role: RoleRef
    measure: Text
