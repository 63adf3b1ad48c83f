"""Messages: versions read from the git history (KOP620–629)."""

from kop.core.messages import Message

MESSAGES = (
    Message(
        "KOP620",
        "Git-historiken saknas (grund klon), så bara den aktuella versionen av varje översikt publiceras.",
        "Det beror inte på dina filer. Den som bygger webbplatsen behöver hela historiken: "
        "'git fetch --unshallow' lokalt, eller 'fetch-depth: 0' i actions/checkout.",
        severity="warning",
        explanation="Tidigare versioner av en översikt byggs från git-historiken. En grund klon (som GitHub Actions "
        "gör som standard) har bara den senaste ändringen, och då kan äldre versioner inte visas. Bygget "
        "fortsätter med den aktuella versionen; publiceringsflödet hämtar hela historiken.",
    ),
    Message(
        "KOP621",
        "Mappen är inte ett git-förråd, så bara den aktuella versionen av varje översikt publiceras.",
        "Det beror inte på dina filer. Bygg från en klon av förrådet (git clone) för att få med "
        "tidigare versioner.",
        severity="warning",
        explanation="Tidigare versioner av en översikt byggs från git-historiken. Utan den (till exempel när "
        "filerna kommer från en zip-fil) byggs bara den aktuella versionen.",
    ),
    Message(
        "KOP622",
        "Version {version} av översikten kunde inte visas ({problem}); den permanenta adressen leder till den "
        "aktuella versionen.",
        "Det beror inte på den aktuella filen. Meddela förvaltarna, så att den äldre versionen kan visas igen.",
        severity="warning",
        explanation="En äldre version byggs från git-historiken med dagens verktyg. Om den gamla texten inte går "
        "att visa längre hoppas den över, och dess adress leder till den aktuella versionen i stället för att "
        "sluta fungera.",
    ),
)

HISTORY_SHALLOW, HISTORY_UNAVAILABLE, VERSION_NOT_RENDERED = MESSAGES
