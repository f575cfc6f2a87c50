"""Record types, one module per step of the OECD due-diligence cycle."""

from .action import Action, ActionKind, ActionStatus, CapItem, CapItemStatus, CorrectiveActionPlan
from .common import Scope, Scoped
from .communication import Communication, StakeholderConsultation
from .company import Company, ReportingPeriod, ReportSettings
from .dossier import FILE_KINDS, SECTIONS, Dossier, Section
from .policy import Policy, Role, SupplierCode
from .remedy import CaseStatus, GrievanceCase, GrievanceMechanism, RemediationCase
from .risk import Impact, Involvement, Risk, Severity, Theme, THEME_LABELS
from .tracking import Audit, Direction, Kpi, Measurement
from .value_chain import Product, RawMaterial, Supplier

__all__ = [
    "Action", "ActionKind", "ActionStatus", "Audit", "CapItem", "CapItemStatus", "CaseStatus", "Communication",
    "Company", "CorrectiveActionPlan", "Direction", "Dossier", "FILE_KINDS", "GrievanceCase", "GrievanceMechanism",
    "Impact", "Involvement", "Kpi", "Measurement", "Policy", "Product", "RawMaterial", "RemediationCase",
    "ReportSettings", "ReportingPeriod", "Risk", "Role", "SECTIONS", "Scope", "Scoped", "Section", "Severity",
    "StakeholderConsultation", "Supplier", "SupplierCode", "THEME_LABELS", "Theme",
]
