"""The whole set of records (`Dossier`) and which file in data/ holds which sections.

A data file's name says what it holds: `data/suppliers.yaml`, or any file in a folder
`data/suppliers/`, holds `suppliers:`. Sections that are lists may be split over several files;
single sections (`company:`, `grievance_mechanism:` ...) appear once in the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .action import Action
from .common import Record, Scoped
from .communication import Communication, MaterialTopic, StakeholderConsultation
from .company import Company, ReportingPeriod, ReportSettings
from .policy import ContractClause, Incentive, Policy, Procedure, Role, SupplierCode, Training
from .remedy import GrievanceCase, GrievanceMechanism, RemediationCase
from .risk import Risk
from .tracking import Audit, Kpi
from .value_chain import Customer, Product, RawMaterial, Supplier, ValueChainMapping


@dataclass(frozen=True)
class Section:
    """A top-level key of a data file: its record type and whether it is a list of records."""

    name: str
    model: type[Record]
    many: bool
    noun: str
    required: bool = False
    description: str = ""


SECTIONS: dict[str, Section] = {
    s.name: s
    for s in (
        Section("company", Company, False, "company", True, "Company profile (guide 0.3)."),
        Section("reporting_periods", ReportingPeriod, True, "reporting period", True, "Reporting years."),
        Section("report", ReportSettings, False, "report settings", False, "How the public report is presented."),
        Section("policies", Policy, True, "policy", False, "Policy commitments (step 1a)."),
        Section("supplier_code", SupplierCode, False, "supplier code", False, "Supplier code of conduct."),
        Section("contract_clauses", ContractClause, True, "contract clause", False, "Contract clauses."),
        Section("roles", Role, True, "role", False, "Responsibilities per department (step 1b)."),
        Section("procedures", Procedure, True, "procedure", False, "Procedures where due diligence is built in."),
        Section("trainings", Training, True, "training", False, "Trainings of staff and management."),
        Section("incentives", Incentive, True, "incentive", False, "Due diligence in pay and job descriptions."),
        Section("products", Product, True, "product", False, "Products and services bought, made, sold (2a)."),
        Section("raw_materials", RawMaterial, True, "raw material", False, "Raw materials and origins (2a)."),
        Section("customers", Customer, True, "customer", False, "Customers and downstream markets (2a.3)."),
        Section("mapping", ValueChainMapping, False, "value-chain mapping", False, "How the chain was mapped."),
        Section("suppliers", Supplier, True, "supplier", False, "Suppliers and production sites (2a)."),
        Section("risks", Risk, True, "risk", False, "Risk register (2b, 2c)."),
        Section("actions", Action, True, "action", False, "Action plans and CAPs (step 3)."),
        Section("kpis", Kpi, True, "KPI", False, "SMART KPIs (step 4)."),
        Section("audits", Audit, True, "audit", False, "Audits and verifications (step 4)."),
        Section("consultations", StakeholderConsultation, True, "consultation", False, "Stakeholder consultations."),
        Section("communication", Communication, False, "communication", False, "Reporting channels (step 5)."),
        Section("material_topics", MaterialTopic, True, "material topic", False, "Material topics (GRI 3-2, 3-3)."),
        Section("grievance_mechanism", GrievanceMechanism, False, "grievance mechanism", False, "Step 6."),
        Section("grievance_cases", GrievanceCase, True, "grievance case", False, "Grievances received (internal)."),
        Section("remediation_cases", RemediationCase, True, "remediation case", False, "Remedy provided (6.9)."),
    )
}

FILE_KINDS: dict[str, tuple[str, ...]] = {
    "company": ("company", "reporting_periods", "report"),
    "policy": ("policies", "supplier_code", "contract_clauses"),
    "embedding": ("roles", "procedures", "trainings", "incentives"),
    "value_chain": ("products", "raw_materials", "customers", "mapping"),
    "suppliers": ("suppliers",),
    "risks": ("risks",),
    "actions": ("actions",),
    "kpis": ("kpis",),
    "audits": ("audits",),
    "stakeholders": ("consultations",),
    "communication": ("communication", "material_topics"),
    "grievances": ("grievance_mechanism", "grievance_cases"),
    "remediation": ("remediation_cases",),
}
"""File kind (the file's name, or its folder's name, under data/) -> the sections it may hold."""


def file_kind(relative_to_data: str) -> str:
    """`suppliers.yaml` and `suppliers/asia.yaml` are both of kind `suppliers`."""
    first = relative_to_data.split("/", 1)[0]
    return first.rsplit(".", 1)[0] if "/" not in relative_to_data else first


@dataclass(frozen=True)
class Origin:
    """Where a record was read: the file and the path of the record inside it."""

    file: str
    path: tuple[str | int, ...]


@dataclass(frozen=True)
class Dossier:
    """All valid records of a project. Lists are sorted by id; singletons may be absent."""

    company: Company | None = None
    reporting_periods: tuple[ReportingPeriod, ...] = ()
    report: ReportSettings | None = None
    policies: tuple[Policy, ...] = ()
    supplier_code: SupplierCode | None = None
    contract_clauses: tuple[ContractClause, ...] = ()
    roles: tuple[Role, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    trainings: tuple[Training, ...] = ()
    incentives: tuple[Incentive, ...] = ()
    products: tuple[Product, ...] = ()
    raw_materials: tuple[RawMaterial, ...] = ()
    customers: tuple[Customer, ...] = ()
    mapping: ValueChainMapping | None = None
    suppliers: tuple[Supplier, ...] = ()
    risks: tuple[Risk, ...] = ()
    actions: tuple[Action, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    audits: tuple[Audit, ...] = ()
    consultations: tuple[StakeholderConsultation, ...] = ()
    communication: Communication | None = None
    material_topics: tuple[MaterialTopic, ...] = ()
    grievance_mechanism: GrievanceMechanism | None = None
    grievance_cases: tuple[GrievanceCase, ...] = ()
    remediation_cases: tuple[RemediationCase, ...] = ()
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict, compare=False, repr=False)

    @property
    def settings(self) -> ReportSettings:
        return self.report or ReportSettings()

    @property
    def period(self) -> ReportingPeriod | None:
        """The latest reporting period: the one the report is about."""
        return max(self.reporting_periods, key=lambda p: p.year, default=None)

    def records(self, section: str) -> tuple[Any, ...]:
        value = getattr(self, section)
        if isinstance(value, tuple):
            return value
        return () if value is None else (value,)

    def by_id(self, section: str) -> dict[str, Scoped]:
        """Records of `section` by id (shared: do not change it). Built once per section, since
        callers look records up one at a time and 10,000 suppliers would make that quadratic."""
        index: dict[str, dict[str, Scoped]] = self.__dict__.setdefault("_by_id", {})
        if section not in index:
            index[section] = {r.id: r for r in self.records(section)}
        return index[section]

    def counts(self) -> dict[str, int]:
        return {name: len(self.records(name)) for name in SECTIONS if self.records(name)}


def file_model_fields(kind: str) -> dict[str, Any]:
    """The JSON-schema-facing description of a file kind: section name -> record model."""
    return {name: SECTIONS[name] for name in FILE_KINDS[kind]}


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)
