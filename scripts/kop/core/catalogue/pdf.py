"""Messages: the PDF of each overview (KOP520–529)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = (
    Message(
        "KOP520",
        "PDF-filen för översikten kunde inte skapas: {problem}",
        "Översiktens sida publiceras utan PDF. Kontrollera det du senast ändrade i översikten (tabeller, länkar, "
        "ovanliga tecken) och bygg igen. Hjälper inte det, rapportera felet till förvaltarna med hela meddelandet.",
        explanation=(
            "Varje publicerad översikt får en PDF-fil (A4) som kan skrivas ut och tas med till ett möte. Filen "
            "sätts med Typst utifrån samma text och referenser som sidan. Går det inte för en översikt publiceras "
            "sidan ändå, men utan länk till PDF-filen, och bygget rapporterar felet."
        ),
    ),
    Message(
        "KOP521",
        "PDF-filerna kunde inte skapas: {problem}",
        "Installera om verktygen: ta bort mappen .venv och kör 'make site' (Typst kommer från paketet typst, "
        "Pandoc från pypandoc-binary). Webbplatsen byggs utan PDF-filer tills felet är åtgärdat.",
        explanation=(
            "PDF-filerna skapas av Pandoc och Typst, som följer med projektets verktyg. Saknas något av dem eller "
            "går det inte att köra, byggs webbplatsen utan PDF-filer och bygget rapporterar felet."
        ),
    ),
    Message(
        "KOP522",
        "Översikten är för lång för en PDF-fil ({chars} tecken och {citations} källhänvisningar; gränsen är "
        "{max_chars} tecken och {max_citations} hänvisningar). Sidan publiceras utan PDF.",
        "Dela upp översikten eller korta texten, till exempel genom att flytta bilagor till en egen sida.",
        severity="warning",
        explanation=(
            "Att sätta en PDF tar längre tid ju längre texten är. En översikt som är mycket längre än en vanlig "
            "får därför ingen PDF-fil, så att bygget aldrig tar orimligt lång tid. Sidan publiceras som vanligt."
        ),
    ),
)
