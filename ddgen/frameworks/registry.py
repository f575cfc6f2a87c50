"""What a framework file may point at: the site's pages and their sections, answer snippets, figures.

A requirement in a framework file says where its answer is shown (`shown_at: policy#responsibilities`);
the loader checks every such location against this registry, so a typo is reported at its line
instead of becoming a broken link. Render maps the page keys to files (`ddgen.render.PAGES`) and
gives the sections these explicit anchors (`{#responsibilities}`); a test checks that the two agree
and that every anchor exists in the built site.

Labels are English message ids, translated through the site's catalog like every other label.
"""

from __future__ import annotations

PAGE_LABELS: dict[str, str] = {
    "home": "At a glance",
    "policy": "Step 1: Policy and embedding",
    "value_chain": "Step 2: Our value chain",
    "suppliers": "Supplier list",
    "risks": "Step 2: Risks and priorities",
    "actions": "Step 3: Actions",
    "monitoring": "Step 4: Monitoring",
    "communication": "Step 5: Communication",
    "grievances": "Step 6: Grievances and remedy",
    "method": "How we assess",
    "statement": "Due diligence statement",
    "gri": "GRI content index",
    "lksg": "Report on the German Supply Chain Act (LkSG)",
}
"""Page key (as in render.PAGES, plus the framework pages) -> label shown in location links."""

ANCHORS: dict[str, dict[str, str]] = {
    "home": {
        "management-statement": "Statement by the management", "salient-overview": "Our salient issues",
        "six-steps": "Our due diligence in six steps",
    },
    "policy": {
        "supplier-code": "Supplier code of conduct",
        "contracts": "Due diligence in our contracts", "responsibilities": "Responsibilities",
        "procedures": "Where due diligence is built into our procedures",
        "incentives": "Due diligence in job descriptions and pay", "training": "Training",
    },
    "value_chain": {
        "mapping": "How we mapped the chain", "supplier-countries": "Where our suppliers are",
        "products": "Products and services", "raw-materials": "Raw materials", "customers": "Customers and markets",
    },
    "suppliers": {},
    "risks": {
        "risk-matrix": "Severity and likelihood", "risk-register": "Risk register",
        "salient-issues": "Why these are our salient issues", "material-topics": "Material topics",
    },
    "actions": {},
    "monitoring": {"indicators": "Indicators", "audit-results": "Audits and site visits", "risk-review": "Reviewing our risk assessment"},
    "communication": {
        "stakeholder-engagement": "Stakeholder engagement", "reporting-channels": "Where we report",
        "reporting-frameworks": "Reporting frameworks", "challenges": "Challenges and setbacks",
        "legal-compliance": "Compliance with laws and regulations",
    },
    "grievances": {
        "grievance-mechanism": "How to raise a concern", "grievance-procedure": "What happens after you raise a concern",
        "grievance-protection": "Anonymity, confidentiality and protection",
        "grievance-statistics": "Grievance statistics", "remedy": "Remedy",
    },
    "method": {
        "severity": "Severity", "priority": "Priority", "involvement": "What our involvement asks of us",
        "kpi-status": "KPI status", "grievances": "Grievance statistics", "audits": "Audits",
    },
    "statement": {},
    "gri": {
        "gri-308-1": "GRI 308-1", "gri-308-2": "GRI 308-2", "gri-414-1": "GRI 414-1", "gri-414-2": "GRI 414-2",
        "gri-407-1": "GRI 407-1", "gri-408-1": "GRI 408-1", "gri-409-1": "GRI 409-1", "gri-411-1": "GRI 411-1",
    },
    "lksg": {},
}
"""Page key -> explicit anchor -> label of the section. Only these anchors may appear in `shown_at`.
Anchors are unique across all step pages, because the printable report puts them on one page."""

RECORD = "record"
"""`shown_at: record` links every answering record to its own page or section (risk pages, actions ...)."""

RECORD_LOCATIONS: dict[str, tuple[str, str]] = {
    "risks": ("risk", ""),
    "suppliers": ("supplier", ""),
    "kpis": ("kpi", ""),
    "actions": ("actions", "action-"),
    "policies": ("policy", "policy-"),
    "remediation_cases": ("grievances", "remedy-"),
}
"""Record sections that have a page or anchor of their own: section -> (page key, anchor prefix).
`risk`, `supplier` and `kpi` stand for the page of each record."""

ANSWERS: frozenset[str] = frozenset({
    "commitment", "commitment_development", "rights_covered", "commitment_dissemination", "embedding",
    "responsibilities", "management_oversight", "training", "business_relationships", "lessons",
    "salient_issues", "salience_method", "geographies", "severe_impacts", "specific_policies",
    "policy_relevance", "stakeholder_engagement", "stakeholder_selection", "stakeholders_engaged",
    "stakeholder_influence", "risk_review", "trends", "severe_incidents", "integration", "functions",
    "tensions", "prevention_actions", "effectiveness", "effectiveness_examples", "remedy", "grievance_channels",
    "grievance_trust", "grievance_process", "grievance_trends", "remedy_provided", "value_chain",
    "risk_identification", "prioritisation", "corrective_actions", "monitoring", "reporting",
    "management_statement", "legal_compliance", "organisation", "report_scope", "reporting_period",
    "material_topics",
})
"""Short answers drawn from the records (macros in templates/partials/answers.md.j2)."""

FIGURES: frozenset[str] = frozenset({
    "gri-308-1", "gri-308-2", "gri-414-1", "gri-414-2", "gri-407-1", "gri-408-1", "gri-409-1", "gri-411-1",
})
"""Figures computed from the records for GRI topic disclosures (shown on the GRI page under these anchors)."""


def location_labels() -> list[str]:
    """Every label of this registry, for the message catalog."""
    labels = set(PAGE_LABELS.values())
    for anchors in ANCHORS.values():
        labels.update(anchors.values())
    return sorted(labels)
