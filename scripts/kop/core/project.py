"""Where a content tree keeps its files, and its site-wide settings.

Every command takes a project root (default: the current directory), so the same
tooling can build the shipped content or a generated benchmark corpus.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml


class _LenientLoader(yaml.SafeLoader):
    """Safe loader that tolerates MkDocs' ``!!python/name:`` and ``!ENV`` tags without running them."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_LenientLoader.add_multi_constructor("!", _ignore_tag)


@dataclass
class Project:
    """Paths and settings of one content tree."""

    root: Path
    settings: dict[str, Any] = field(default_factory=dict)
    site_url: str = ""
    site_name: str = "KÖP"

    @property
    def overviews_dir(self) -> Path:
        return self.root / "overviews"

    @property
    def bib_path(self) -> Path:
        return self.root / "references.bib"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def build_dir(self) -> Path:
        """Generated Markdown for the site engine (git-ignored)."""
        return self.root / "build"

    @property
    def gen_docs_dir(self) -> Path:
        return self.build_dir / "docs"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache" / "kop"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def display(self, path: Path) -> str:
        """Path relative to the project root, with forward slashes, for messages.

        Links are not followed: a link ``overviews/a.md -> /etc/passwd`` is shown as
        ``overviews/a.md``, never as the absolute path on the build machine.
        """
        absolute = Path(os.path.abspath(path))
        for base in (Path(os.path.abspath(self.root)), self.root.resolve()):
            try:
                return absolute.relative_to(base).as_posix()
            except ValueError:
                continue
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def setting(self, name: str, default: Any) -> Any:
        return self.settings.get(name, default)


def load_project(root: Path | str = ".") -> Project:
    """Read ``mkdocs.yml``'s ``extra.kop`` settings; missing file means defaults."""
    root = Path(root).resolve()
    project = Project(root)
    if project.mkdocs_yml.exists():
        try:
            config = yaml.load(project.mkdocs_yml.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
        except yaml.YAMLError:
            config = {}
        if isinstance(config, dict):
            extra = config.get("extra") or {}
            project.settings = dict(extra.get("kop") or {}) if isinstance(extra, dict) else {}
            project.site_url = str(config.get("site_url") or "")
            project.site_name = str(config.get("site_name") or "KÖP")
    return project


def today() -> date:
    """The date validation compares against; ``KOP_TODAY`` (ISO date) overrides it in tests."""
    value = os.environ.get("KOP_TODAY")
    if value:
        return date.fromisoformat(value)
    return datetime.now(UTC).date()


def build_time() -> datetime:
    """The build's timestamp: ``SOURCE_DATE_EPOCH`` when set, so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)
