"""Derive: pure functions from records to what follows from them (severity, priority, progress, warnings)."""

from .assessment import EXPECTED_ACTIONS, Priority, expected_action, order_key, priority, severity, severity_band
from .progress import KpiProgress, KpiStatus, is_overdue, kpi_progress
from .review import review

__all__ = [
    "EXPECTED_ACTIONS", "KpiProgress", "KpiStatus", "Priority", "expected_action", "is_overdue", "kpi_progress",
    "order_key", "priority", "review", "severity", "severity_band",
]
