"""Messages: Pandoc Markdown forms in citations: footnotes, spans, escapes (KOP305–319)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = (
    Message(
        "KOP305",
        "Fotnoten '{source}' skrivs direkt i texten (^[…]), och det kan webbplatsen inte visa.",
        "Skriv en vanlig fotnot: sätt [^1] där fotnoten ska stå och skriv texten på en egen rad "
        "efter stycket, till exempel [^1]: {note}",
        explanation=(
            "Pandoc kan skriva en fotnot direkt i texten med ^[…], men webbplatsen skulle då visa "
            "tecknen ^[ och ] som vanlig text. Använd i stället en vanlig fotnot: en markering som "
            "[^1] i texten och en egen rad som börjar med [^1]: följt av fotnotens text, efter "
            "stycket. Källhänvisningar som [@nyckel] fungerar som vanligt i fotnotens text. Varje "
            "fotnot behöver en egen markering: [^1], [^2] och så vidare."
        ),
    ),
    Message(
        "KOP306",
        "Formateringen '{source}' (hakparenteser följda av klamrar, som i Pandoc) kan webbplatsen inte visa.",
        "Ta bort hakparenteserna och '{attributes}' och skriv bara texten: {plain}",
        explanation=(
            "Pandoc kan ge en bit text en egen formatering med hakparenteser följda av klamrar, som "
            "[viktigt]{.markerad}, men webbplatsen skulle visa hakparenteserna och klamrarna som vanlig text. Skriv bara texten. En hänvisning "  # noqa: E501
            "inuti skrivs som vanligt: [@nyckel] inom parentes eller @nyckel i löpande text."
        ),
    ),
)
