"""How checks that live above this layer (the features) plug into the check pipeline.

The pipeline cannot import features (they sit higher), so it takes objects that have a
``name`` and a ``check(ctx)`` method. What a hook's check loaded (seminars, say) is kept
by the pipeline in ``result.feature_data[name]``; a hook never writes into the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from kop.core.model import Diagnostic
from kop.core.results import CheckResult


@dataclass(frozen=True)
class CheckContext:
    """What a hook's check may read: the result so far, today's date, the site's addresses."""

    result: CheckResult
    today: date
    addresses: Callable[[], set[str]]  # every site-relative address the build will publish (kop.site.routes)


@dataclass
class FeatureCheck:
    """What a hook's check returns: its problems, and data later steps need (stored under its name)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    data: Any = None


class CheckHook(Protocol):
    name: str

    def check(self, ctx: CheckContext) -> FeatureCheck: ...
