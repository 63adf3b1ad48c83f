"""Generate the contributor guide's reference pages from their sources of truth.

The field reference comes from the JSON Schema and the message catalogue from the
message catalogue (:mod:`kop.core.catalogue`), so neither can drift from what the code does.
"""

from __future__ import annotations

from kop.core.catalogue import CATALOGUE
from kop.core.html import esc
from kop.schema.load import iter_fields, resolved_schema, vocabularies

_TYPE_SV = {"string": "text", "array": "lista", "object": "grupp av fält", "integer": "heltal", "boolean": "true/false"}
# The legend page that explains each certainty level (kop.render.legend writes it), from bidra/.
LEGEND_LINK = "../evidensstyrka.md"
# Fields that no longer exist, and what replaced them: authors of old files look them up here.
REMOVED_FIELDS = (
    ("findings[].strength", "KOP160",
     "Ersatt av `certainty` (KÖP:s egen bedömning: nivå och vem som bedömde) och `source_grade` (en gradering "
     "som en källa själv redovisar: källans benämning, källan och dess skala). Värdena flyttas inte över "
     "automatiskt: stark, medel och svag var ingen GRADE-bedömning, så avgör för varje slutsats vilket fält "
     "som stämmer."),
)


def field_reference_markdown() -> str:
    """The page 'Fältreferens': every front-matter field, its type, whether required, allowed values."""
    schema = resolved_schema()
    lines = [
        "# Fältreferens",
        "",
        "Den här sidan skapas automatiskt från schemat "
        "([overview.schema.json](../schema/overview.schema.json)), som också används av valideringen. "
        "Fält med **obligatoriskt** måste finnas.",
        "",
    ]
    conditional = _conditionally_required(schema)
    for path, sub, required in iter_fields(schema):
        kind = _TYPE_SV.get(str(sub.get("type")), str(sub.get("type", "")))
        if sub.get("type") == "array" and isinstance(sub.get("items"), dict):
            inner = sub["items"].get("type")
            kind += f" av {_TYPE_SV.get(str(inner), str(inner))}" if inner and inner != "object" else " av grupper"
        if sub.get("format") == "date":
            kind = "datum (ÅÅÅÅ-MM-DD)"
        anchor_id = "falt-" + path.replace("[]", "").replace(".", "-").replace("_", "-")
        lines.append(f"## `{path}` {{#{anchor_id}}}")
        lines.append("")
        if required:
            need = ", **obligatoriskt**"
        elif path in conditional:
            need = ", **obligatoriskt** om " + " och ".join(f"`{n}`" for n in conditional[path]) + " saknas"
        else:
            need = ", valfritt"
        lines.append(f"**{sub.get('title', path)}** – {kind}{need}")
        lines.append("")
        if sub.get("description"):
            lines.append(esc(sub["description"]))  # e.g. '/k/<id>/' must show, not become a tag
            lines.append("")
        enum_source = sub.get("items", {}) if sub.get("type") == "array" else sub
        if isinstance(enum_source, dict) and "enum" in enum_source:
            lines += _allowed_values(enum_source)
        alternatives = _one_of_required(sub.get("items", {}) if sub.get("type") == "array" else sub)
        if alternatives:
            names = " eller ".join(f"`{name}`" for name in alternatives)
            lines += [f"Varje del i listan måste ha {names}; det går också att ange flera.", ""]
        hint = sub.get("x-kop-pattern-hint") or (enum_source or {}).get("x-kop-pattern-hint")
        if hint:
            lines.append(f"Format: {hint}.")
            lines.append("")
        if sub.get("x-kop-max-words"):
            lines.append(f"Högst {sub['x-kop-max-words']} ord.")
            lines.append("")
        if sub.get("examples"):
            lines.append("Exempel: " + ", ".join(f"`{e}`" for e in sub["examples"]))
            lines.append("")
    lines += _removed_fields()
    return "\n".join(lines)


