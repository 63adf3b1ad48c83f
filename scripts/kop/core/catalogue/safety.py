"""Messages: Active content in Markdown bodies (KOP4xx)."""

from kop.core.messages import Message

_CODE_HINT = " Vill du visa koden som exempel, skriv den inom `backticks` eller i ett kodblock med ```."

MESSAGES = (
    Message(
        "KOP401",
        "Elementet <{tag}> är inte tillåtet i en översikt: det kan köra skript eller läsa in en annan sida.",
        "Ta bort elementet. Länka hellre till materialet med `[länktext](https://…)`." + _CODE_HINT,
        explanation="Översikter får inte innehålla aktivt innehåll som <script>, <iframe>, <object>, <embed> eller "
        "SVG-animeringar. Sådant kunde köra kod i läsarens webbläsare. Regeln skyddar både läsarna och "
        "webbplatsens trovärdighet; en granskare kan missa en rad i en stor ändring.",
    ),
    Message(
        "KOP402",
        "Attributet '{attribute}' är en händelsehanterare och är inte tillåtet (det kör skript).",
        "Ta bort attributet. Texten behöver inga skript för att fungera." + _CODE_HINT,
        explanation="HTML-attribut som börjar med 'on' (onclick, onerror, onload …) kör skript när något "
        "händer på sidan. De gäller också attribut som skrivs med {: …} efter en rubrik eller länk.",
    ),
    Message(
        "KOP403",
        "Adressen börjar med '{scheme}:', som inte är tillåtet i länkar och bilder.",
        "Använd en vanlig webbadress (https://…) eller en relativ länk. Bilder läggs som filer i docs/ "
        "och länkas med `![beskrivning](sökväg)`.",
        explanation="Adresser som börjar med javascript:, vbscript: eller data: kan köra skript eller bära "
        "dolt innehåll. De upptäcks även när de skrivs med HTML-entiteter (&#106;…), blandade versaler "
        "eller inskjutna blanksteg.",
    ),
    Message(
        "KOP404",
        "{what} är inte tillåtet i en översikt: {reason}.",
        "Ta bort stilen. Webbplatsens utseende styrs av temat, inte av enskilda översikter.",
        explanation="Ett <style>-element kan ändra hela sidans utseende och CSS med url(…) eller expression(…) "
        "kan hämta innehåll från andra servrar eller köra kod i gamla webbläsare.",
    ),
    Message(
        "KOP405",
        "Elementet <{tag}> får inte användas i brödtexten: det ändrar hur hela sidan läses in.",
        "Ta bort elementet. Sidans metadata skapas av bygget från fälten i front matter.",
        explanation="<meta>, <base> och <link> kan omdirigera läsaren, ändra vart sidans länkar går eller "
        "läsa in främmande stilmallar. De hör inte hemma i en översikts brödtext.",
    ),
    Message(
        "KOP406",
        "Formulärelementet <{tag}> är inte tillåtet i en översikt.",
        "Ta bort formuläret. Behövs en enkät, länka till den med `[länktext](https://…)`.",
        explanation="Formulär (<form>, <input>, <button> …) kan användas för att lura läsare att lämna "
        "uppgifter till någon annan än KÖP.",
    ),
    Message(
        "KOP407",
        "Texten innehåller ett osynligt styrtecken ({codepoint}), som inte hör hemma i en text.",
        "Ta bort tecknet. Det följer ofta med när text klistras in från ett annat program; skriv om ordet "
        "runt markeringen om du inte ser tecknet i din editor.",
        explanation="Styrtecken (U+0001–U+001F utom tabb och radbrytning, samt U+007F) syns inte men kan "
        "ändra hur texten tolkas. Bygget använder två av dem internt för att märka ut den HTML det själv "
        "skapar, så de får inte förekomma i bidragen text.",
    ),
)
