"""The one list of features. Adding a feature: write its module, add one line here.

The order matters only where features meet on a page: sections at the end of an
overview page appear in this order (seminars before the Citera box), and a check that
needs another's data comes after it (the registry needs the seminars' addresses).
"""

from __future__ import annotations

from kop.features.base import Feature
from kop.features.citable import CitableFeature
from kop.features.feeds import FeedsFeature
from kop.features.maintenance import MaintenanceFeature
from kop.features.page_head import PageHeadFeature
from kop.features.pdf import PdfFeature
from kop.features.permalinks import PermalinksFeature
from kop.features.preview_cards import PreviewCardsFeature
from kop.features.registry import RegistryFeature
from kop.features.search import SearchFeature
from kop.features.seminars.feature import SeminarsFeature
from kop.features.versions import VersionsFeature

FEATURES: tuple[type[Feature], ...] = (
    PermalinksFeature,
    SeminarsFeature,
    RegistryFeature,
    PageHeadFeature,
    PreviewCardsFeature,
    PdfFeature,
    VersionsFeature,
    CitableFeature,
    FeedsFeature,
    SearchFeature,
    MaintenanceFeature,
)


def instantiate() -> list[Feature]:
    """Fresh feature objects for one check or build (features keep per-build state)."""
    return [feature() for feature in FEATURES]
