"""The front-matter reader: positions, YAML errors with lines, and hostile YAML refused."""

from __future__ import annotations

from kop.sources.frontmatter import decode_text, parse_yaml, split_front_matter


def fm(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    src = decode_text(data, "x.md")
    return src if src.diagnostics else split_front_matter(src)


def test_positions_point_at_keys_and_items():
    result = fm("---\nid: kop-2024-001\nauthors:\n  - name: A\n    role: forskare\n---\nText\n")
    assert result.diagnostics == []
    assert result.positions[("id",)] == (2, 1)
    assert result.positions[("authors", 0, "role")] == (5, 5)
    assert result.body == "Text\n"
    assert result.body_line == 7


def test_dates_stay_strings():
    assert fm("---\npublished: 2024-03-15\n---\n").meta == {"published": "2024-03-15"}


def test_bom_and_crlf_are_accepted():
    result = fm(b"\xef\xbb\xbf---\r\nid: kop-2024-001\r\n---\r\nText\r\n")
    assert result.diagnostics == []
    assert result.meta == {"id": "kop-2024-001"}
    assert result.body == "Text\n"


def test_latin1_reports_line_of_first_bad_byte():
    src = decode_text("---\nid: x\ntitle: Över\n---\n".encode("latin-1"), "x.md")
    (diag,) = src.diagnostics
    assert (diag.code, diag.line, diag.column) == ("KOP101", 3, 8)


def test_duplicate_key_reports_both_lines():
    (diag,) = fm("---\nid: a\ntitle: x\nid: b\n---\n").diagnostics
    assert (diag.code, diag.line, diag.column) == ("KOP106", 4, 1)
    assert diag.message == "Fältet 'id' förekommer två gånger (första gången på rad 2)."


def test_unclosed_quote_points_at_the_opening_quote():
    (diag,) = fm('---\nid: "kop\ntitle: x\n---\n').diagnostics
    assert (diag.code, diag.line, diag.column) == ("KOP105", 2, 5)


def test_tab_indentation_is_named():
    (diag,) = fm("---\nauthors:\n\t- name: A\n---\n").diagnostics
    assert diag.code == "KOP105"
    assert diag.line == 3
    assert "tabbtecken" in diag.message


def test_python_tags_are_refused_without_running_them():
    (diag,) = fm("---\nx: !!python/object/apply:os.system ['touch /tmp/kop-pwned']\n---\n").diagnostics
    assert diag.code == "KOP108"
    assert "!!python/object/apply:os.system" in diag.message


def test_alias_bomb_is_refused_quickly():
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    result = fm("\n".join(lines) + "\n---\n")
    assert [d.code for d in result.diagnostics] == ["KOP108"]


def test_deep_nesting_is_refused():
    result = fm("---\na: " + "[" * 3000 + "]" * 3000 + "\n---\n")
    assert [d.code for d in result.diagnostics] == ["KOP109"]


def test_missing_and_unclosed_front_matter():
    assert [d.code for d in fm("# Rubrik\n").diagnostics] == ["KOP103"]
    assert [d.code for d in fm("---\nid: x\n").diagnostics] == ["KOP104"]


def test_front_matter_must_be_a_mapping():
    (diag,) = fm("---\n- a\n- b\n---\n").diagnostics
    assert diag.code == "KOP107"


def test_parse_yaml_offsets_lines():
    _, positions, diags = parse_yaml("a: 1\nb: 2\n", "x", line_offset=10)
    assert diags == []
    assert positions[("b",)] == (12, 1)
