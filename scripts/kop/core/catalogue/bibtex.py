"""Messages: BibTeX as biber reads it: crossref, comments, lenient APA rules (KOP225–239)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = (
    Message(
        "KOP225",
        "Posten '{key}' hänvisar med crossref till '{parent}', men någon sådan post finns inte.{suggestion}",
        "Lägg till posten '{parent}' (oftast boken eller antologin som kapitlet ingår i), eller rätta nyckeln "
        "i crossref = {{…}}.",
        explanation=(
            "Med crossref hämtar en post de fält den saknar från en annan post, till exempel hämtar ett kapitel "
            "bokens titel, förlag och år. Här finns inte posten som crossref pekar på, så kapitlet blir "
            "ofullständigt. Nycklar skiljer på stora och små bokstäver."
        ),
    ),
    Message(
        "KOP226",
        "Posten '{key}' hänvisar med xdata till '{parent}', men någon sådan @xdata-post finns inte.{suggestion}",
        "Lägg till @xdata{{{parent}, …}} med de gemensamma fälten, eller rätta nyckeln i xdata = {{…}}.",
        explanation=(
            "Med xdata hämtar en post gemensamma fält, till exempel förlag och ort, från en @xdata-post. "
            "Här finns inte posten som xdata pekar på, så fälten saknas i referensen."
        ),
    ),
    Message(
        "KOP227",
        "Posten '{key}' ärver fält i en cirkel: {chain}.",
        "Ta bort crossref eller xdata i en av posterna, så att ingen post ärver från sig själv.",
        explanation=(
            "Poster som hänvisar till varandra med crossref eller xdata får inte bilda en cirkel, eftersom "
            "det då inte går att veta vilka fält som gäller. Fälten ärvs inte förrän cirkeln är bruten."
        ),
    ),
    Message(
        "KOP228",
        "Nyckeln '{key}' skiljer sig bara i stora och små bokstäver från '{other}' på rad {first_line}.",
        "Ge posterna nycklar som skiljer sig tydligare, eller ta bort den ena om de är samma verk.",
        severity="warning",
        explanation=(
            "En citering måste skriva nyckeln med exakt samma stora och små bokstäver som i references.bib. "
            "Två nycklar som bara skiljer sig där är lätta att blanda ihop och är ofta samma verk två gånger."
        ),
    ),
    Message(
        "KOP229",
        "Fältet '{field}' i posten '{key}' har värdet '{value}', som inte är ett giltigt datum.",
        "Skriv datumet då du läste sidan som ÅÅÅÅ-MM-DD, t.ex. urldate = {{2024-03-01}}, eller ta bort fältet.",
        severity="warning",
        explanation=(
            "urldate anger när en webbsida lästes. Ett datum som inte finns, till exempel 2024-02-30, "
            "visas inte, så referensen saknar då uppgiften om när sidan hämtades."
        ),
    ),
    Message(
        "KOP230",
        "Månaden '{value}' i posten '{key}' är inte definierad och hoppas över.",
        "Skriv månaden som en siffra, t.ex. month = {{3}}, eller som en förkortning utan klamrar, t.ex. month = mar.",
        severity="warning",
        explanation=(
            "Ett ord utan klamrar i fältet month tolkas som en förkortning (jan, feb, mar …) eller som namnet "
            "på en @string-definition. Det här ordet är inget av dem, så referensen visas utan månad."
        ),
    ),
    Message(
        "KOP231",
        "Posten på rad {row} kunde inte läsas: {reason}. Den innehåller {keys}.",
        "Rätta posten: varje {{ ska ha en }}, fälten skiljs åt med kommatecken och posten slutar med }} före nästa "
        "@. Exportera den gärna på nytt från Zotero. Hänvisningar till '{first}' fungerar igen när posten kan läsas.",
        explanation=(
            "En post i references.bib har ett syntaxfel, oftast en klammer }} som saknas. Allt från postens början "
            "till nästa post som kan läsas hoppas över, så nycklarna som står där finns inte för bygget; "
            "hänvisningar till dem rapporteras ändå inte som okända nycklar, eftersom felet är posten. "
            "Radnumret pekar på postens början, och felet finns oftast i ett av de sista fälten före nästa @."
        ),
    ),
    Message(
        "KOP232",
        "Titeln i posten '{key}' verkar vara skriven med stor bokstav i varje ord (Title Case). APA 7 skriver "
        "engelska titlar i referenslistan med stor bokstav bara i första ordet, efter kolon och i namn.",
        "Skriv till exempel title = {{{suggestion}}}. Sätt klamrar runt namn och förkortningar som ska behålla "
        "stor bokstav, som {{Sweden}}. Zotero exporterar titeln som den står i Zotero: rätta den där, till exempel "
        "med högerklick på titeln → Skiftläge → Meningsskiftläge (Sentence case), och exportera igen.",
        severity="warning",
        explanation=(
            "Zotero hämtar ofta engelska titlar skrivna med stor bokstav i varje ord (Title Case), och exporten "
            "behåller dem så. APA 7 vill ha meningsskiftläge: stor bokstav bara i första ordet, i första ordet "
            "efter kolon och i namn. Förslaget i meddelandet ändrar inte ord inom klamrar ({{Sweden}}), "
            "förkortningar (ADHD) eller ord med stor bokstav inuti (McDonald), men det kan inte veta vilka andra "
            "ord som är namn: kontrollera förslaget och sätt klamrar runt namnen (varningen gäller poster med "
            "langid eller language = english, och poster utan språk vars titel ser engelsk ut)."
        ),
    ),
    Message(
        "KOP233",
        "Posten '{key}' har ett file-fält med en sökväg på din dator.{more}",
        "Fälten publiceras aldrig och hoppas över, men references.bib är offentlig: ta bort dem. Stäng av export av "
        "filsökvägar i Zotero: i Better BibTeX under Inställningar → Better BibTeX → Export → Fält (ta med "
        "'file' i 'Fält att utelämna'), eller bocka ur 'Exportera filer' när du exporterar.",
        severity="warning",
        explanation=(
            "Zotero och Better BibTeX skriver in var bilagorna (PDF-filerna) ligger på din dator, till exempel "
            "file = {{C:\\Users\\namn\\Zotero\\storage\\…}}. Sökvägen kan visa ditt användarnamn och dina "
            "mappar, och references.bib är offentlig i förrådet. Bygget tar aldrig med file-fält i något den "
            "publicerar (referenslistor, CSL-JSON, BibTeX-filer), men de ska inte heller ligga i förrådet."
        ),
    ),
)
