"""The one small protocol every feature plugs in through, and the context a build gives it.

A feature is a class with a ``name`` and up to five methods, each optional (inherit
:class:`BaseFeature` for the no-op defaults):

* ``check(ctx)`` – its problems, and data later steps need (seminars …), during ``kop check``;
* ``addresses(result)`` – the site-relative addresses it will publish, predicted without
  building (the address registry and :mod:`kop.site.routes` read them);
* ``prepare(ctx)`` – work done once per build before any page (one Pandoc run, say);
* ``files(ctx)`` – the files it adds to ``build/docs``;
* ``page_parts(ov, ctx)`` – what it contributes to each overview page (head metadata,
  markup inside the header card, sections at the end).

Adding a feature means one module with such a class and one line in
:data:`kop.features.enabled.FEATURES`; nothing below this layer imports a feature.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from kop.check.hooks import CheckContext, FeatureCheck
from kop.core.model import Overview
from kop.core.results import CheckResult

if TYPE_CHECKING:  # `kop check` loads every feature for its checks; it needs neither the formatter nor the renderer
    from kop.cite.apa import Formatted
    from kop.render.overview import PageParts

Files = dict[str, str | bytes]


@dataclass
class BuildContext:
    """What every feature may read during a build: computed once by :mod:`kop.site.generate`."""

    result: CheckResult
    formatted: Formatted | None  # None outside a full build (tests, tools)
    site_url: str
    site_name: str
    publisher: str
    today: date
    by_id: dict[str, Overview]  # overviews with an address (published or withdrawn), by id
    existing: Mapping[str, str | bytes] = field(default_factory=dict)  # docs/ and the core pages, by path


class Feature(Protocol):
    name: str

    def check(self, ctx: CheckContext) -> FeatureCheck: ...

    def addresses(self, result: CheckResult) -> set[str]: ...

    def prepare(self, ctx: BuildContext) -> None: ...

    def files(self, ctx: BuildContext) -> Files: ...

    def page_parts(self, ov: Overview, ctx: BuildContext) -> PageParts: ...


class BaseFeature:
    """No-op defaults, so a feature implements only what it does."""

    name = "feature"

    def check(self, ctx: CheckContext) -> FeatureCheck:
        return FeatureCheck()

    def addresses(self, result: CheckResult) -> set[str]:
        return set()

    def prepare(self, ctx: BuildContext) -> None:
        return None

    def files(self, ctx: BuildContext) -> Files:
        return {}

    def page_parts(self, ov: Overview, ctx: BuildContext) -> PageParts:
        from kop.render.overview import PageParts

        return PageParts()
