"""The legend page ``evidensstyrka/``: what each level of evidence strength means, in plain Swedish.

Generated from the ``certainty`` vocabulary (one source of truth: the badges, the evidence
map and this page all read it), with one anchor per level (``#hog`` …) that every badge
links to, and ``#enligt-kallan`` for grades a cited source reports itself.
"""

from __future__ import annotations

from kop.core.html import esc
from kop.render.fragments import block
from kop.render.marks import SOURCE_GRADE_ANCHOR, certainty_levels, level_anchor

PAGE_PATH = "evidensstyrka.md"
ADDRESS = "evidensstyrka/"
TITLE = "Evidensstyrka"

INTRO = (
    "Varje slutsats i en kunskapsöversikt har en evidensstyrka: hur säkra översiktens författare är på att "
    "slutsatsen stämmer, efter att ha vägt samman hur många studier som finns, hur bra de är och hur väl deras "
    "resultat stämmer överens. Skalan har fyra nivåer och liknar den som SBU och Cochrane använder (GRADE). "
    "Vid varje slutsats står också vem som har gjort bedömningen."
)
SOURCE_GRADE = (
    "Ibland återger en översikt en gradering som en källa själv har gjort, till exempel en rapport eller en "
    "presentation som delar in sina resultat i stark, medel och svag. Då står det <strong>Enligt källan</strong> "
    "vid slutsatsen, följt av källans egen gradering, en hänvisning till källan och källans egen skala. En sådan "
    "gradering är inte KÖP:s bedömning och jämförs inte med skalan ovan. Den räknas därför inte som "
    "evidensstyrka, och den visas inte i evidenskartans tabell eller filter."
)


def legend_page() -> str:
    """The whole page as Markdown with one generated block."""
    levels = "".join(
        f'<div class="kop-legend__level" id="{esc(level_anchor(item["value"]))}">'
        f'<dt><span class="kop-certainty kop-certainty--{esc(level_anchor(item["value"]))}">'
        f'<span class="kop-certainty__symbol" aria-hidden="true">{esc(item.get("symbol", ""))}</span> '
        f'{esc(item.get("label", item["value"]))}</span></dt>'
        f'<dd>{esc(item.get("description", ""))}</dd></div>'
        for item in certainty_levels()
    )
    body = (
        '<div class="kop-legend">'
        f"<p>{esc(INTRO)}</p>"
        '<h2 id="nivaer">De fyra nivåerna</h2>'
        f'<dl class="kop-legend__levels">{levels}</dl>'
        '<p>Symbolerna ⊕ och ◯ upprepar bara nivån: fler fyllda cirklar betyder säkrare resultat.</p>'
        f'<h2 id="{SOURCE_GRADE_ANCHOR}">Enligt källan</h2>'
        f"<p>{SOURCE_GRADE}</p>"
        '<h2 id="mer">Var används skalan?</h2>'
        '<p>Evidensstyrkan står vid varje slutsats i översikternas tabell <em>Resultat i korthet</em>, och '
        '<a href="../evidenskarta/">evidenskartan</a> räknar slutsatserna per område och nivå.</p>'
        "</div>"
    )
    return f"---\ntitle: {TITLE}\n---\n\n# {TITLE}\n" + block(body)
