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
    Message(
        "KOP117",
        "Värdet för '{key}' står inom {name}, som YAML inte räknar som citattecken: tecknet skulle bli en del "
        "av värdet.",
        "Skriv raka citattecken i stället: {fixed} (eller inga citattecken alls). Ska citattecknen synas i "
        "texten: {kept}. Word och Outlook byter \" mot ” medan du skriver; skriv fälten i en textredigerare, "
        "eller stäng av Autokorrigeringens 'Raka citattecken med typografiska'.",
        explanation="YAML känner bara igen raka citattecken (\" och '). De typografiska citattecknen ” “ „ » « "
        "och apostroferna ’ ‘ som Word sätter in är vanliga tecken för YAML, så title: ”Något” ger en titel som "
        "börjar och slutar med ”. Byt dem mot raka citattecken runt värdet. Inne i en text får typografiska "
        "citattecken gärna stå kvar, till exempel title: \"Barnets ”röst” i utredningen\".",
    ),
    Message(
        "KOP118",
        "Fel i YAML-syntaxen på grund av {name} i kolumn {col}: YAML räknar det inte som ett citattecken, så "
        "texten efter det läses som YAML.",
        "Sätt raka citattecken (\") runt hela värdet, till exempel {example}. Typografiska citattecken får stå "
        "kvar inne i texten; stäng av Autokorrigeringens 'Raka citattecken med typografiska' i Word om du "
        "kopierar fält därifrån.",
        explanation="Word och Outlook byter raka citattecken mot typografiska (” “ ’ ‘ „ » «) medan du skriver. "
        "YAML känner bara igen de raka, så ett värde som title: ”Något: en studie” är inte citerat alls, och "
        "kolonet mitt i texten blir ett syntaxfel. Sätt raka citattecken runt hela värdet: "
        "title: \"Något: en studie\".",
    ),
    Message(
        "KOP180",
        "{file} ligger i en undermapp och läses aldrig: bara filer direkt i {folder}/ läses som {kind}.",
        "Flytta filen till {target}. På GitHub: öppna filen, klicka på pennan och ändra sökvägen i namnrutan "
        "överst (backsteg tar bort en mapp). I en terminal: git mv {file} {target}.",
        explanation="Bygget läser bara filer som ligger direkt i overviews/ och seminars/, inte i undermappar. "
        "Skapar du en fil på GitHub medan du står i mappen overviews/ och skriver overviews/namn.md blir sökvägen "
        "overviews/overviews/namn.md, och filen skulle annars hoppas över utan att kontrollen säger något.",
    ),
    Message(
        "KOP181",
        "{file} slutar på '{ending}' och läses aldrig: bara filer som slutar på .md (med små bokstäver) läses som "
        "{kind}.",
        "Byt namn på filen till {target}. På GitHub: öppna filen, klicka på pennan och ändra namnet i namnrutan "
        "överst. I en terminal: git mv {file} {target}.",
        explanation="Bygget läser bara filer som slutar på .md. Filer som slutar på .markdown, .md.txt (som "
        "Anteckningar i Windows gärna sparar) eller .MD med stora bokstäver skulle annars hoppas över utan att "
        "kontrollen säger något.",
    ),
    Message(
        "KOP182",
        "{file} läses aldrig ({folder}/ läser bara filer direkt i mappen som slutar på .md), och {target} finns "
        "redan.",
        "Är {file} en gammal kopia: ta bort den. Annars: för över ändringarna till {target} och ta sedan bort {file}.",
        explanation="Filen ligger på fel plats eller har fel filändelse, och på den rätta platsen finns redan en "
        "fil. Oftast är den ena en kopia av den andra; kontrollera vilken som är den senaste innan du tar bort "
        "något.",
    ),
    Message(
        "KOP183",
        "{folder}/ finns i förrådet ({files}, till exempel {example}), men den mappen skapas av bygget och "
        "ska aldrig lämnas in.",
        "Ta bort mappen ur pull requesten: i en terminal git rm -r --cached {folder} och sedan git commit; på "
        "GitHub: öppna filerna under {folder}/ och ta bort dem. Mappen står redan i .gitignore, så den kommer inte "
        "med igen.",
        explanation="build/, site/ och .cache/ skrivs av bygget (sidor, webbplatsen och mellanlager). En inlämnad "
        "kopia skulle läsas i stället för det som byggs ur dina filer, så kontrollen stoppar den innan något byggs.",
    ),
)
