"""Messages: The build (KOP9xx)."""

from kop.core.messages import Message

MESSAGES = (
    Message(
        "KOP901",
        "Webbplatsen kunde inte byggas: {problem}",
        "Läs meddelandet ovan. Gäller det en sida i docs/, rätta länken eller texten där.",
        explanation="Själva webbplatsbygget (MkDocs) stoppade, till exempel för en trasig länk i docs/. "
        "Källfilerna är orörda och den tidigare byggda webbplatsen finns kvar.",
    ),
    Message(
        "KOP902",
        "Referenserna kunde inte formateras: {problem}",
        "Kontrollera den senast ändrade posten i references.bib.",
        explanation="Formateringen av referenser enligt APA 7 misslyckades. Det beror nästan alltid på en "
        "ovanlig post i references.bib.",
    ),
    Message(
        "KOP904",
        "Sidorna kunde inte skapas: {problem}",
        "Kör 'make check' för att se om något i innehållet är fel. Hjälper inte det, rapportera felet till "
        "förvaltarna med hela meddelandet.",
        explanation="Ett oväntat fel uppstod när sidorna skapades. Den tidigare byggda webbplatsen finns kvar "
        "och inga källfiler har ändrats.",
    ),
    Message(
        "KOP903",
        "Webbplatsens inställningsfil mkdocs.yml saknas i {root}.",
        "Kör kommandot i projektets rotkatalog (där overviews/ och mkdocs.yml finns), eller ange den med --root.",
        explanation="Bygget behöver mkdocs.yml med webbplatsens namn, meny och tema. Oftast står man i fel "
        "katalog när kommandot körs.",
    ),
    Message(
        "KOP910",
        "Okänd webbplatsmotor '{name}' (angiven i {source}).{suggestion}",
        "Ange en av motorerna {choices} i {source}, eller ta bort inställningen för att använda "
        "standardmotorn MkDocs.",
        explanation="Webbplatsen byggs av en webbplatsmotor: MkDocs som standard, eller ProperDocs, som "
        "fortsätter MkDocs 1.x och ger samma webbplats. Motorn väljs med miljövariabeln KOP_ENGINE eller "
        "med extra.kop.engine i mkdocs.yml; miljövariabeln gäller före inställningsfilen. Inget byggdes och "
        "den tidigare byggda webbplatsen finns kvar.",
    ),
    Message(
        "KOP911",
        "Webbplatsmotorn '{name}' (angiven i {source}) är inte installerad.",
        "Installera projektets paket med 'make' (eller '.venv/bin/pip install -r requirements.lock'), "
        "eller välj en installerad motor i {source}.",
        explanation="Den valda webbplatsmotorn finns inte i projektets Python-miljö. Båda motorerna, MkDocs "
        "och ProperDocs, finns i requirements.lock. Inget byggdes och den tidigare byggda webbplatsen finns "
        "kvar.",
    ),
    Message(
        "KOP950",
        "Ett annat bygge pågår fortfarande i den här katalogen (väntade {seconds} s).",
        "Vänta tills det andra bygget (till exempel make serve eller make site i ett annat fönster) är "
        "klart, eller avsluta det, och försök igen.",
        explanation="Bara ett bygge i taget får skriva till build/ och site/ i samma katalog; annars kunde "
        "två byggen blanda ihop sina sidor. Ett andra bygge väntar därför på det första och ger upp med det "
        "här meddelandet om det dröjer för länge.",
    ),
    Message(
        "KOP616",
        "En förhandsvisning får aldrig publiceras (KOP_PUBLISH=1 och --forhandsvisning).",
        "Bygg för publicering med 'kop build --publicera' utan --forhandsvisning. Förhandsvisningen är bara till "
        "för pull requests.",
        explanation="En förhandsvisning byggs även när kontrollen hittar fel, med röda rutor på sidorna som har "
        "fel. Den är till för att granska en pull request och får aldrig bli den publicerade webbplatsen, så "
        "bygget vägrar när publiceringsflaggan KOP_PUBLISH=1 är satt.",
    ),
    Message(
        "KOP617",
        "Visas inte i förhandsvisningen: {reason}.",
        "Rätta problemen som står för filen nedan; sedan visas sidan i nästa förhandsvisning.",
        explanation="Förhandsvisningen av en pull request byggs även när kontrollen hittar fel. Det som "
        "säkerhetskontrollen stoppar (till exempel skript eller farliga länkar) tas ändå aldrig med, och inte "
        "heller en sida vars fält inte går att läsa; sådana filer listas på sidan Förhandsvisning med skälet.",
    ),
)
