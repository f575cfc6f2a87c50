"""ddgen: due-diligence records (YAML in git) -> a public transparency website and disclosures."""

__version__ = "0.1.0"
