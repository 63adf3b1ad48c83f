"""``kop check`` in full: the check pipeline with every feature's checks and the site's addresses."""

from __future__ import annotations

from kop.check import pipeline
from kop.core.project import Project
from kop.core.results import CheckResult
from kop.features.enabled import instantiate
from kop.site.routes import site_addresses
from kop.sources.cache import ContentCache
from kop.sources.committed import committed_generated
from kop.sources.documents import tree_problems
from kop.sources.misplaced import misplaced_files


def check(project: Project, cache: ContentCache | None = None) -> CheckResult:
    """Validate everything a build would publish, without building: overviews, references, features."""
    committed = committed_generated(project)  # a committed .cache/ must not be read as the build's own (KOP183)
    if committed:
        cache = ContentCache(project.cache_dir, enabled=False)  # nothing read from it, nothing written
    features = instantiate()
    result = pipeline.check(project, features, lambda result: site_addresses(result, features), cache)
    result.diagnostics.extend(tree_problems(project.docs_dir, project))  # links out of the repo, FIFOs (KOP15x)
    result.diagnostics.extend(misplaced_files(project))  # overviews/x/y.md, y.markdown, y.MD … (KOP180–182)
    result.diagnostics[:0] = committed  # the root cause first: what else is read may come from it
    return result
