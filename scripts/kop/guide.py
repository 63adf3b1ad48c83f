"""Generate the contributor guide's reference pages from their sources of truth.

The field reference comes from the JSON Schema and the message catalogue from the
validator's registered messages, so neither can drift from what the code does.
"""

from __future__ import annotations

from . import bibliography, citations, frontmatter, validate  # noqa: F401  (register their messages)
from .messages import CATALOGUE
from .render import esc
from .schema import iter_fields, resolved_schema, vocabularies

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


def register_all_messages() -> None:
    """Import every module of the package, so that every ``define()`` has run.

    Messages are registered when their module is imported; a module that only the build or
    a command imports (the URL registry, ``kop ny``) would otherwise be missing from the
    catalogue whenever the page is generated before it is imported. Walking the package
    means a new module is included without anyone adding it to a list.
    """
    import importlib
    import pkgutil

    package = importlib.import_module(__package__ or "kop")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name != "__main__":
            importlib.import_module(f"{package.__name__}.{info.name}")


def message_catalogue_markdown() -> str:
    """The page 'Felmeddelanden': every message the validator can produce, with its fix."""
    register_all_messages()
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


def vocabulary_markdown() -> str:
    """A short overview of the controlled vocabularies (used on the 'Om KÖP' pages)."""
    lines = []
    for name, items in vocabularies().items():
        lines.append(f"- **{name}**: " + ", ".join(item["value"] for item in items))
    return "\n".join(lines)
