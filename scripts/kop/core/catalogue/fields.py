"""Messages: Front-matter fields and rules across files (KOP1xx)."""

from kop.core.messages import Message

# Placeholder text that make ny writes into required fields (kop.check.placeholders looks for it).
PLACEHOLDER_MARKER = "ERSÄTT"
MARKER = PLACEHOLDER_MARKER

MESSAGES = (
    Message(
        "KOP110",
        "Det obligatoriska fältet '{field}' saknas.",
        "Lägg till '{field}:' i front matter. Se fältreferensen i bidragsguiden för vad fältet ska innehålla.",
        explanation="Vissa fält måste finnas i varje översikt, till exempel id, title, question och authors. "
        "Fältreferensen i bidragsguiden visar vilka som är obligatoriska.",
    ),
    Message(
        "KOP111",
        "Okänt fält '{field}'.{suggestion}",
        "Rätta stavningen eller ta bort fältet. Tillåtna fält här: {allowed}.",
        explanation="Fältet finns inte i schemat. Oftast är det ett stavfel (till exempel 'titel' i stället för "
        "'title'); fältnamnen är på engelska.",
    ),
    Message(
        "KOP112",
        "Fältet '{field}' ska vara {expected}, men är {actual}.",
        "{example}",
        explanation="Fältet har fel sorts värde, till exempel en enskild text där det ska vara en lista. "
        "En lista skrivs med ett bindestreck först på varje rad.",
    ),
    Message(
        "KOP113",
        "'{value}' är inte ett tillåtet värde för '{field}'.{suggestion}",
        "Välj ett av: {allowed}.",
        explanation="Fältet tar bara värden från en kontrollerad lista (till exempel område, metod, status och "
        "evidensstyrka). Listorna står i scripts/kop/schema/vocabularies.yml; nya värden läggs till där.",
    ),
    Message(
        "KOP114",
        "Fältet '{field}' har fel format: '{value}'.",
        "Skriv det som {expected}.",
        explanation="Värdet följer inte det format fältet kräver, till exempel id (kop-ÅÅÅÅ-NNN), datum "
        "(ÅÅÅÅ-MM-DD) eller ORCID (NNNN-NNNN-NNNN-NNNN).",
    ),
    Message(
        "KOP115",
        "Fältet '{field}' {problem}.",
        "{fix}",
        explanation="Värdet är för kort eller för långt, eller listan har för få eller för många delar.",
    ),
    Message(
        "KOP116",
        "Datumet '{value}' i '{field}' finns inte.",
        "Skriv datumet som ÅÅÅÅ-MM-DD inom citattecken, till exempel \"2024-03-15\".",
        explanation="Datum skrivs som år-månad-dag, till exempel \"2024-03-15\", och måste vara ett datum som finns.",
    ),
    Message(
        "KOP119",
        "Fältet '{field}' är ogiltigt: {problem}.",
        "Se fältreferensen i bidragsguiden.",
        explanation="Ett annat fel mot schemat. Meddelandet säger vad som är fel.",
    ),
    Message(
        "KOP120",
        "Filnamnet '{name}' är inte ett giltigt kortnamn (slug).",
        "Döp om filen till '{suggestion}.md': små bokstäver a–z, siffror och bindestreck (å/ä blir a, ö blir o).",
        explanation="Filnamnet blir en del av webbadressen. Det får bara innehålla små bokstäver a–z, siffror och "
        "bindestreck.",
    ),
    Message(
        "KOP121",
        "Id '{id}' används redan av {other}.",
        "Ge översikten ett eget id. Nästa lediga id för året är {next_id}.",
        explanation="Varje översikt har ett eget permanent id som aldrig återanvänds. Två filer med samma id "
        "skulle göra den permanenta länken tvetydig.",
    ),
    Message(
        "KOP122",
        "Datumet {value} i '{field}' ligger i framtiden.",
        "Använd dagens datum eller ett tidigare datum.",
        explanation="Publicerings-, uppdaterings- och sökdatum kan inte ligga i framtiden.",
    ),
    Message(
        "KOP123",
        "'updated' ({updated}) är tidigare än 'published' ({published}).",
        "Sätt 'updated' till samma dag som 'published' eller senare.",
        explanation="En översikt kan inte uppdateras innan den publicerats.",
    ),
    Message(
        "KOP124",
        "Den relaterade översikten '{id}' finns inte.{suggestion}",
        "Rätta id:t eller ta bort det ur 'related'.",
        explanation="Fältet related får bara innehålla id för översikter som finns i overviews/.",
    ),
    Message(
        "KOP125",
        "Artikeln '{key}' finns inte i references.bib.{suggestion}",
        "Lägg till artikeln i references.bib eller rätta nyckeln (utan @).",
        explanation="Fältet article ska vara referensnyckeln för den publicerade artikeln om översikten.",
    ),
    Message(
        "KOP126",
        "ORCID '{value}' har fel kontrollsiffra.",
        "Kopiera ORCID direkt från orcid.org; troligen är en siffra felskriven.",
        explanation="Sista tecknet i ett ORCID är en kontrollsiffra som räknas fram ur de andra. Stämmer den inte "
        "är någon siffra felskriven.",
    ),
    Message(
        "KOP127",
        "Sammanfattningen har {count} ord; högst {limit} är tillåtet.",
        "Korta sammanfattningen. Den ska kunna läsas på en minut av en praktiker.",
        explanation="Sammanfattningen ska vara kort och på lättläst svenska. Längre resonemang hör hemma i "
        "brödtexten.",
    ),
    Message(
        "KOP128",
        "PRISMA-siffrorna går inte ihop: {problem}.",
        "Kontrollera siffrorna i 'prisma' mot flödesschemat i din metodbeskrivning.",
        explanation="Siffrorna i PRISMA-flödet kontrolleras mot varandra: granskade = identifierade minus "
        "dubbletter, och varje steg kan inte ha fler poster än steget före.",
    ),
    Message(
        "KOP129",
        "Slutsatsen hänvisar till '{key}', som inte finns i references.bib.{suggestion}",
        "Rätta nyckeln (utan @) eller lägg till referensen i references.bib.",
        explanation="Varje slutsats i findings anger de referenser som stöder den, med deras nycklar ur "
        "references.bib.",
    ),
    Message(
        "KOP130",
        "Fältet 'published' saknas, men status är '{status}'.",
        "Lägg till 'published: \"ÅÅÅÅ-MM-DD\"' eller sätt status till utkast.",
        explanation="En översikt som inte är ett utkast visas på webbplatsen och behöver ett publiceringsdatum.",
    ),
    Message(
        "KOP131",
        "Översikten anger sig själv ({id}) som relaterad.",
        "Ta bort det egna id:t ur 'related'.",
        explanation="Fältet related ska peka på andra översikter.",
    ),
    Message(
        "KOP132",
        "Sökperioden börjar ({start}) efter att den slutar ({end}).",
        "Byt plats på 'from' och 'to' i 'search.period'.",
        explanation="Sökperiodens första år måste vara samma som eller före det sista.",
    ),
    Message(
        "KOP140",
        "Platshållaren '{excerpt}' i {where} är inte ersatt, men status är '{status}'.",
        "Skriv in den riktiga texten i stället för platshållaren, eller sätt status till utkast.",
        explanation="Kommandot make ny och mallen overviews/_mall.md fyller obligatoriska fält med text som "
        f"börjar med {MARKER}, så att ett utkast går igenom kontrollen medan det skrivs. Innan översikten "
        "lämnar status utkast måste alla sådana platshållare, i fälten och i brödtexten, vara ersatta.",
    ),
    Message(
        "KOP160",
        "Fältet 'strength' finns inte längre.",
        "Skriv i stället 'certainty' för KÖP:s egen bedömning (level: hög, måttlig, låg eller mycket låg, och "
        "assessed_by: vem som bedömde), eller 'source_grade' när graderingen kommer från en källa (grade: källans "
        "egen benämning, source: källans referensnyckel, scale: källans skala med egna ord). Det gamla värdet "
        "'{value}' flyttas inte över automatiskt: avgör vilket av fälten som stämmer.",
        explanation="Tidigare hade varje slutsats ett fält strength (stark, medel eller svag). Det blandade ihop "
        "två olika saker: KÖP:s egen bedömning av hur säkert ett resultat är och en gradering som en källa själv "
        "redovisar. Nu skrivs KÖP:s bedömning i certainty, med en nivå i GRADE-stil (hög, måttlig, låg, mycket "
        "låg) och vem som bedömde, och en källas gradering i source_grade, med källans egen benämning, vilken "
        "källa det är och källans skala. Bara certainty kallas evidensstyrka på webbplatsen; source_grade visas "
        "som \"enligt källan\". Se fältreferensen i bidragsguiden.",
    ),
    Message(
        "KOP161",
        "Slutsatsen har varken 'certainty' eller 'source_grade'.",
        "Lägg till 'certainty' (level och assessed_by) med KÖP:s egen bedömning, eller 'source_grade' (grade, source "
        "och scale) om graderingen kommer från en källa. Båda går också att ange.",
        explanation="Varje slutsats måste säga hur säker den är: antingen KÖP:s egen bedömning (certainty) eller "
        "den gradering som en citerad källa själv redovisar (source_grade), eller båda.",
    ),
    Message(
        "KOP162",
        "Källan till graderingen, '{key}', finns inte i references.bib.{suggestion}",
        "Rätta nyckeln i 'source_grade.source' (utan @) eller lägg till källan i references.bib.",
        explanation="Fältet source_grade.source anger referensnyckeln för den källa som själv redovisar "
        "graderingen. Källan visas med sin referens bredvid graderingen och i översiktens referenslista, så den "
        "måste finnas i references.bib.",
    ),
    Message(
        "KOP163",
        "Den inkluderade studien '{key}' finns inte i references.bib.{suggestion}",
        "Rätta nyckeln i 'included_studies' (utan @) eller lägg till studien i references.bib.",
        explanation="Varje rad i included_studies är en studie ur references.bib. Tabellen länkar varje rad till "
        "studiens referens, och studien tas med i översiktens referenslista.",
    ),
    Message(
        "KOP164",
        "Studien '{key}' står två gånger i 'included_studies' (första gången på rad {first}).",
        "Ta bort den ena raden, eller slå ihop uppgifterna till en rad.",
        explanation="Tabellen över inkluderade studier har en rad per studie.",
    ),
    Message(
        "KOP165",
        "Texten i '{field}' har läsbarhetsindex (LIX) {value}; gränsen är {limit}.",
        "Skriv kortare meningar och välj kortare ord där det går: dela upp långa meningar och byt ut långa "
        "sammansatta ord och facktermer mot vardagliga ord.",
        severity="warning",
        explanation="LIX (läsbarhetsindex) är antalet ord per mening plus andelen långa ord (fler än sex "
        "bokstäver) i procent. Under 30 är mycket lättläst, 40 ungefär som skönlitteratur, över 50 svårt, som "
        "myndighetstext. Sammanfattningen och den lättlästa sammanfattningen (plain_language) ska kunna läsas "
        "av alla praktiker; språklagen (11 §) kräver att språket i offentlig verksamhet är vårdat, enkelt och "
        "begripligt. Gränsen sätts med extra.kop.lix_max i mkdocs.yml (45 om inget anges).",
    ),
)
