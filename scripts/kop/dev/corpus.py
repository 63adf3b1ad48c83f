"""Generate deterministic benchmark corpora: overviews, references.bib, docs/ and mkdocs.yml.

SYNTHETIC BENCHMARK DATA. Everything this module writes is made up for measuring speed
and memory: the studies, authors, organisations and DOIs (all under the 10.5555 test
prefix) do not exist. It is generated into a throw-away directory (``bench-out/``,
git-ignored) and must never be committed or published; every overview is marked
``example: true`` and references.bib starts with a comment saying so.

Why a generator rather than a fixture: the benchmark needs content of the shape a
national network would reach (up to a thousand overviews and ten thousand references),
exercising every citation form, every entry type and what real Zotero/JabRef exports hold:
LaTeX escapes in names and titles (accents, ``\\&``, ``--``, protected capitals),
``@string`` macros for journals, publishers and institutions, chapters that inherit their
book through ``crossref``, and long author lists; findings in the issue-13 form
(``certainty`` or ``source_grade``). It must be byte-identical for a given seed so that runs on
different machines compare.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from kop.schema.load import vocabulary_values

REPO = Path(__file__).resolve().parents[3]
#: Written into every generated corpus. The generator only replaces a folder that has it (or an
#: empty one), and :mod:`kop.dev.scenarios` only changes such a folder: a bench scenario once ran
#: in the checkout itself and its made-up reference was committed into the example content.
MARKER = ".kop-bench-corpus"
MARKER_TEXT = "SYNTETISKT TESTMATERIAL: genererat av kop.dev.corpus, får aldrig checkas in eller publiceras.\n"


class NotACorpus(ValueError):
    """The folder is not a generated corpus (it may be real content): nothing is written there."""


def require_corpus(folder: Path) -> None:
    """Raise :class:`NotACorpus` unless ``folder`` is a generated corpus (it holds :data:`MARKER`)."""
    if not (folder / MARKER).is_file():
        raise NotACorpus(f"{folder} is not a generated benchmark corpus (no {MARKER}); refusing to change it")

#: name -> (overviews, references, (min, max) words per overview body, (min, max) citation clusters)
SCALES: dict[str, tuple[int, int, tuple[int, int], tuple[int, int]]] = {
    "small": (10, 100, (1500, 3000), (20, 60)),
    "medium": (200, 3000, (1500, 3000), (20, 60)),
    # 9,990, not 10,000: the bench's "one new reference" step adds to it, and references.bib holds at most
    # 10,000 entries (KOP423), so the large corpus stays a valid project through every step.
    "large": (1000, 9990, (1500, 3000), (20, 60)),
    # A site of medium breadth for the search browser tests (every topic several times, short texts).
    "search": (60, 200, (150, 300), (3, 8)),
}

#: Every citation form of Pandoc's syntax; the generator cycles through them so each occurs.
CITATION_FORMS = (
    "paren",  # [@a]
    "multi",  # [@a; @b]
    "prefix_locator",  # [se @a, s. 33]
    "suppress",  # [-@a]
    "in_text",  # @a
    "in_text_locator",  # @a [s. 12]
    "braced",  # [@{a}]
    "braced_in_text",  # @{a}
)
#: Characters Pandoc allows inside a key (each followed by a word character).
KEY_PUNCTUATION = ":.#$%&-+?<>~/"

_SURNAMES = [
    ("Andersson", "Andersson"), ("Johansson", "Johansson"), ("Karlsson", "Karlsson"), ("Nilsson", "Nilsson"),
    ("Eriksson", "Eriksson"), ("Larsson", "Larsson"), ("Olsson", "Olsson"), ("Persson", "Persson"),
    ("Svensson", "Svensson"), ("Gustafsson", "Gustafsson"), ("Pettersson", "Pettersson"), ("Jonsson", "Jonsson"),
    ("Öberg", "{\\\"O}berg"), ("Åkesson", "{\\AA}kesson"), ("Ängström", "{\\\"A}ngstr{\\\"o}m"),
    ("Sjöström", "Sj{\\\"o}str{\\\"o}m"), ("Björk", "Bj{\\\"o}rk"), ("Lindqvist", "Lindqvist"),
    ("Håkansson", "H{\\aa}kansson"), ("Ståhl", "St\\r{a}hl"), ("Löfgren", "L{\\\"o}fgren"),
    ("Bergström", "Bergstr{\\\"o}m"), ("Holmén", "Holm{\\'e}n"), ("Nordström", "Nordstr{\\\"o}m"),
    ("Sandén", "Sand{\\'e}n"), ("Ekström", "Ekstr{\\\"o}m"), ("Wärnå", "W{\\\"a}rn{\\aa}"),
    ("Müller", "M{\\\"u}ller"), ("García", "Garc{\\'\\i}a"), ("Dvořák", "Dvo{\\v r}{\\'a}k"),
]
# Compound Swedish surnames (Berg+ström …), with LaTeX-encoded accents in part: a real
# bibliography of thousands of works has thousands of distinct authors. A small name pool
# makes huge same-name-same-year groups, which no real bibliography has and which make
# citeproc's disambiguation superlinear (3,000 works over 30 surnames: 90 s in Pandoc).
_STEMS = [("Berg", "Berg"), ("Lind", "Lind"), ("Sjö", "Sj{\\\"o}"), ("Ek", "Ek"), ("Holm", "Holm"),
          ("Nord", "Nord"), ("Sand", "Sand"), ("Dahl", "Dahl"), ("Lund", "Lund"), ("Ström", "Str{\\\"o}m"),
          ("Åker", "{\\AA}ker"), ("Hag", "Hag"), ("Björk", "Bj{\\\"o}rk"), ("Väst", "V{\\\"a}st"),
          ("Ask", "Ask"), ("Fors", "Fors"), ("Grön", "Gr{\\\"o}n"), ("Rosen", "Rosen"), ("Sten", "Sten"),
          ("Ståhl", "St\\r{a}hl"), ("Öst", "{\\\"O}st"), ("Wall", "Wall"), ("Lil", "Lil"), ("Malm", "Malm"),
          ("Blom", "Blom")]
_ENDINGS = ["berg", "ström", "gren", "kvist", "lund", "dahl", "man", "qvist", "ling", "blad", "mark", "by",
            "näs", "sjö", "vall", "holm", "stedt", "hed", "feldt", "in"]
_SURNAMES = _SURNAMES + [
    (stem + end, latex + end.replace("ö", "{\\\"o}").replace("ä", "{\\\"a}"))
    for stem, latex in _STEMS for end in _ENDINGS if stem.lower() != end
]
_GIVEN = ["Anna", "Erik", "Maria", "Lars", "Karin", "Per", "Eva", "Johan", "Åsa", "Örjan", "Ingrid", "Mats",
          "Sofia", "Jonas", "Lena", "Björn", "Helena", "Anders", "Elin", "Magnus", "Märta", "Gösta"]
_WORDS = (  # noqa: SIM905 - a word list reads better as running text
    "och i att det som en på är för med av till den har de inte om ett vi kan men så var från ska även "
    "samverkan socialtjänsten insatser stöd barn unga äldre familjer personal verksamheten kommunen regionen "
    "forskning studier resultat metod evidens kunskap praktik brukare klienter behandling vård omsorg "
    "beroende missbruk psykiatri rehabilitering arbete försörjning placering placeringar familjehem "
    "utredning bedömning uppföljning kvalitet organisation ledning ansvar samordning förebyggande tidiga "
    "insatserna effekter erfarenheter deltagare grupper intervjuer enkäter översikten studien studierna "
    "visar tyder pekar sammantaget vidare dock däremot särskilt tydligt begränsat starkt svagt måttligt "
    "socialsekreterare handläggare professionella yrkesverksamma myndigheter samhället välfärden "
    "relationer våld skydd trygghet delaktighet inflytande självbestämmande boende hemtjänst "
    "biståndshandläggning arbetsförmedlingen försäkringskassan hälso sjukvården skolan elevhälsan "
    "utvecklingen förändringen genomförandet implementeringen förutsättningar hinder framgångsfaktorer "
    "kartläggning granskning analys urval sökning databaser artiklar rapporter avhandlingar"
).split()
_TOPICS = [
    "samverkan kring barn i familjehem", "tidiga insatser för unga med missbruk", "hemtjänst för äldre med demens",
    "arbetslivsinriktad rehabilitering efter sjukskrivning", "stöd till våldsutsatta kvinnor",
    "boendestöd inom socialpsykiatrin", "ekonomiskt bistånd och arbetsmarknadsinsatser",
    "daglig verksamhet för personer med intellektuell funktionsnedsättning", "samordnad individuell plan",
    "föräldraskapsstöd i förskolan", "anhörigstöd i äldreomsorgen", "motiverande samtal i socialtjänsten",
]
_HEADINGS = ["Bakgrund", "Syfte och frågeställning", "Metod", "Urval av studier", "Resultat",
             "Kvalitet och evidens", "Diskussion", "Slutsatser för praktiken", "Kunskapsluckor"]
_ORGS = ["Exempelkommunens socialförvaltning", "Region Exempel", "Exempelstadens äldreförvaltning",
         "Samordningsförbundet Exempel", "Exempelkommunens individ- och familjeomsorg"]
_JOURNALS = ["Socialvetenskaplig tidskrift", "Nordic Social Work Research", "Scandinavian Journal of Public Health",
             "European Journal of Social Work", "Tidskrift f{\\\"o}r praktisk socialt arbete",
             "Journal of Interprofessional Care", "International Journal of Integrated Care"]
_PUBLISHERS = ["Studentlitteratur", "Liber", "Gleerups", "Natur \\& Kultur", "Routledge", "Policy Press"]
#: @string macros, as JabRef and Zotero (Better BibTeX) write them: name -> value.
_MACROS = {"sjt": "Socialvetenskaplig tidskrift", "nswr": "Nordic Social Work Research",
           "sjph": "Scandinavian Journal of Public Health", "ejsw": "European Journal of Social Work",
           "sos": "Socialstyrelsen", "skr": "Sveriges Kommuner och Regioner", "stlitt": "Studentlitteratur",
           "nok": "Natur \\& Kultur"}
#: Title fragments with the LaTeX real exports hold (a protected acronym, an en dash, an ampersand, accents).
_TITLE_LATEX = [r": {ADHD} och {\"a}ldre -- en kartl{\"a}ggning", r" \& r{\"o}relse i f{\"o}rvaltningen",
                r": {\AA}tg{\"a}rder f{\"o}r unga i {SiS}-v{\aa}rd", r" -- Caf{\'e}samtal med br{\"u}kare",
                r": En studie om v{\"a}lf{\"a}rd och f{\"o}r{\"a}ndring"]
_SCHOOLS = ["G{\\\"o}teborgs universitet", "Lunds universitet", "Ume{\\aa} universitet", "Stockholms universitet",
            "Link{\\\"o}pings universitet", "Mälardalens universitet"]
_INSTITUTIONS = ["Socialstyrelsen", "Myndigheten f{\\\"o}r vård- och omsorgsanalys", "FoU Exempel",
                 "Sveriges Kommuner och Regioner"]
_AFFILIATIONS = ["Exempellärosätet", "Exempelkommunen", "Region Exempel"]
_DATABASES = ["PsycINFO", "Social Services Abstracts", "SwePub", "PubMed", "Scopus", "Web of Science"]


@dataclass
class CorpusStats:
    """What was generated, for the benchmark table and the tests."""

    overviews: int
    references: int
    words: int
    clusters: int
    forms: dict[str, int]


def _orcid(rng: random.Random) -> str:
    """A random ORCID with a correct ISO 7064 11-2 check digit (the validator checks it)."""
    digits = [rng.randrange(10) for _ in range(15)]
    total = 0
    for d in digits:
        total = (total + d) * 2
    check = (12 - total % 11) % 11
    chars = "".join(map(str, digits)) + ("X" if check == 10 else str(check))
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def _ascii(text: str) -> str:
    table = str.maketrans("åäöÅÄÖéüáíř", "aaoAAOeuair")
    return "".join(c for c in text.translate(table).lower() if c.isalnum())


def _sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(_WORDS, k=n)
    return words[0].capitalize() + " " + " ".join(words[1:])


class _Bib:
    """Builds references.bib: every entry type, UTF-8 and LaTeX accents, unique citable keys."""

    TYPES = ("article", "book", "incollection", "inproceedings", "phdthesis", "mastersthesis", "techreport",
             "report", "misc", "online", "inbook", "booklet", "unpublished", "manual", "proceedings",
             "collection", "thesis", "dataset", "software")

    def __init__(self, rng: random.Random, count: int) -> None:
        self.rng = rng
        self.keys: list[str] = []
        self.entries: list[str] = []
        self.parent: str | None = None  # the last @collection, which the next chapters crossref
        used: set[str] = set()
        for i in range(count):
            self.entries.append(self._entry(i, used))

    def _names(self, k: int) -> tuple[str, str]:
        """(first surname in ASCII for the key, BibTeX author list)."""
        people = [(self.rng.choice(_SURNAMES), self.rng.choice(_GIVEN)) for _ in range(k)]
        text = " and ".join(f"{(s[1] if self.rng.random() < 0.6 else s[0])}, {g}" for s, g in people)
        if 3 < k < 10 and self.rng.random() < 0.3:
            text = " and ".join(text.split(" and ")[:3]) + " and others"
        return _ascii(people[0][0][0]), text

    def _entry(self, i: int, used: set[str]) -> str:
        rng = self.rng
        etype = self.TYPES[i % len(self.TYPES)]
        crossref = None
        if i % 23 == 7:
            etype = "collection"  # a book whose chapters follow, inheriting it through crossref
        elif i % 23 in (8, 9) and self.parent:
            etype, crossref = "incollection", self.parent
        year = rng.randint(1995, 2025)
        # Long author lists (large consortia and multi-centre studies) in about one entry in 17.
        first, authors = self._names(rng.randint(12, 30) if i % 17 == 4 else rng.choice((1, 1, 2, 2, 3, 4, 6)))
        base = f"{first}{year}"
        if i % 37 == 5:  # every punctuation character Pandoc allows inside a key
            key = f"{first}:{year}" + "".join(f"{c}{chr(97 + j)}" for j, c in enumerate(KEY_PUNCTUATION[1:]))
        elif i % 11 == 3:
            key = f"{first}:{year}.{i}"
        else:
            key = base + _ascii(rng.choice(_WORDS))[:8]
        while key in used:
            key += chr(97 + rng.randrange(26))
        used.add(key)
        self.keys.append(key)
        if etype == "collection":
            self.parent = key
        title = _sentence(rng, rng.randint(5, 12))
        if i % 3 == 0:
            title += _TITLE_LATEX[(i // 3) % len(_TITLE_LATEX)]
        fields: list[tuple[str, str]] = []
        if etype not in ("proceedings", "collection", "manual"):
            fields.append(("author", authors))
        else:
            fields.append(("editor", authors))
        fields.append(("title", title))
        if crossref:
            fields += [("crossref", crossref), ("pages", f"{(p := rng.randint(1, 200))}--{p + 20}")]
        elif etype == "article" and i % 5 == 1:
            fields += [("journal", "@" + rng.choice(["sjt", "nswr", "sjph", "ejsw"])),
                       ("volume", str(rng.randint(1, 40))), ("number", str(rng.randint(1, 6)))]
        elif etype == "article":
            fields += [("journal", rng.choice(_JOURNALS)), ("volume", str(rng.randint(1, 40))),
                       ("number", str(rng.randint(1, 6))),
                       ("pages", f"{(p := rng.randint(1, 300))}--{p + rng.randint(5, 25)}")]
        elif etype in ("book", "collection") and i % 3 == 0:
            fields += [("publisher", "@" + rng.choice(["stlitt", "nok"])), ("address", "Stockholm")]
        elif etype in ("book", "proceedings", "collection", "booklet", "manual"):
            fields += [("publisher", rng.choice(_PUBLISHERS)), ("address", rng.choice(["Lund", "Stockholm", "Malmö"]))]
        elif etype in ("incollection", "inbook"):
            fields += [("booktitle", _sentence(rng, 6)), ("publisher", rng.choice(_PUBLISHERS)),
                       ("editor", self._names(2)[1]), ("pages", f"{(p := rng.randint(1, 200))}--{p + 20}")]
        elif etype == "inproceedings":
            fields += [("booktitle", "Nordiska konferensen i socialt arbete " + str(year))]
        elif etype in ("phdthesis", "mastersthesis", "thesis"):
            fields += [("school", rng.choice(_SCHOOLS))]
            if etype == "thesis":
                fields.append(("type", "phdthesis"))
        elif etype in ("techreport", "report") and i % 2:
            fields += [("institution", "@" + rng.choice(["sos", "skr"])), ("number", f"{year}:{rng.randint(1, 99)}")]
        elif etype in ("techreport", "report"):
            fields += [("institution", rng.choice(_INSTITUTIONS)), ("number", f"{year}:{rng.randint(1, 99)}")]
        elif etype in ("online", "dataset", "software"):
            fields += [("url", f"https://example.org/kop-bench/{i}"), ("urldate", f"{min(year + 1, 2025)}-05-02")]
        elif etype == "unpublished":
            fields += [("note", "Opublicerat manuskript")]
        fields.append(("year", str(year)) if i % 9 else ("date", f"{year}-{rng.randint(1, 12):02d}"))
        if i % 2 == 0:
            fields.append(("doi", rng.choice(("10.5555/kop-bench.{}", "doi:10.5555/kop-bench.{}",
                                              "https://doi.org/10.5555/kop-bench.{}")).format(i)))
        if i % 4 == 0:
            fields.append(("langid", "swedish"))
        if i % 13 == 0:
            fields.append(("abstract", " ".join(_sentence(rng, 14) + "." for _ in range(4))))
        body = ",\n".join(f"  {name} = {value[1:]}" if value.startswith("@") else f"  {name} = {{{value}}}"
                           for name, value in fields)  # "@name": a bare @string macro
        return f"@{etype}{{{key},\n{body}\n}}\n"

    def text(self) -> str:
        head = ("% SYNTHETIC BENCHMARK DATA generated by scripts/kop/corpus.py (kop bench).\n"
                "% Fictitious works under the 10.5555 test DOI prefix; never commit or publish.\n\n")
        macros = "".join(f'@string{{{name} = "{value}"}}\n' for name, value in _MACROS.items())
        return head + macros + "\n" + "\n".join(self.entries)


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _cite(form: str, keys: list[str], rng: random.Random) -> str:
    a = keys[0]
    if form == "paren":
        return f"[@{a}]"
    if form == "multi":
        return "[" + "; ".join(f"@{k}" for k in keys) + "]"
    if form == "prefix_locator":
        return f"[se @{a}, s. {rng.randint(2, 300)}]"
    if form == "suppress":
        return f"[-@{a}]"
    if form == "in_text":
        return f"@{a}"
    if form == "in_text_locator":
        return f"@{a} [s. {rng.randint(2, 300)}]"
    if form == "braced":
        return f"[@{{{a}}}]"
    return f"@{{{a}}}"


class _Overviews:
    def __init__(self, rng: random.Random, count: int, keys: list[str], words: tuple[int, int],
                 clusters: tuple[int, int]) -> None:
        self.rng = rng
        self.count = count
        self.keys = keys
        self.words = words
        self.clusters = clusters
        self.forms = dict.fromkeys(CITATION_FORMS, 0)
        self.total_words = 0
        self.total_clusters = 0
        # Every reference is cited at least once (no unused-entry warnings), then at random.
        order = list(keys)
        rng.shuffle(order)
        self._queue = order
        self._form_index = 0
        years = list(range(2018, 2026))
        self.ids = [f"kop-{years[i % len(years)]}-{i // len(years) + 1:03d}" for i in range(count)]
        self.areas = vocabulary_values("areas")
        self.methods = vocabulary_values("methods")
        self.statuses = vocabulary_values("statuses")
        self.roles = vocabulary_values("roles")
        self.question_roles = vocabulary_values("question_roles")
        self.certainty = vocabulary_values("certainty")
        self.licenses = vocabulary_values("licenses")

    def _key(self) -> str:
        if self._queue:
            return self._queue.pop()
        return self.rng.choice(self.keys)

    def _citation(self) -> str:
        form = CITATION_FORMS[self._form_index % len(CITATION_FORMS)]
        self._form_index += 1
        self.forms[form] += 1
        self.total_clusters += 1
        keys = [self._key() for _ in range(self.rng.randint(2, 3) if form == "multi" else 1)]
        return _cite(form, keys, self.rng)

    def _body(self, n_words: int, n_clusters: int) -> str:
        rng = self.rng
        # Sentences of 8-20 words; citations attached to randomly chosen sentences.
        sentences: list[str] = []
        remaining = n_words
        while remaining > 0:
            k = min(remaining, rng.randint(8, 20))
            sentences.append(_sentence(rng, k))
            remaining -= k
        cited = set(rng.sample(range(len(sentences)), min(n_clusters, len(sentences))))
        parts: list[str] = []
        paragraph: list[str] = []
        heading_every = max(1, len(sentences) // len(_HEADINGS))
        for i, sentence in enumerate(sentences):
            if i % heading_every == 0 and i // heading_every < len(_HEADINGS):
                if paragraph:
                    parts.append(" ".join(paragraph))
                    paragraph = []
                parts.append(f"## {_HEADINGS[i // heading_every]}")
            if i in cited:
                cite = self._citation()
                if cite.startswith("@"):  # author-in-text forms start the sentence
                    sentence = cite + " " + sentence[0].lower() + sentence[1:]
                else:
                    sentence = sentence + " " + cite
            paragraph.append(sentence + ".")
            if len(paragraph) >= rng.randint(4, 7):
                parts.append(" ".join(paragraph))
                paragraph = []
        if paragraph:
            parts.append(" ".join(paragraph))
        # Never-a-citation cases an author writes: an e-mail address, an escaped @ and code.
        parts.append("Frågor om översikten skickas till kop-bench@example.org. Skriv \\@ för ett snabel-a, "
                     "och `@inte_en_nyckel` i kod är ingen källhänvisning.")
        return "\n\n".join(parts) + "\n"

    def overview(self, i: int) -> tuple[str, str]:
        rng = self.rng
        topic = _TOPICS[i % len(_TOPICS)]
        title = f"Syntetisk översikt {i + 1}: {topic}"
        slug = f"syntetisk-oversikt-{i + 1:04d}"
        status = "utkast" if i % 20 == 7 else rng.choice(self.statuses[1:])
        year = int(self.ids[i].split("-")[1])
        published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines = [
            "---",
            "# SYNTHETIC BENCHMARK DATA (scripts/kop/corpus.py); not a real overview, never commit.",
            f"id: {self.ids[i]}",
            f"title: {_yaml_str(title)}",
            "example: true",
            f"question: {_yaml_str('Vad vet vi om ' + topic + ' och vad betyder det för praktiken?')}",
            "question_from:",
        ]
        for _ in range(rng.randint(1, 3)):
            lines += [f"  - organisation: {_yaml_str(rng.choice(_ORGS))}",
                      f"    role: {rng.choice(self.question_roles)}"]
        lines.append("summary: >-")
        summary = " ".join(_sentence(rng, rng.randint(8, 14)) + "." for _ in range(rng.randint(5, 9)))
        lines += ["  " + summary]
        lines.append("authors:")
        for _ in range(rng.randint(1, 4)):
            surname = rng.choice(_SURNAMES)[0]
            lines += [f"  - name: {_yaml_str(rng.choice(_GIVEN) + ' ' + surname)}",
                      f"    affiliation: {_yaml_str(rng.choice(_AFFILIATIONS))}",
                      f"    role: {rng.choice(self.roles)}"]
            if rng.random() < 0.5:
                lines.append(f"    orcid: {_orcid(rng)}")
        lines.append("area:")
        lines += [f"  - {a}" for a in rng.sample(self.areas, rng.randint(1, 3))]
        lines.append("keywords:")
        lines += [f"  - {w}" for w in rng.sample([w for w in _WORDS if len(w) > 6], 5)]
        lines += ["synonyms:", f"  - {rng.choice(_WORDS[40:])}"]
        lines.append(f"status: {status}")
        if status != "utkast":
            lines += [f'published: "{published}"', f'updated: "{published}"', f'version: "1.{rng.randint(0, 9)}"']
        lines.append(f"method: {rng.choice(self.methods)}")
        identified = rng.randint(300, 3000)
        dup = rng.randint(10, 200)
        screened = identified - dup
        scr_ex = rng.randint(screened // 2, screened - 40)
        ft = screened - scr_ex
        ft_ex = rng.randint(0, ft - 5)
        lines += [
            "search:",
            "  databases: [" + ", ".join(rng.sample(_DATABASES, 3)) + "]",
            f'  date: "{year - 1}-{rng.randint(1, 12):02d}-15"',
            f"  period: {{from: {year - 20}, to: {year - 1}}}",
            f"  terms: {_yaml_str(topic + ' AND (socialtjänst OR social work)')}",
            "prisma:",
            f"  identified: {identified}",
            f"  duplicates_removed: {dup}",
            f"  screened: {screened}",
            f"  screened_excluded: {scr_ex}",
            f"  full_text_assessed: {ft}",
            f"  full_text_excluded: {ft_ex}",
            f"  included: {ft - ft_ex}",
            "findings:",
        ]
        for j in range(rng.randint(2, 6)):
            cited = [self.rng.choice(self.keys) for _ in range(rng.randint(1, 3))]
            lines += [f"  - statement: {_yaml_str(_sentence(rng, rng.randint(8, 16)) + '.')}",
                      f"    references: [{', '.join(_flow_key(k) for k in cited)}]"]
            if j % 3 != 2:  # KÖP's own assessment (issue 13)
                lines += ["    certainty:", f"      level: {rng.choice(self.certainty)}",
                          f"      assessed_by: {_yaml_str('Översiktens författare (två oberoende bedömare)')}"]
                if rng.random() < 0.5:
                    lines.append(f"      motivation: {_yaml_str(_sentence(rng, rng.randint(6, 12)) + '.')}")
            if j % 3 != 0:  # a grade a cited source reports itself
                lines += ["    source_grade:", f"      grade: {rng.choice(['Stark', 'Måttlig', 'Begränsad'])}",
                          f"      source: {_flow_key(cited[0])}",
                          f"      scale: {_yaml_str('Källans tregradiga skala: stark, måttlig, begränsad.')}"]
            lines += [f"    studies: {rng.randint(1, 40)}", f"    participants: {rng.randint(20, 5000)}",
                      "    designs: [" + ", ".join(rng.sample(["enkätstudie", "intervjustudie", "registerstudie",
                                                             "randomiserad studie"], 2)) + "]"]
        if i > 0 and rng.random() < 0.3:
            lines += ["related:", f"  - {self.ids[rng.randrange(i)]}"]
        if rng.random() < 0.2:
            lines.append(f"article: {_flow_key(rng.choice(self.keys))}")
        lines.append(f"license: {rng.choice(self.licenses)}")
        lines.append("---")
        n_words = rng.randint(*self.words)
        self.total_words += n_words
        body = self._body(n_words, rng.randint(*self.clusters))
        return slug, "\n".join(lines) + "\n\n" + body


def _flow_key(key: str) -> str:
    """A key as a YAML flow-sequence item: quoted when it holds characters YAML would misread."""
    return _yaml_str(key) if any(c in key for c in ":#&?<>%$~,[]{}") else key


def generate(target: Path, scale: str = "small", seed: int = 1) -> CorpusStats:
    """Write a complete content tree for ``scale`` into ``target`` (replacing earlier generated content)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose from {', '.join(SCALES)}")
    n_overviews, n_refs, words, clusters = SCALES[scale]
    rng = random.Random(f"kop-bench-{seed}-{scale}")
    if target.resolve() == REPO or (target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file()):
        raise NotACorpus(f"{target} holds content that was not generated here (no {MARKER}); "
                         "give an empty or new folder")
    target.mkdir(parents=True, exist_ok=True)
    (target / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    bib = _Bib(rng, n_refs)
    (target / "references.bib").write_text(bib.text(), encoding="utf-8")
    ovs = _Overviews(rng, n_overviews, bib.keys, words, clusters)
    out = target / "overviews"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    for i in range(n_overviews):
        slug, text = ovs.overview(i)
        (out / f"{slug}.md").write_text(text, encoding="utf-8")
    docs = target / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(REPO / "docs", docs)
    shutil.copyfile(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return CorpusStats(n_overviews, n_refs, ovs.total_words, ovs.total_clusters, ovs.forms)
