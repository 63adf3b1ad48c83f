"""Silence a library's loggers for the duration of a call.

bibtexparser logs every syntax error it meets and pylatexenc logs its recoveries. The
loader reports those problems itself as diagnostics, so the libraries' own log lines
would only show up as stray stderr noise for the author; this context manager turns
them off while bib/ calls into the library and restores them afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet(prefix: str) -> Iterator[None]:
    """Disable the logger ``prefix`` and its children; restore their previous state on exit."""
    names = [prefix, *(name for name in logging.root.manager.loggerDict if name.startswith(prefix + "."))]
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, was_disabled in zip(loggers, previous, strict=True):
            logger.disabled = was_disabled
