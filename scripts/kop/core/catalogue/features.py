"""Messages: Permanent links, the address registry, seminars and search (KOP5xx, KOP6xx, KOP9xx)."""

from kop.core.messages import Message

MESSAGES = (
    Message(
        "KOP610",
        "Den tidigare adressen '{alias}' är samma som filens nuvarande namn.",
        "Ta bort '{alias}' ur 'aliases'; där ska bara tidigare filnamn stå.",
        explanation="Fältet aliases listar tidigare filnamn (kortnamn) så att gamla länkar leder vidare. Det "
        "nuvarande filnamnet behöver ingen omdirigering.",
    ),
    Message(
        "KOP611",
        "Adressen oversikter/{alias}/ används redan av {other}.",
        "Två översikter kan inte ha samma adress. Ta bort '{alias}' ur 'aliases' i en av filerna.",
        explanation="Ett tidigare filnamn i aliases får inte vara en annan översikts nuvarande filnamn eller "
        "tidigare filnamn, eftersom adressen då skulle leda till två sidor.",
    ),
    Message(
        "KOP612",
        "Översikten '{id}' i 'withdrawn.replaced_by' finns inte.{suggestion}",
        "Ange id för en publicerad översikt som ersätter den här, eller ta bort 'replaced_by'.",
        explanation="En tillbakadragen översikt kan hänvisa läsaren till en annan översikt. Id:t måste finnas.",
    ),
    Message(
        "KOP613",
        "Översikten anger sig själv ({id}) som ersättare.",
        "Ange id för en annan översikt, eller ta bort 'replaced_by'.",
        explanation="replaced_by ska peka på en annan översikt än den som dras tillbaka.",
    ),
    Message(
        "KOP614",
        "Datumet {value} i 'withdrawn.date' ligger i framtiden.",
        "Ange dagen då översikten drogs tillbaka (i dag eller tidigare).",
        explanation="En översikt kan inte ha dragits tillbaka ett datum som inte har kommit.",
    ),
    Message(
        "KOP615",
        "Ersättaren '{id}' i 'withdrawn.replaced_by' är inte publicerad.",
        "Hänvisa till en publicerad översikt som inte själv är tillbakadragen.",
        explanation="Läsaren av en tillbakadragen översikt ska skickas till en sida som finns: ersättaren får inte "
        "vara ett utkast eller själv tillbakadragen.",
    ),
    Message(
        "KOP601",
        "Den publicerade adressen '{address}' leder inte längre till någon sida.",
        "Adresser i published-urls.txt får aldrig sluta fungera. Har översiktens fil bytt namn: lägg det gamla "
        "namnet i 'aliases'. Har översikten satts tillbaka till status utkast efter att adressen registrerades: "
        "utkast visas inte, så låt status vara granskning medan den arbetas om. Ska översikten inte visas "
        "längre: behåll filen och fyll i 'withdrawn' (date, reason och gärna replaced_by), så visar adressen att "
        "den är tillbakadragen. Har filen tagits bort: återställ den och fyll i 'withdrawn'.",
        explanation="published-urls.txt listar alla adresser som har publicerats. Bygget kontrollerar att var och en "
        "fortfarande leder till en sida, en fil eller en vidarebefordran, så att länkar i e-post, på affischer och i "
        "referenslistor aldrig går sönder.",
    ),
    Message(
        "KOP602",
        "Raden '{text}' är inte en adress.",
        "Skriv en adress per rad som börjar med / (till exempel /k/kop-2024-001/), eller en kommentar som börjar "
        "med #. Använd gärna make register i stället för att skriva för hand.",
        explanation="Varje rad i published-urls.txt är en adress på webbplatsen som börjar med /, en kommentar (#) "
        "eller tom.",
    ),
    Message(
        "KOP603",
        "Adressen '{address}' står redan på rad {first}.",
        "Ta bort den ena raden.",
        severity="warning",
        explanation="Varje adress behöver bara stå en gång i published-urls.txt.",
    ),
    Message(
        "KOP940",
        "Sökindexet kunde inte skapas: {problem}",
        "Kör bygget igen. Kvarstår felet, kontrollera att beroendena är installerade (make site).",
        explanation="Efter att webbplatsen byggts skapar Pagefind sökindexet. Misslyckas det publiceras inte den nya "
        "webbplatsen, och den tidigare finns kvar.",
    ),
    Message(
        "KOP501",
        "Sista anmälningsdag ({deadline}) är efter seminariet ({date}).",
        "Sätt 'registration.deadline' till seminariedagen eller tidigare.",
        explanation="Anmälan måste stänga senast samma dag som seminariet hålls.",
    ),
    Message(
        "KOP502",
        "Översikten '{id}' finns inte.{suggestion}",
        "Rätta id:t i 'overviews' så att det pekar på en översikt i overviews/ (fältet id överst i filen).",
        explanation="Fältet overviews i ett seminarium listar id för de översikter som diskuteras. Varje id måste "
        "finnas, annars blir länken i inbjudan trasig.",
    ),
    Message(
        "KOP503",
        "Seminariet slutar ({end}) innan det börjar ({start}).",
        "Rätta 'start' eller 'end'. Tiderna är svensk tid, TT:MM.",
        explanation="Sluttiden måste vara efter starttiden samma dag.",
    ),
    Message(
        "KOP504",
        "Tiden i '{field}' måste stå inom citattecken.",
        "Skriv till exempel {field}: \"{suggestion}\". Utan citattecken läser YAML 11:30 som ett tal.",
        explanation="YAML tolkar en tid som 11:30 utan citattecken som ett tal i sextiosystemet (690). Skriv "
        "därför tider inom citattecken.",
    ),
    Message(
        "KOP505",
        "Filnamnet '{name}' är inte ett giltigt kortnamn (slug).",
        "Döp om filen till '{suggestion}.md': små bokstäver a–z, siffror och bindestreck.",
        explanation="Seminariets filnamn blir en del av webbadressen seminarier/<kortnamn>/.",
    ),
    Message(
        "KOP506",
        "Översikten '{id}' är ett utkast och publiceras inte.",
        "Ta bort id:t ur 'overviews' eller publicera översikten först.",
        explanation="Ett seminarium kan bara länka till publicerade översikter; ett utkast har ingen sida.",
    ),
    Message(
        "KOP507",
        "Seminariet har varken plats ('place') eller digital länk ('online').",
        "Lägg till 'place:' med namn (och gärna adress) eller 'online:' med en länk.",
        explanation="Inbjudan och kalenderfilen måste tala om var man deltar.",
    ),
    Message(
        "KOP508",
        "Samlingen ({gathering}) är efter att seminariet börjat ({start}).",
        "Sätt 'gathering' till en tid före 'start', eller ta bort fältet.",
        explanation="Fältet gathering anger när mingel eller samling börjar före själva seminariet.",
    ),
    Message(
        "KOP509",
        "Webbplatsens adress är inte inställd: site_url i mkdocs.yml är {value}.",
        "Skriv webbplatsens riktiga adress i mkdocs.yml, till exempel site_url: https://organisation.github.io/kop/ "
        "(se Förvaltarens guide, avsnittet Första publiceringen). Byt också länkarna i "
        ".github/ISSUE_TEMPLATE/config.yml.",
        explanation="QR-koder, inbjudningar, kalenderfiler, Citera-referenser och länkar i formulären använder "
        "webbplatsens adress. Med exempeladressen kop.example.org skulle de leda till en webbplats som inte "
        "finns, så publiceringen stoppas tills adressen är rätt. Lokala byggen fungerar som vanligt.",
    ),
    Message(
        "KOP510",
        "Formuläret länkar fortfarande till exempeladressen {value}.",
        "Byt adressen mot webbplatsens riktiga adress, samma som site_url i mkdocs.yml.",
        explanation="Länkarna i GitHub-formulären (.github/ISSUE_TEMPLATE/) ska leda till den publicerade "
        "webbplatsen. Publiceringen stoppas så länge de leder till exempeladressen kop.example.org.",
    ),
)
