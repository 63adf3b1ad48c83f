"""HTML escaping: every value from a contributor reaches HTML through :func:`esc`."""

from __future__ import annotations

import html
from typing import Any


def esc(value: Any) -> str:
    """Escape any value for HTML text and attribute context."""
    return html.escape("" if value is None else str(value), quote=True)
