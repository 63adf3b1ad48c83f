"""When to update: the maintainer page ``bidra/att-uppdatera/`` and the rows `kop status` prints.

The page leaves drafts out (they are never published); `kop status` lists them too.

Overviews whose literature search is older than ``extra.kop.stale_after_years``, drafts
untouched for ``extra.kop.draft_stale_days`` (default 180) and overviews under review, each
with its authors. "Untouched" is the last commit that changed the file (one ``git log``);
without git history a draft's age is unknown and it is not listed.
"""

from __future__ import annotations

from datetime import date

from kop.core.results import CheckResult
from kop.features.base import BaseFeature, BuildContext, Files
from kop.render.fragments import block
from kop.render.maintenance import DRAFT_AFTER_DAYS, Attention, attention_html, needs_attention
from kop.sources.history import last_changed

PAGE = "bidra/att-uppdatera.md"


def attention_rows(result: CheckResult, today: date) -> list[Attention]:
    project = result.project
    documents = [(result.displays.get(ov.slug, project.display(ov.path)), ov.meta) for ov in result.overviews]
    changed = last_changed(project.root, [path for path, _ in documents])
    settings = project.settings
    return needs_attention(documents, today=today, last_changed=changed,
                           stale_after_years=float(settings.get("stale_after_years", 5)),
                           draft_after_days=int(settings.get("draft_stale_days", DRAFT_AFTER_DAYS)))


class MaintenanceFeature(BaseFeature):
    """The maintainer page listing what needs updating (the same rows as `kop status`)."""

    name = "maintenance"

    def addresses(self, result: CheckResult) -> set[str]:
        return {"bidra/att-uppdatera/"}

    def files(self, ctx: BuildContext) -> Files:
        # Drafts are never published, so they are not named on the site either: `kop status` lists them.
        rows = [r for r in attention_rows(ctx.result, ctx.today) if r.kind != "draft"]
        intro = ("Den här sidan är för förvaltare. Den listar publicerade översikter vars litteratursökning är "
                 "äldre än gränsen och översikter som väntar på granskning, med författarna att fråga. "
                 "`make status` (kommandot `kop status`) visar samma lista och dessutom utkast som ingen har "
                 "ändrat på länge.")
        return {PAGE: f"---\ntitle: Att uppdatera\n---\n\n# Att uppdatera\n\n{intro}\n" + block(attention_html(rows))}
