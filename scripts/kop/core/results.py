"""What a check run produces, and the step timings of a build.

``CheckResult`` is the hand-over between the check pipeline and everything after it.
Features keep what their own check loaded (seminars, say) in ``feature_data`` under
their name; the pipeline stores it there, so no feature writes into another's result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from kop.core.model import Diagnostic, Overview, Reference
from kop.core.project import Project


@dataclass
class CheckResult:
    """Everything later steps need: parsed overviews, references and all problems."""

    project: Project
    overviews: list[Overview] = field(default_factory=list)
    references: dict[str, Reference] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    displays: dict[str, str] = field(default_factory=dict)  # slug -> display path
    feature_data: dict[str, Any] = field(default_factory=dict)  # feature name -> what its check loaded

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    def published(self) -> list[Overview]:
        """Overviews that get a full page: everything but drafts and withdrawn ones (tombstones), by id."""
        return sorted((ov for ov in self.overviews if ov.meta.get("status") != "utkast"
                       and not isinstance(ov.meta.get("withdrawn"), dict)),
                      key=lambda ov: str(ov.meta.get("id", ov.slug)))


@dataclass
class Timings:
    """Seconds spent in each step, for the benchmark and for ``--timings``."""

    steps: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, start: float) -> None:
        self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - start
