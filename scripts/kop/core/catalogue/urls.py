"""Messages: One URL policy and control characters (KOP141–149, KOP410–419, KOP220–224)."""

from kop.core.messages import Message

_CONTROL_EXPLANATION = (
    "Styrtecken (U+0000–U+001F utom tabb och radbrytning, U+007F–U+009F, radavgränsarna U+2028 och "
    "U+2029, ensamma surrogattecken samt U+FFFE och U+FFFF) "
    "syns inte men gör webbflödet (feed.xml), kalenderfilerna och "
    "sökdata ogiltiga för läsarnas program. De kan också skrivas som escape-koder, till exempel \"\\x01\" "
    "inom citattecken i YAML; även då vägras de."
)

MESSAGES: tuple[Message, ...] = (
    Message(
        "KOP141",
        "Fältet '{field}' innehåller ett osynligt styrtecken ({codepoint}).",
        "Ta bort tecknet (eller escape-koden, till exempel \\x01, om du skrivit en sådan). Det följer ofta "
        "med när text klistras in från ett annat program; skriv om texten i fältet om du inte ser tecknet.",
        explanation=_CONTROL_EXPLANATION,
    ),
    Message(
        "KOP410",
        "Länken går till en adress som börjar med '{scheme}:', och sådana länkar är inte tillåtna.",
        "Länka med en vanlig webbadress (https://…), en e-postadress (mailto:…) eller en relativ länk "
        "till en annan sida på webbplatsen.",
        explanation="Länkar i en översikt får bara gå till webbadresser (http:// eller https://), "
        "e-postadresser (mailto:) eller sidor på webbplatsen. Adressen läses som en webbläsare läser den: "
        "versaler, inskjutna blanksteg, tabbar och HTML-entiteter ändrar inget.",
    ),
    Message(
        "KOP411",
        "Bilden eller mediefilen hämtas från en annan plats än webbplatsen ({url}).",
        "Lägg filen i docs/ (till exempel docs/bilder/) och länka till den med en relativ sökväg, "
        "till exempel `![beskrivning](../../bilder/figur.png)`.",
        explanation="Bilder, ljud och video får bara komma från webbplatsen själv. En bild från en annan "
        "server gör att varje läsares webbläsare kontaktar den servern, som då kan se vem som läser vad. "
        "Adressen läses som en webbläsare läser den: också '//server/…', '/\\server/…' och '\\/server/…' "
        "pekar på en annan server.",
    ),
    Message(
        "KOP220",
        "Fältet '{field}' i posten '{key}' har en adress som inte är tillåten: {value}",
        "Skriv en vanlig webbadress som börjar med https:// (eller http://).",
        explanation="Adresser i references.bib blir länkar i referenslistan. Bara webbadresser (http:// och "
        "https://) är tillåtna; javascript:, data: och liknande kunde köra skript hos läsaren.",
    ),
    Message(
        "KOP221",
        "DOI:n i posten '{key}' innehåller tecken som inte hör hemma i en DOI: {value}",
        "Kopiera DOI:n på nytt från artikelns sida, till exempel 10.1234/abcd.5678, utan mellanslag, "
        "citattecken eller HTML.",
        explanation="En DOI blir en länk till https://doi.org/. Mellanslag, citattecken, backsnedstreck och "
        "HTML-taggar som <script> förekommer aldrig i en riktig DOI och vägras därför.",
    ),
    Message(
        "KOP222",
        "Fältet '{field}' i posten '{key}' innehåller ett osynligt styrtecken ({codepoint}).",
        "Ta bort tecknet. Det följer ofta med när referenser kopieras från ett annat program; skriv om "
        "fältet om du inte ser tecknet i din editor.",
        explanation=_CONTROL_EXPLANATION,
    ),
)
