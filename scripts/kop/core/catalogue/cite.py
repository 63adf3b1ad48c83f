"""Messages: Citations in the text (KOP3xx)."""

from kop.core.messages import Message

MESSAGES = (
    Message(
        "KOP301",
        "Okänd referensnyckel '@{key}'.",
        "Lägg till posten i references.bib eller rätta nyckeln.{suggestion}",
        explanation=(
            "Varje källhänvisning i texten, till exempel [@nyckel] eller @nyckel, måste "
            "motsvara en post i references.bib. Nyckeln jämförs exakt, så stora och små "
            "bokstäver måste stämma. Om nyckeln liknar en befintlig post föreslås den."
        ),
    ),
    Message(
        "KOP303",
        "Den okända referensnyckeln '@{key}' används {more} gånger till i filen.",
        "Rätta nyckeln (eller lägg till posten i references.bib); då försvinner alla förekomster på en gång.",
        explanation=(
            "När samma okända nyckel används många gånger visas bara de tio första förekomsterna "
            "med rad och kolumn, följt av det här meddelandet med antalet övriga."
        ),
    ),
    Message(
        "KOP304",
        "Filen har {more} trasiga källhänvisningar till utöver de som visas ovan.",
        "Rätta de visade felen först; ofta är det samma misstag som upprepas.",
        explanation=(
            "När en fil har väldigt många trasiga källhänvisningar visas de femtio första med rad och "
            "kolumn, följt av det här meddelandet med antalet övriga."
        ),
    ),
    Message(
        "KOP302",
        "Felaktig källhänvisning '{source}': {reason}.",
        "{advice} Skriv till exempel [@nyckel], [@nyckel, s. 33] eller [se @a; @b].",
        explanation=(
            "En hakparentes som börjar med @ men inte följer Pandocs syntax för "
            "källhänvisningar blir vanlig text i stället för en hänvisning. Vanliga orsaker "
            "är mellanslag efter @, en tom nyckel, blanksteg inom @{…}, en saknad ']' eller en "
            "del mellan semikolon som saknar @nyckel. Samma meddelande gäller hänvisningar som "
            "Pandoc läser, men inte som det var tänkt: ett citattecken eller en apostrof direkt "
            "före eller efter nyckeln (till exempel när Word har gjort om \" till ”), ett ensamt "
            "citattecken i hänvisningen, en hänvisning inne i en annan hänvisning, och en * eller _ "
            "som aldrig avslutas inom hakparentesen. Meddelandet visar var tecknet står och hur "
            "hänvisningen ska skrivas."
        ),
    ),
)
