"""Step 2b-2c: the risk register — adverse impacts, severity, likelihood and involvement."""

from __future__ import annotations

import enum
import datetime as dt

from pydantic import Field

from .common import CountryCode, CustomerRef, MaterialRef, ProductRef, Record, Score, Scoped, SupplierRef, Text, Url


class Theme(enum.StrEnum):
    """Risk themes: one key per MVO Risico Checker theme (working conditions split in two), plus privacy."""

    TAX = "tax"
    CORRUPTION = "corruption"
    COMPETITION = "competition"
    GOVERNMENT_INFLUENCE = "government_influence"
    CONFLICT_SECURITY = "conflict_security"
    LAND_RIGHTS = "land_rights"
    COMMUNITY_IMPACTS = "community_impacts"
    ANIMAL_WELFARE = "animal_welfare"
    CONSUMER_PRODUCT_SAFETY = "consumer_product_safety"
    FREEDOM_OF_ASSOCIATION = "freedom_of_association"
    WORKING_CONDITIONS = "working_conditions"
    WORKING_HOURS = "working_hours"
    FORCED_LABOUR = "forced_labour"
    CHILD_LABOUR = "child_labour"
    DISCRIMINATION_GENDER = "discrimination_gender"
    WAGES = "wages"
    HEALTH_SAFETY = "health_safety"
    CLIMATE_ENERGY = "climate_energy"
    BIODIVERSITY_DEFORESTATION = "biodiversity_deforestation"
    WATER = "water"
    AIR_POLLUTION = "air_pollution"
    SOIL_GROUNDWATER_POLLUTION = "soil_groundwater_pollution"
    WASTE = "waste"
    PRIVACY_DATA = "privacy_data"


class ThemeCategory(enum.StrEnum):
    FAIR_BUSINESS = "fair_business_practices"
    HUMAN_RIGHTS = "human_rights_ethics"
    LABOUR_RIGHTS = "labour_rights"
    ENVIRONMENT = "environment"
    TECHNOLOGY = "technology"


# (category, Dutch label, English label), from the MVO Risico Checker's theme list.
THEME_LABELS: dict[Theme, tuple[ThemeCategory, str, str]] = {
    Theme.TAX: (ThemeCategory.FAIR_BUSINESS, "Belastingen", "Taxation"),
    Theme.CORRUPTION: (ThemeCategory.FAIR_BUSINESS, "Corruptie", "Corruption"),
    Theme.COMPETITION: (ThemeCategory.FAIR_BUSINESS, "Marktverstoring en mededinging", "Market distortion and competition"),
    Theme.GOVERNMENT_INFLUENCE: (ThemeCategory.HUMAN_RIGHTS, "Overheidsinvloed", "Government influence"),
    Theme.CONFLICT_SECURITY: (ThemeCategory.HUMAN_RIGHTS, "Conflicten en veiligheid", "Conflicts and security"),
    Theme.LAND_RIGHTS: (ThemeCategory.HUMAN_RIGHTS, "Eigendomsrechten en grondbezit", "Land use and property rights"),
    Theme.COMMUNITY_IMPACTS: (ThemeCategory.HUMAN_RIGHTS, "Effecten op lokale gemeenschap", "Impact on local communities"),
    Theme.ANIMAL_WELFARE: (ThemeCategory.HUMAN_RIGHTS, "Dierenwelzijn", "Animal welfare"),
    Theme.CONSUMER_PRODUCT_SAFETY: (ThemeCategory.HUMAN_RIGHTS, "Consumentenbelangen en productveiligheid", "Consumer interests and product safety"),
    Theme.FREEDOM_OF_ASSOCIATION: (ThemeCategory.LABOUR_RIGHTS, "Vrijheid van vereniging", "Freedom of association"),
    Theme.WORKING_CONDITIONS: (ThemeCategory.LABOUR_RIGHTS, "Arbeidsvoorwaarden (contracten)", "Working conditions (contracts)"),
    Theme.WORKING_HOURS: (ThemeCategory.LABOUR_RIGHTS, "Arbeidsvoorwaarden (werktijden)", "Working conditions (working hours)"),
    Theme.FORCED_LABOUR: (ThemeCategory.LABOUR_RIGHTS, "Dwangarbeid en mensenhandel", "Forced labour and human trafficking"),
    Theme.CHILD_LABOUR: (ThemeCategory.LABOUR_RIGHTS, "Kinderarbeid", "Child labour"),
    Theme.DISCRIMINATION_GENDER: (ThemeCategory.LABOUR_RIGHTS, "Discriminatie en gender", "Discrimination and gender"),
    Theme.WAGES: (ThemeCategory.LABOUR_RIGHTS, "Salaris en beloning", "Wages"),
    Theme.HEALTH_SAFETY: (ThemeCategory.LABOUR_RIGHTS, "Veiligheid en gezondheid op de werkvloer", "Occupational health and safety"),
    Theme.CLIMATE_ENERGY: (ThemeCategory.ENVIRONMENT, "Klimaat en energie", "Climate and energy"),
    Theme.BIODIVERSITY_DEFORESTATION: (ThemeCategory.ENVIRONMENT, "Biodiversiteit en ontbossing", "Biodiversity and deforestation"),
    Theme.WATER: (ThemeCategory.ENVIRONMENT, "Watergebruik en waterbeschikbaarheid", "Water use and availability"),
    Theme.AIR_POLLUTION: (ThemeCategory.ENVIRONMENT, "Luchtvervuiling", "Air pollution"),
    Theme.SOIL_GROUNDWATER_POLLUTION: (ThemeCategory.ENVIRONMENT, "Bodem en (grond)watervervuiling", "Soil and (ground)water pollution"),
    Theme.WASTE: (ThemeCategory.ENVIRONMENT, "Milieu en afval (algemeen)", "Environment and waste (general)"),
    Theme.PRIVACY_DATA: (ThemeCategory.TECHNOLOGY, "Privacy en data", "Privacy and data"),
}


