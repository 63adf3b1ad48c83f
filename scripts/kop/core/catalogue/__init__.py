"""The message catalogue: every message the checker and the build can produce, as data.

One module per domain, each a tuple of :class:`~kop.core.messages.Message`; this package
joins them. Nothing registers itself on import: the checker, the guide's message page and
the tests all read :data:`CATALOGUE`, so a message cannot go missing when code moves.
"""

from __future__ import annotations

from kop.core.catalogue import (
    apa,
    bib,
    bibtex,
    cite,
    features,
    fields,
    files,
    history,
    pandoc_md,
    pdf,
    safety,
    search,
    site,
    sources,
    urls,
)
from kop.core.messages import Message

_MODULES = (apa, bib, bibtex, cite, features, fields, files, history, pandoc_md, pdf, safety, search, site, sources,
            urls)


def _collect() -> dict[str, Message]:
    out: dict[str, Message] = {}
    for module in _MODULES:
        for msg in module.MESSAGES:
            if msg.code in out:
                raise ValueError(f"message code {msg.code} defined twice")
            out[msg.code] = msg
    return dict(sorted(out.items()))


CATALOGUE: dict[str, Message] = _collect()


def message(code: str) -> Message:
    """The catalogue's message for ``code``; an unknown code fails at import time, not in a user's run."""
    return CATALOGUE[code]
