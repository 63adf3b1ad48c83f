"""Generate the contributor guide's reference pages from their sources of truth.

The field reference comes from the JSON Schema and the message catalogue from the
message catalogue (:mod:`kop.core.catalogue`), so neither can drift from what the code does.
"""

from __future__ import annotations

from kop.core.catalogue import CATALOGUE
from kop.core.html import esc
from kop.schema.load import iter_fields, resolved_schema

_TYPE_SV = {"string": "text", "array": "lista", "object": "grupp av fält", "integer": "heltal", "boolean": "true/false"}


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
        lines.append(f"**{sub.get('title', path)}** – {kind}" + (", **obligatoriskt**" if required else ", valfritt"))
        lines.append("")
        if sub.get("description"):
            lines.append(esc(sub["description"]))  # e.g. '/k/<id>/' must show, not become a tag
            lines.append("")
        enum_source = sub.get("items", {}) if sub.get("type") == "array" else sub
        if isinstance(enum_source, dict) and "enum" in enum_source:
            descriptions = enum_source.get("x-kop-enum-descriptions", {})
            lines.append("Tillåtna värden:")
            lines.append("")
            for value in enum_source["enum"]:
                lines.append(f"- `{value}` – {descriptions.get(value, '')}")
            lines.append("")
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
    return "\n".join(lines)



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

