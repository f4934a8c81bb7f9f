"""The JSON API under /api/v1, on top of every feature: one module per resource group, each
registering its endpoints on the blueprint; ``openapi`` builds the document from them."""

from scbi.api import (  # noqa: F401  (endpoints register on bp)
    assessments,
    auth,
    engagement_check_ins,
    engagements,
    exchange_parts,
    exchange_rates,
    exchanges,
    framework_import,
    frameworks,
    indicators,
    lessons,
    logs,
    openapi,
    pairings,
    partners,
    people,
    people_import,
    programme,
    published,
    reports,
    retention,
    transfer,
    users,
)
from scbi.api.blueprint import bp

__all__ = ["bp"]
