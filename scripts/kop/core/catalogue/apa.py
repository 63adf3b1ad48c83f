"""Messages: APA formatting and the Pandoc binary (KOP905–909, KOP912–919)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = (
    Message(
        "KOP905",
        "Fel version av Pandoc: {found}, men KÖP kräver Pandoc {expected} ({program}).",
        "Installera om verktygen: ta bort mappen .venv och kör 'make site', så används den Pandoc som "
        "följer med paketet pypandoc-binary. Har du satt miljövariabeln KOP_PANDOC, ta bort den eller låt "
        "den peka på Pandoc {expected}. Den tidigare webbplatsen i site/ finns kvar.",
        explanation=(
            "Referenserna formateras av programmet Pandoc. En annan version kan formatera referenserna "
            "annorlunda, så KÖP använder alltid den version som följer med projektets verktyg och vägrar "
            "bygga med någon annan. En Pandoc som råkar vara installerad på datorn används aldrig."
        ),
    ),
    Message(
        "KOP906",
        "Pandoc kunde inte startas: {problem}",
        "Installera om verktygen: ta bort mappen .venv och kör 'make site'. Har du satt miljövariabeln "
        "KOP_PANDOC, kontrollera att den pekar på ett program som finns. Den tidigare webbplatsen i site/ finns kvar.",
        explanation=(
            "Programmet Pandoc, som formaterar referenserna, saknas eller går inte att köra. Webbplatsen "
            "byggs inte, och den tidigare byggda webbplatsen finns kvar."
        ),
    ),
    Message(
        "KOP907",
        "Pandoc avslutades med fel: {problem}",
        "Kontrollera den senast ändrade posten i references.bib. Hjälper inte det, rapportera felet till "
        "förvaltarna med hela meddelandet. Den tidigare webbplatsen i site/ finns kvar.",
        explanation=(
            "Pandoc, som formaterar referenserna enligt APA 7, stannade med ett fel. Det beror nästan alltid "
            "på en ovanlig post i references.bib. Den tidigare byggda webbplatsen finns kvar."
        ),
    ),
    Message(
        "KOP908",
        "Pandoc gav ett ofullständigt resultat: {missing_entries} av {entries} referenser och "
        "{missing_clusters} av {clusters} citeringar kom inte tillbaka formaterade.",
        "Installera om verktygen: ta bort mappen .venv och kör 'make site'. Hjälper inte det, rapportera "
        "felet till förvaltarna med hela meddelandet. Den tidigare webbplatsen i site/ finns kvar.",
        explanation=(
            "Varje referens och varje citering som skickas till Pandoc ska komma tillbaka formaterad. Saknas "
            "något skulle sidorna visa tomma citeringar eller referenslistor, så bygget avbryts i stället. "
            "Den tidigare byggda webbplatsen finns kvar."
        ),
    ),
)