def _allowed_values(enum_source: dict) -> list[str]:
    """The allowed values of a vocabulary field, each with its display label and symbol when it has them."""
    name = enum_source.get("x-kop-vocabulary")
    items = {item["value"]: item for item in vocabularies().get(str(name), [])} if name else {}
    descriptions = enum_source.get("x-kop-enum-descriptions", {})
    lines = ["Tillåtna värden:", ""]
    for value in enum_source["enum"]:
        item = items.get(value, {})
        shown = " ".join(part for part in (item.get("symbol", ""), item.get("label", "")) if part)
        shown = f" (visas som {esc(shown)})" if item.get("label") and item["label"] != value else ""
        lines.append(f"- `{value}`{shown} – {esc(descriptions.get(value, ''))}")
    lines.append("")
    if name == "certainty":
        lines += [f"Nivåerna förklaras för läsarna på sidan [Evidensstyrka]({LEGEND_LINK}), som varje "
                  "evidensmärkning länkar till.", ""]
    return lines


def _one_of_required(schema: object) -> list[str]:
    """Fields of which at least one must be given (``anyOf`` of ``required``), e.g. certainty or source_grade."""
    if not isinstance(schema, dict) or not isinstance(schema.get("anyOf"), list):
        return []
    names: list[str] = []
    for option in schema["anyOf"]:
        if not (isinstance(option, dict) and set(option) == {"required"}):
            return []
        names += [str(n) for n in option["required"]]
    return names


def _conditionally_required(schema: dict, prefix: str = "") -> dict[str, list[str]]:
    """Dotted path -> the other fields that can stand in for it (``anyOf`` of ``required``), at any depth."""
    out: dict[str, list[str]] = {}
    names = _one_of_required(schema)
    for name in names:
        out[prefix + name] = [other for other in names if other != name]
    for name, sub in (schema.get("properties") or {}).items():
        if not isinstance(sub, dict):
            continue
        if sub.get("type") == "object":
            out.update(_conditionally_required(sub, f"{prefix}{name}."))
        items = sub.get("items")
        if sub.get("type") == "array" and isinstance(items, dict) and items.get("type") == "object":
            out.update(_conditionally_required(items, f"{prefix}{name}[]."))
    return out


def _removed_fields() -> list[str]:
    lines = ["## Borttagna fält {#borttagna-falt}", "",
             "Fält som inte längre finns. En fil som fortfarande har dem får ett felmeddelande med råd om "
             "vad som ska stå i stället.", ""]
    for field, code, text in REMOVED_FIELDS:
        lines.append(f"- `{field}` ([{code}](felmeddelanden.md#{code.lower()})): {text}")
    return [*lines, ""]



def message_catalogue_markdown() -> str:
    """The page 'Felmeddelanden': every message the validator can produce, with its fix."""
    lines = [
        "# Felmeddelanden",
        "",
        "Alla meddelanden som kontrollen (`make check` och kontrollerna i en pull request) kan ge. "
        "Varje meddelande visar fil, rad och kolumn, vad som är fel och hur du rättar det. "
        "Sidan skapas automatiskt från valideringens egna meddelanden.",
        "",
    ]
    for code in sorted(CATALOGUE):
        msg = CATALOGUE[code]
        kind = "Fel" if msg.severity == "error" else "Varning"
        lines += [
            f"## {code} {{#{code.lower()}}}",
            "",
            f"**{kind}:** {_template(msg.text)}",
            "",
        ]
        if msg.explanation:
            lines += [esc(msg.explanation), ""]  # explanations may name tags such as <script>
        if msg.hint:
            lines += [f"**Så rättar du:** {_template(msg.hint)}", ""]
    return "\n".join(lines)


def _template(text: str) -> str:
    """Show a message template with its placeholders as readable markers."""
    import re

    text = re.sub(r"\{suggestion\}", " (Menade du …?)", text)
    text = re.sub(r"\{([a-z_]+)\}", lambda m: f"‹{m.group(1)}›", text)
    return esc(text).replace("\n", " ")

