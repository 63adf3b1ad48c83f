"""Messages: Reading files safely: symlinks, special files, OS errors, limits (KOP150–159, KOP420–429, KOP960–969)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = (
    Message(
        "KOP150",
        "{file} är en symbolisk länk som pekar utanför projektmappen.",
        "Ersätt länken med en vanlig fil med samma innehåll, eller ta bort den.",
        explanation="Bygget läser bara vanliga filer inuti projektmappen. En symbolisk länk som pekar ut ur "
        "projektmappen (till exempel till /etc/passwd) skulle annars kunna publicera filer från byggdatorn på "
        "webbplatsen. Länkar som pekar på en vanlig fil inuti projektmappen är tillåtna.",
    ),
    Message(
        "KOP151",
        "{file} är inte en vanlig fil utan {kind}.",
        "Ta bort den och lägg en vanlig fil med samma namn där.",
        explanation="Bygget läser bara vanliga filer. En namngiven pipe (FIFO) skulle få kontrollen att "
        "vänta för evigt, och sockets och enhetsfiler hör inte hemma i projektmappen. Symboliska länkar till "
        "mappar följs inte heller.",
    ),
    Message(
        "KOP152",
        "{file} är en symbolisk länk som pekar på en fil som inte finns.",
        "Rätta länken så att den pekar på en vanlig fil i projektmappen, eller ersätt den med filen själv.",
        explanation="En trasig symbolisk länk kan inte läsas. Oftast har filen den pekade på flyttats eller "
        "tagits bort.",
    ),
    Message(
        "KOP420",
        "Översikten har {count} källhänvisningar; högst {limit} är tillåtna i en översikt.",
        "Dela upp översikten i flera, eller hänvisa till en källa en gång per stycke i stället för i varje mening.",
        explanation="Varje källhänvisning formateras och länkas när webbplatsen byggs. Gränsen håller bygget inom "
        "en minut även för den största översikt som godkänns; en vanlig översikt har några hundra hänvisningar.",
    ),
    Message(
        "KOP421",
        "Stycket har {count} hakparenteser [ som aldrig stängs; högst {limit} är tillåtna i ett stycke.",
        "Stäng varje [ med ], skriv \\[ om du menar själva tecknet, eller dela stycket med en tom rad.",
        explanation="Webbplatsmotorn letar efter slutet på varje [ genom resten av stycket. Många hakparenteser "
        "som inte stängs gör bygget mycket långsamt, så antalet per stycke är begränsat. Raden och kolumnen pekar "
        "på den första hakparentesen som inte stängs.",
    ),
    Message(
        "KOP422",
        "Mer än {limit} hakparenteser [ är öppna samtidigt i stycket ([ inuti [ inuti [ …).",
        "Ta bort hakparenteser inuti andra hakparenteser, eller skriv \\[ om du menar själva tecknet.",
        explanation="Hakparenteser inuti varandra gör att webbplatsmotorn läser samma text många gånger. "
        "Antalet hakparenteser som är öppna på samma gång är därför begränsat; vanlig text och "
        "källhänvisningar kommer aldrig nära gränsen.",
    ),
    Message(
        "KOP423",
        "references.bib har {count} poster; högst {limit} är tillåtna.",
        "Ta bort poster som ingen översikt citerar (se varningarna KOP210). Posten på den här raden är den första "
        "över gränsen.",
        explanation="Alla poster i references.bib formateras enligt APA 7 vid varje bygge, citerade eller inte. "
        "Gränsen håller bygget inom en minut.",
    ),
    Message(
        "KOP424",
        "references.bib har {count} verk där första författaren heter '{name}'; högst {limit} är tillåtna.",
        "Ta bort poster som ingen översikt citerar (se varningarna KOP210), eller kontrollera att författarnamnen "
        "är rätt inlästa.",
        explanation="Verk med samma första författare måste skiljas åt enligt APA 7 (till exempel 2020a och 2020b). "
        "Det arbetet växer mycket snabbare än antalet verk, så antalet verk per förstaförfattare är begränsat.",
    ),
    Message(
        "KOP960",
        "Filen {file} kunde inte läsas: {reason}.",
        "{advice}",
        explanation="Operativsystemet vägrade läsa filen, till exempel för att behörighet saknas eller för att "
        "för många filer är öppna. Ingenting har ändrats.",
    ),
    Message(
        "KOP961",
        "Webbplatsen kunde inte skrivas till {file}: {reason}.",
        "{advice} Den tidigare webbplatsen i site/ finns kvar.",
        explanation="Operativsystemet vägrade skriva under bygget, till exempel för att disken är full, "
        "mappen är skrivskyddad eller behörighet saknas. Den tidigare byggda webbplatsen i site/ finns kvar "
        "oförändrad; kör bygget igen när felet är åtgärdat.",
    ),
)
