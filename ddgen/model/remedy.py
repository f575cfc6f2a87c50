"""Step 6: remediate — the grievance mechanism, grievance cases and remediation (guide 6.1-6.11)."""

from __future__ import annotations

import enum
from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .common import CountryCode, GrievanceCaseRef, Personal, Record, RiskRef, Scope, Scoped, Sensitive, SupplierRef, Text, Url
from .risk import Involvement, Theme


class MechanismKind(enum.StrEnum):
    OWN = "own"
    COLLECTIVE = "collective"
    THIRD_PARTY = "third_party"


class EligibleUser(enum.StrEnum):
    OWN_EMPLOYEES = "own_employees"
    SUPPLY_CHAIN_WORKERS = "supply_chain_workers"
    SUPPLIERS = "suppliers"
    CUSTOMERS = "customers"
    LOCAL_COMMUNITIES = "local_communities"
    NGOS = "ngos"
    TRADE_UNIONS = "trade_unions"
    ANYONE = "anyone"


class ChannelType(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    HOTLINE = "hotline"
    WEB_FORM = "web_form"
    MESSAGING = "messaging"
    LETTER = "letter"
    IN_PERSON = "in_person"
    THIRD_PARTY = "third_party"


class GrievanceChannel(Record):
    """A way to raise a grievance; accessible means free, in workers' languages, anonymous if wished (6.3)."""

    kind: ChannelType
    address: Text
    languages: tuple[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")], ...] = Field(min_length=1)
    free_of_charge: bool = True
    anonymous: bool = False
    availability: Text | None = None


class ProcedureStep(Record):
    name: Text
    description: Text
    timeline_days: int | None = Field(default=None, ge=0)


class CollectiveMechanism(Record):
    """A collective or external mechanism joined, e.g. through a covenant or certification (6.7, 6.8)."""

    name: Text
    provider: Text
    covers: Text
    url: Url | None = None


class GrievanceMechanism(Record):
    """How anyone affected can raise a concern: known, accessible, trusted, protective (6.1-6.7, 6.11)."""

    name: Text
    kind: MechanismKind
    description: Text
    eligible_users: tuple[EligibleUser, ...] = Field(min_length=1)
    channels: tuple[GrievanceChannel, ...] = Field(min_length=1)
    anonymity: Text
    protection: Text = Field(description="How complainants and whistle-blowers are protected against retaliation.")
    confidentiality: Text
    steps: tuple[ProcedureStep, ...] = Field(min_length=1)
    awareness_measures: tuple[Text, ...] = ()
    trust_measures: tuple[Text, ...] = ()
    tiers_covered: tuple[Annotated[int, Field(ge=1, le=9)], ...] = ()
    collective_mechanisms: tuple[CollectiveMechanism, ...] = ()
    url: Url | None = None


class ComplainantType(enum.StrEnum):
    OWN_EMPLOYEE = "own_employee"
    SUPPLY_CHAIN_WORKER = "supply_chain_worker"
    WORKER_REPRESENTATIVE = "worker_representative"
    TRADE_UNION = "trade_union"
    NGO = "ngo"
    COMMUNITY_MEMBER = "community_member"
    CUSTOMER = "customer"
    SUPPLIER = "supplier"
    ANONYMOUS = "anonymous"


class CaseStatus(enum.StrEnum):
    RECEIVED = "received"
    UNDER_INVESTIGATION = "under_investigation"
    REMEDY_IN_PROGRESS = "remedy_in_progress"
    CLOSED = "closed"
    NOT_ADMISSIBLE = "not_admissible"

    @property
    def is_closed(self) -> bool:
        return self in (CaseStatus.CLOSED, CaseStatus.NOT_ADMISSIBLE)


class Outcome(enum.StrEnum):
    REMEDIED = "remedied"
    PARTLY_REMEDIED = "partly_remedied"
    NOT_SUBSTANTIATED = "not_substantiated"
    REFERRED = "referred"
    WITHDRAWN = "withdrawn"


class Complainant(Record):
    """Who raised the case. Personal data: internal, never on the public site."""

    name: Annotated[Text | None, Personal()] = None
    contact: Annotated[Text | None, Personal()] = None
    employer: Annotated[Text | None, Personal()] = None
    notes: Annotated[Text | None, Personal()] = None


class GrievanceCase(Scoped):
    """One grievance received. Published only as suppressed aggregates (guide 6.6)."""

    default_scope: ClassVar[Scope] = Scope.INTERNAL

    received_on: date
    channel: ChannelType
    theme: Theme
    country: CountryCode
    supplier: SupplierRef | None = None
    complainant_type: ComplainantType
    complainant: Complainant | None = None
    summary: Annotated[Text, Personal()]
    status: CaseStatus
    closed_on: date | None = None
    outcome: Outcome | None = None
    remedy: Annotated[Text | None, Sensitive(Scope.INTERNAL)] = None

    @model_validator(mode="after")
    def _closed_consistently(self) -> GrievanceCase:
        if self.closed_on is not None and self.closed_on < self.received_on:
            raise PydanticCustomError("date_order", "case {id} is closed ({closed}) before it was received ({received})",
                                      {"id": self.id, "closed": str(self.closed_on), "received": str(self.received_on)})
        if self.status.is_closed and self.closed_on is None:
            raise PydanticCustomError("closed_without_date", "case {id} has status {status} but no closed_on date",
                                      {"id": self.id, "status": self.status.value})
        return self


class RemedyKind(enum.StrEnum):
    RESTITUTION = "restitution"
    COMPENSATION = "compensation"
    BACK_PAY = "back_pay"
    REINSTATEMENT = "reinstatement"
    MEDICAL_CARE = "medical_care"
    SCHOOLING = "schooling"
    APOLOGY = "apology"
    POLICY_CHANGE = "policy_change"
    ENVIRONMENTAL_RESTORATION = "environmental_restoration"


class RemediationStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class RemediationCase(Scoped):
    """Remedy provided or supported where the company caused or contributed to harm (guide 6.9, 6.10).

    Internal by default: the site shows remediation in aggregate; a case marked public is told in full.
    """

    default_scope: ClassVar[Scope] = Scope.INTERNAL

    title: Text
    harm: Text
    involvement: Involvement
    risks: tuple[RiskRef, ...] = ()
    grievance_cases: tuple[GrievanceCaseRef, ...] = ()
    supplier: SupplierRef | None = None
    people_affected: int | None = Field(default=None, ge=0)
    remedies: tuple[RemedyKind, ...] = Field(min_length=1)
    description: Text
    compensation_eur: Annotated[float | None, Sensitive(Scope.INTERNAL)] = Field(default=None, ge=0)
    plan: Text | None = None
    status: RemediationStatus
    opened_on: date
    completed_on: date | None = None
    outcome: Text | None = None
    affected_feedback: Text | None = None
