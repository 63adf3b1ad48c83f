"""Messages: Reading files and front matter (KOP0xx/KOP1xx from the reader)."""

from kop.core.messages import Message

MESSAGES = (
    Message(
        "KOP101",
        "Filen är inte sparad som UTF-8 (ogiltig byte på rad {bad_line}).",
        "Spara filen som UTF-8 i din editor (i VS Code: klicka på teckenkodningen nere till höger och välj "
        "'Save with Encoding' → UTF-8).",
        explanation="Alla filer ska vara sparade med teckenkodningen UTF-8 så att å, ä och ö blir rätt. "
        "Filer från äldre program kan vara sparade som Latin-1 eller Windows-1252.",
    ),
    Message(
        "KOP102",
        "Filen är för stor ({size} byte, högst {limit} byte).",
        "Dela upp texten eller ta bort inklistrat material som inte hör hemma i översikten.",
        explanation="En översikt får vara högst 1 MB och dess front matter högst 64 kB. Gränsen skyddar "
        "bygget mot filer som av misstag eller med avsikt är orimligt stora.",
    ),
    Message(
        "KOP103",
        "Filen börjar inte med front matter (en rad med bara ---).",
        "Börja filen med en rad '---', sedan fälten (id, title, …) och sedan en rad '---' igen. "
        "Utgå gärna från mallen overviews/_mall.md.",
        explanation="Varje översikt börjar med ett block av fält i YAML-format mellan två rader med tre "
        "bindestreck. Utan det vet bygget inte vad översikten heter eller vem som skrivit den.",
    ),
    Message(
        "KOP104",
        "Front matter avslutas aldrig: raden '---' efter fälten saknas.",
        "Lägg till en rad med bara '---' efter det sista fältet, före brödtexten.",
        explanation="Blocket med fält måste avslutas med en rad med tre bindestreck. Annars tolkas hela "
        "filen som fält.",
    ),
    Message(
        "KOP105",
        "Fel i YAML-syntaxen: {problem}.",
        "Kontrollera indrag (använd mellanslag, inte tab), kolon efter fältnamnet och citattecken som "
        "öppnas och stängs. Text med kolon (:) eller # bör stå inom citattecken.",
        explanation="Front matter skrivs i YAML. Vanliga fel är tabbar i stället för mellanslag, ett "
        "citattecken som aldrig stängs, eller ett kolon i en text som inte står inom citattecken.",
    ),
    Message(
        "KOP106",
        "Fältet '{key}' förekommer två gånger (första gången på rad {first}).",
        "Ta bort eller slå ihop den ena förekomsten.",
        explanation="Varje fält får bara finnas en gång på samma nivå. Annars är det oklart vilket värde "
        "som gäller.",
    ),
    Message(
        "KOP107",
        "Front matter ska vara en lista av fält (namn: värde), inte {kind}.",
        "Skriv varje fält på en egen rad som 'title: Min titel'.",
        explanation="Front matter måste bestå av fältnamn följda av kolon och värde.",
    ),
    Message(
        "KOP108",
        "YAML-funktionen {feature} är inte tillåten i front matter.",
        "Skriv värdet direkt i stället. Ankare (&), alias (*) och taggar (!!) behövs aldrig i en översikt.",
        explanation="Av säkerhetsskäl tillåts inte YAML-taggar (till exempel !!python/object), ankare och "
        "alias. De behövs aldrig för att beskriva en översikt.",
    ),
    Message(
        "KOP109",
        "Front matter är för djupt nästlad eller för stor (högst {depth} nivåer och {nodes} värden).",
        "Förenkla strukturen; se fältreferensen i bidragsguiden.",
        explanation="Gränser för nästling och antal värden skyddar bygget mot konstruerade YAML-filer "
        "som annars kunde ta mycket minne eller tid.",
    ),
)