class Impact(enum.StrEnum):
    """Whether harm is happening (actual) or could happen (potential) (guide 2b.2-2b.7)."""

    ACTUAL = "actual"
    POTENTIAL = "potential"


class RiskStatus(enum.StrEnum):
    """A risk stays on the register until it is addressed (guide 2c.1)."""

    OPEN = "open"
    MITIGATED = "mitigated"
    CLOSED = "closed"


class Involvement(enum.StrEnum):
    """How the company is involved in the impact (OECD; guide 3a.1)."""

    CAUSE = "cause"
    CONTRIBUTE = "contribute"
    DIRECTLY_LINKED = "directly_linked"


class AffectedGroupKind(enum.StrEnum):
    OWN_EMPLOYEES = "own_employees"
    SUPPLY_CHAIN_WORKERS = "supply_chain_workers"
    WOMEN = "women"
    CHILDREN = "children"
    MIGRANT_WORKERS = "migrant_workers"
    SEASONAL_WORKERS = "seasonal_workers"
    HOMEWORKERS = "homeworkers"
    FARMERS = "farmers"
    LOCAL_COMMUNITIES = "local_communities"
    INDIGENOUS_PEOPLES = "indigenous_peoples"
    CONSUMERS = "consumers"
    END_USERS = "end_users"
    ENVIRONMENT = "environment"


class AffectedGroup(Record):
    """Right-holders affected; vulnerable groups and gender get explicit attention (guide 0.5)."""

    group: AffectedGroupKind
    vulnerable: bool = False
    note: Text | None = None


class SourceKind(enum.StrEnum):
    """Where knowledge of a risk comes from (guide 2b.2-2b.7)."""

    RISK_CHECKER = "risk_checker"
    AUDIT = "audit"
    CERTIFICATION = "certification"
    NGO_REPORT = "ngo_report"
    INITIATIVE = "initiative"
    RESEARCH = "research"
    MEDIA = "media"
    SITE_VISIT = "site_visit"
    WORKER_INTERVIEW = "worker_interview"
    SUPPLIER_DIALOGUE = "supplier_dialogue"
    TRADE_UNION = "trade_union"
    EMBASSY = "embassy"
    GRIEVANCE = "grievance"
    STAKEHOLDER_CONSULTATION = "stakeholder_consultation"
    PUBLIC_LIST = "public_list"


class Source(Record):
    kind: SourceKind
    title: Text
    date: dt.date | None = None
    url: Url | None = None


class Severity(Record):
    """UNGP severity criteria, each 1-5 (guide 2c.3). Irremediability weighs most (2c.4)."""

    scale: Score = Field(description="How grave the harm is (1 minor - 5 very grave).")
    scope: Score = Field(description="How many people, or how much of the environment, is affected (1 few - 5 very many).")
    irremediability: Score = Field(description="How hard it is to restore the situation (1 easily - 5 not at all).")


class Assessment(Record):
    """An earlier assessment of the same risk, kept so year-on-year changes in priority can be shown
    (guide 4.1: the risk analysis is re-evaluated periodically)."""

    on: dt.date
    severity: Severity
    likelihood: Score
    note: Text | None = None


class ValueChainLocation(enum.StrEnum):
    UPSTREAM = "upstream"
    OWN_OPERATIONS = "own_operations"
    DOWNSTREAM = "downstream"


class Risk(Scoped):
    """An actual or potential adverse impact, assessed and prioritised."""

    title: Text
    theme: Theme
    description: Text
    impact: Impact
    status: RiskStatus = RiskStatus.OPEN
    affected_groups: tuple[AffectedGroup, ...] = Field(min_length=1)
    gender_perspective: Text | None = None
    location: ValueChainLocation = ValueChainLocation.UPSTREAM
    countries: tuple[CountryCode, ...] = ()
    suppliers: tuple[SupplierRef, ...] = ()
    products: tuple[ProductRef, ...] = ()
    raw_materials: tuple[MaterialRef, ...] = ()
    customers: tuple[CustomerRef, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)
    severity: Severity
    likelihood: Score = Field(description="How probable the impact is (1 very unlikely - 5 (almost) certain or happening).")
    involvement: Involvement
    involvement_rationale: Text | None = None
    remedy_note: Text | None = Field(
        default=None,
        description="How remedy is approached for this impact, or why no remedy applies (e.g. climate impacts "
                    "are addressed by reduction); silences the check for a missing remedy action.",
    )
    rationale: Text = Field(description="Why this severity and likelihood: the evidence behind the priority.")
    identified_on: dt.date | None = Field(
        default=None, description="When the risk was first identified; default: assessed_on. Earlier years' "
                                  "reports show the risk from this date on.")
    assessed_on: dt.date = Field(description="Date of the current assessment (the scores above).")
    earlier_assessments: tuple[Assessment, ...] = Field(
        default=(), description="Earlier scores, so the report of an earlier year shows the priority of then.")
    next_review_on: dt.date | None = None
    closed_on: dt.date | None = None
