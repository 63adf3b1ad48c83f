"""Messages: references.bib (KOP2xx)."""

from kop.core.messages import Message

MESSAGES = (
    Message(
        "KOP201",
        "Det går inte att tolka {block}: {reason}.",
        "Kontrollera klamrar och kommatecken: varje fält skrivs som namn = {{värde}}, fälten skiljs åt "
        "med kommatecken och posten avslutas med '}}'.",
        explanation=(
            "En post i references.bib har ett syntaxfel, till exempel en klammer som inte stängs eller ett "
            "kommatecken som saknas. Posten hoppas över, så citeringar av den fungerar inte förrän felet är "
            "rättat. Radnumret pekar på början av posten; felet finns oftast i ett av de sista fälten."
        ),
    ),
    Message(
        "KOP202",
        "Dubblett: nyckeln '{key}' finns redan på rad {first_line}.",
        "Ge posten en egen nyckel, eller ta bort den om den är samma verk som posten på rad {first_line}.",
        explanation=(
            "Två poster i references.bib har samma nyckel, så det går inte att veta vilken en citering "
            "syftar på. Bara den första posten används. Byt nyckel på den ena posten eller ta bort dubbletten."
        ),
    ),
    Message(
        "KOP203",
        "Fältet '{field}' förekommer flera gånger i posten '{key}' (första gången på rad {first_line}).",
        "Ta bort det ena fältet; bara det första används nu.",
        explanation=(
            "Samma fält, till exempel title eller year, står två gånger i en post. BibTeX använder bara det "
            "första värdet, vilket ofta inte är det som var tänkt. Behåll ett av fälten."
        ),
    ),
    Message(
        "KOP204",
        "Posten '{key}' (@{type}) saknar obligatoriska fält: {fields}.",
        "Lägg till {fields} i posten, eller byt posttyp om den inte stämmer.",
        explanation=(
            "Varje posttyp kräver vissa fält för att referensen ska kunna skrivas ut fullständigt, till "
            "exempel author, title, journal och year för en artikel. Det går också bra att skriva date "
            "i stället för year. Komplettera posten, helst i Zotero, och exportera filen igen."
        ),
    ),
    Message(
        "KOP205",
        "Posttypen '@{type}' i posten '{key}' är okänd.{suggestion}",
        "Använd en standardtyp, t.ex. @article, @book, @incollection, @inproceedings, @phdthesis, "
        "@techreport, @misc eller @online.",
        severity="warning",
        explanation=(
            "Posttypen känns inte igen, ofta på grund av ett stavfel. Posten behandlas då som @misc, "
            "vilket kan ge en ofullständig referens. Rätta posttypen så att referensen formateras rätt."
        ),
    ),
    Message(
        "KOP206",
        "Fältet '{field}' i posten '{key}' har värdet '{value}', som inte är ett giltigt årtal eller datum.",
        "Skriv året med fyra siffror, t.ex. year = {{2011}}, eller datumet som date = {{2011-11-18}}.",
        explanation=(
            "Årtal skrivs med fyra siffror och datum som ÅÅÅÅ-MM-DD (ÅÅÅÅ-MM eller ÅÅÅÅ går också). "
            "Ett verk som ännu inte har kommit ut skrivs year = {i tryck} och visas som (i tryck); annan text, "
            "till exempel 'u.å.', kan inte sorteras eller formateras."
        ),
    ),
    Message(
        "KOP207",
        "DOI:n '{value}' i posten '{key}' har fel form.",
        "Skriv bara själva DOI:n: skriv 10.xxxx/…, t.ex. doi = {{10.5334/ijic.566}}. En länk som "
        "https://doi.org/10.5334/ijic.566 går också bra.",
        explanation=(
            "En DOI börjar alltid med '10.', följt av minst fyra siffror, ett snedstreck och resten av "
            "beteckningen, utan mellanslag. Kopiera DOI:n från artikelns webbsida eller från Zotero. "
            "Länken byggs automatiskt, så skriv inte in 'https://doi.org/' om du inte vill."
        ),
    ),
    Message(
        "KOP208",
        "Filen är inte sparad som UTF-8: första ogiltiga byte (0x{byte}) finns på rad {bad_line}.",
        "Spara filen som UTF-8. I Zotero väljer du teckenkodningen Unicode (UTF-8) vid export; i en "
        "texteditor väljer du 'Spara med kodning' och UTF-8.",
        explanation=(
            "references.bib måste vara sparad med teckenkodningen UTF-8, annars blir tecken som å, ä och ö "
            "fel. Filen har troligen sparats som Latin-1 eller Windows-1252. Exportera den igen från Zotero "
            "eller spara om den som UTF-8 i din texteditor."
        ),
    ),
    Message(
        "KOP209",
        "Nyckeln '{key}' kan inte citeras i Markdown: den {problem}.",
        "Byt till en nyckel med bara bokstäver, siffror och _ (skiljetecknen : . # $ % & - + ? < > ~ / går "
        "bara inne i nyckeln), t.ex. ahgren2011.",
        severity="warning",
        explanation=(
            "En citering skrivs som [@nyckel] i Markdown, och då får nyckeln bara innehålla bokstäver, "
            "siffror, understreck och vissa skiljetecken inne i nyckeln. Mellanslag, kommatecken och "
            "klamrar går inte. Byt nyckel i Zotero (Better BibTeX) eller direkt i filen."
        ),
    ),
    Message(
        "KOP210",
        "Referensen '{key}' citeras inte i någon översikt.",
        "Citera referensen med [@{key}] i en översikt, eller ta bort posten ur references.bib.",
        severity="warning",
        explanation=(
            "Posten finns i references.bib men ingen översikt citerar den. Det är inget fel, men filen blir "
            "lättare att underhålla om oanvända poster tas bort. Kontrollera också att nyckeln inte är "
            "felstavad i översikten."
        ),
    ),
    Message(
        "KOP211",
        "Posten (@{type}) saknar nyckel.",
        "Skriv en nyckel direkt efter klammern, t.ex. @{type}{{ahgren2011, …}}.",
        explanation=(
            "Varje post behöver en nyckel direkt efter posttypen, och det är den som används i citeringar. "
            "Utan nyckel kan posten inte citeras och hoppas över."
        ),
    ),
    Message(
        "KOP212",
        "Värdet {where} kan inte tolkas: {reason}.",
        "Skriv värdet inom klamrar, t.ex. namn = {{värde}}. Ord utan klamrar eller citattecken tolkas som "
        "namn på @string-definitioner.",
        explanation=(
            'Ett fältvärde ska stå inom klamrar {…} eller citattecken "…". Ett ord utan klamrar tolkas som '
            "namnet på en @string-definition, och om någon sådan inte finns kan värdet inte tolkas. Fältet "
            "hoppas över tills felet är rättat."
        ),
    ),
    Message(
        "KOP213",
        "Referensfilen kan inte läsas: {error}.",
        "Kontrollera att filen finns och att den går att läsa.",
        explanation=(
            "Filen med referenser saknas eller går inte att öppna. Kontrollera sökvägen och filens behörigheter."
        ),
    ),
    Message(
        "KOP214",
        "Ett oväntat fel inträffade när {what} lästes: {error}.",
        "Kontrollera posten på den här raden. Om felet kvarstår, rapportera det till redaktionen och "
        "bifoga posten.",
        explanation=(
            "Inläsningen av references.bib stötte på något den inte var byggd för. Det är ett fel i "
            "verktyget, inte nödvändigtvis i filen, men posten på den angivna raden är en bra ledtråd."
        ),
    ),
    Message(
        "KOP215",
        "Texten '{excerpt}' står utanför en post och ignoreras.",
        "Troligen saknas '@' före posttypen, t.ex. @article{{nyckel, …}}. Kommentarer kan skrivas som "
        "@comment{{…}}.",
        severity="warning",
        explanation=(
            "Text mellan posterna ignoreras av BibTeX. Ser texten ut som en post eller ett fält har "
            "förmodligen '@' eller en klammer fallit bort, och då saknas posten i referenslistan."
        ),
    ),
    Message(
        "KOP216",
        "Referensfilen är för stor ({size} byte, högst {limit} byte).",
        "Ta bort poster som ingen översikt citerar, eller exportera utan bilagor och fulltexter.",
        explanation="references.bib får vara högst 50 MB. Gränsen skyddar bygget mot filer som av misstag "
        "eller med avsikt är orimligt stora.",
    ),
    Message(
        "KOP217",
        "Referensfilen har {count} poster, fler än gränsen {limit}; posterna från och med den här raden läses inte.",
        "Ta bort poster som ingen översikt citerar (se varningarna KOP210).",
        explanation="references.bib får ha högst 50 000 poster. Gränsen håller kontrollen och bygget inom rimlig "
        "tid och minnesåtgång.",
    ),
    Message(
        "KOP218",
        "Värdet i fältet '{field}'{where} står inom {name}, som BibTeX inte räknar som citattecken.",
        "Skriv värdet inom klamrar i stället: {fixed}. Word och Outlook byter \" mot ” medan du skriver; "
        "redigera references.bib i en textredigerare, eller exportera posten på nytt från Zotero eller JabRef.",
        explanation="BibTeX känner bara igen klamrar {…} och raka citattecken \"…\" runt ett fältvärde. De "
        "typografiska citattecknen ” “ „ » « och apostroferna ’ ‘ som Word sätter in är vanliga tecken, så "
        "title = ”Något” är inget giltigt värde, och Zotero, JabRef och LaTeX kan inte läsa filen. KÖP läser "
        "posten som du menade, så att citeringarna av den fungerar, men filen måste rättas. Inne i ett värde "
        "får typografiska citattecken gärna stå kvar, till exempel title = {Barnets ”röst” i utredningen}.",
    ),
)
