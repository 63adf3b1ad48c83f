"""The typographic quotes Word, Outlook and phones type for ``"`` and ``'``, with their Swedish names.

One list for every reader that names them in a message: YAML front matter
(:mod:`kop.sources.word_quotes`) and references.bib (:mod:`kop.bib.delimiters`).
"""

from __future__ import annotations

#: Typographic quotes and what to call them in a Swedish message.
NAMES = {
    "”": "det typografiska citattecknet ”",
    "“": "det typografiska citattecknet “",
    "„": "det nedsänkta citattecknet „",
    "’": "den typografiska apostrofen ’",
    "‘": "den typografiska apostrofen ‘",
    "»": "vinkelcitattecknet »",
    "«": "vinkelcitattecknet «",
}
TYPOGRAPHIC = frozenset(NAMES)
