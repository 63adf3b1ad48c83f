"""Older versions' front matter read from blobs: block by block, and always as a whole parse reads it."""

from __future__ import annotations

import pytest
import yaml

from kop.sources.blob_front_matter import FENCE, fence_end, key_fields, read_front_matter

TEMPLATE = """---
id: kop-2030-001
title: Historiktest
status: {status}
version: "{version}"
findings:
{findings}---

Text.
"""


def finding(statement: str, level: str) -> str:
    return (f"  - statement: {statement}\n    certainty:\n      level: {level}\n"
            "      assessed_by: Testare\n    references: [a]\n")


@pytest.mark.parametrize("line", [
    'version: "1.0"', "version: '1.0'", "version: 1.0", "version: 2", 'version: "1.0" # kommentar',
    "version: >-\n  1.0", 'version: "a\\"b"',
])
def test_key_fields_read_as_yaml_reads_them(line: str) -> None:
    data = f"---\nid: kop-2030-001\nstatus: publicerad\n{line}\ntitle: T\n---\n\nText.\n".encode()
    full = yaml.safe_load(data.decode().split("---\n")[1])
    fields = key_fields(data, "x")
    if line == 'version: "1.0"':
        assert fields is not None  # the common case needs no YAML parser at all
    if fields is not None:  # None: the whole front matter is parsed instead
        assert fields == {k: full[k] for k in ("id", "status", "version")}


def test_key_fields_leave_withdrawn_and_unusual_files_to_the_full_parse() -> None:
    withdrawn = b"---\nid: a\nversion: '1'\nstatus: publicerad\nwithdrawn:\n  date: 2030-01-01\n---\n"
    assert key_fields(withdrawn, "x") is None
    assert key_fields(b"---\r\nid: a\r\n---\r\n", "x") is None
    assert key_fields(b"\xef\xbb\xbf---\nid: a\n---\n", "x") is None


HEADS = [
    # plain entries, a compact list at column 0, a nested list, comments and blank lines
    "# kommentar\nid: a\ntitle: \"T\"\nauthors:\n- name: A\n  role: x\n- name: B\n\nkeywords: [a, b]\n",
    # repeated key (the last value, in the first place), yes/no/null keys and values
    "id: a\nversion: 1.0\nid: b\nyes: no\nnull: ~\nn: 3\n",
    # block scalars with every chomping, trailing blank lines before the next key
    "summary: |+\n  rad\n\n\nnext: >-\n  a\n  b\n\nlast: |\n  x\n",
    # items holding block scalars, less-indented comments and deeper items
    "findings:\n  - statement: |\n      en\n\n      två\n# mitt i\n    certainty: {level: låg}\n  - statement: b\n"
    "    studies: [1,\n      2]\n",
    # a flow mapping over several lines, a plain scalar over several lines
    "search: {databases: [A, B],\n  date: \"2020-01-01\"}\nquestion: en fråga\n  som fortsätter\n",
    # a merge key, quoted keys and complex keys: not plain keys, parsed whole
    "base: {a: 1}\n<<: {b: 2}\nb: 3\n",
    "\"quoted key\": 1\nplain: 2\n",
    "? complex\n: value\nplain: 2\n",
    # items at the key's own indent and a sequence that is not one
    "list:\n- a\n- b\nother:\n  key: v\n  - nope\n",
    "findings:\n  - a\n - b\n",
    "x:\n  - a\n  -b\n",
    "x: [a,\n- b]\n",
]


@pytest.mark.parametrize("head", HEADS)
def test_blockwise_parse_reads_what_the_whole_parse_reads(head: str) -> None:
    """Old versions are parsed block by block (shared blocks once); the values and their order must not change."""
    text = f"---\n{head}---\n\nBrödtext\n"
    try:
        expected = yaml.load(head, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        expected = None
    memo: dict = {}
    for _ in range(2):  # the second time from the memo: shared blocks must come back equal and unshared
        got = read_front_matter(text, memo)
        if expected is None or not isinstance(expected, dict):
            assert got is None
            continue
        assert got is not None
        assert got[0] == expected and list(got[0]) == list(expected)
        assert got[1:] == read_front_matter(text)[1:]
        for value in got[0].values():
            if isinstance(value, list | dict):
                value.clear()  # a caller changing one version's value must not change another's


def test_blockwise_parse_over_versions_equals_a_parse_of_each() -> None:
    """Five versions that each change one finding: the memo's result equals each version parsed alone."""
    texts = []
    for v in range(1, 6):
        findings = "".join(finding(f"Fynd {i}", "låg" if i != v else "hög") for i in range(1, 7))
        texts.append(TEMPLATE.format(status="publicerad", version=f"{v}.0", findings=findings))
    memo: dict = {}
    for text in texts:
        got = read_front_matter(text, memo)
        assert got is not None and got == read_front_matter(text)
    assert len(memo) < 5 * 12  # blocks and findings shared by the versions were parsed once


@pytest.mark.parametrize("text", [
    "---\na: 1\n---\nbody", "---\na: 1\n--- \nbody", "---\na: 1\n...\nbody", "---\na: 1\n----\nb: 2\n---\nx",
    "---\na: |\n  ---x\n---\n", "---\na: 1\n---", "---\na: 1\n", "---\na: 1\n.. .\n---\n\n", "---\n---\n",
])
def test_the_closing_fence_is_found_where_the_regex_finds_it(text: str) -> None:

    match = FENCE.search(text, 4)
    assert fence_end(text) == ((match.start(), match.end()) if match else None)
