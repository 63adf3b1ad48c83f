"""Pagefind's output made canonical: same search data, same bytes every build."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from kop.site.pagefind_stable import SIGNATURE, _encode, cbor_bytes, read_cbor, stabilise
from tests.site.corpora import tree


def write(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(SIGNATURE + _encode(value)))


def make_bundle(root: Path, order: list[int]) -> Path:
    values = [["stark", [1]], ["medel", [2, 3]], ["svag", [300]]]
    write(root / "filter" / "sv_aaaaaaa.pf_filter", ["strength", [values[i] for i in order]])
    write(root / "filter" / "sv_bbbbbbb.pf_filter", ["year", [["2024", [1, 2]]]])
    filters = [["strength", "sv_aaaaaaa"], ["year", "sv_bbbbbbb"]]
    listed = filters if order[0] == 0 else filters[::-1]
    write(root / "pagefind.sv_0123456789.pf_meta", ["1.5.2", [["sv_x", 1]], [], listed, []])
    (root / "pagefind-entry.json").write_text(
        '{"version":"1.5.2","languages":{"sv":{"hash":"sv_0123456789","wasm":"sv","page_count":3}}}', encoding="utf-8")
    return root


def test_two_orders_give_identical_bytes(tmp_path):
    a = make_bundle(tmp_path / "a", [0, 1, 2])
    b = make_bundle(tmp_path / "b", [2, 0, 1])
    assert tree(a) != tree(b)
    stabilise(a)
    stabilise(b)
    assert tree(a) == tree(b)


def test_references_follow_renamed_files(tmp_path):
    bundle = make_bundle(tmp_path / "a", [1, 2, 0])
    stabilise(bundle)
    import json

    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_name = entry["languages"]["sv"]["hash"]
    meta = read_cbor(bundle / f"pagefind.{meta_name}.pf_meta")
    listed = {name: file_hash for name, file_hash in meta[3]}
    assert sorted(listed) == ["strength", "year"]
    for name, file_hash in listed.items():
        content = read_cbor(bundle / "filter" / f"{file_hash}.pf_filter")
        assert content[0] == name
    strength = read_cbor(bundle / "filter" / f"{listed['strength']}.pf_filter")
    assert [v[0] for v in strength[1]] == ["medel", "stark", "svag"]
    assert strength[1][2][1] == [300]  # page numbers survive the round trip


def test_encoder_round_trips_real_pagefind_output(tmp_path):
    """Run the real Pagefind on a tiny site; decoding and re-encoding must give the same bytes."""
    import subprocess

    from kop.site.search_index import pagefind_executable

    site = tmp_path / "site"
    site.mkdir()
    for i, area in enumerate(["barn och unga", "äldreomsorg", "socialpsykiatri"]):
        (site / f"p{i}.html").write_text(
            f'<html lang="sv"><body><main data-pagefind-body><h1>Sida {i}</h1><p>samverkan</p>'
            f'<span data-pagefind-filter="area">{area}</span></main></body></html>', encoding="utf-8")
    subprocess.run([str(pagefind_executable()), "--site", str(site), "--silent"], check=True, timeout=120)
    files = list((site / "pagefind").rglob("*.pf_filter")) + list((site / "pagefind").glob("*.pf_meta"))
    assert files
    for path in files:
        raw = gzip.decompress(path.read_bytes())
        assert SIGNATURE + _encode(read_cbor(path)) == raw
    copy = tmp_path / "copy"
    shutil.copytree(site / "pagefind", copy)
    stabilise(site / "pagefind")
    stabilise(copy)
    assert tree(site / "pagefind") == tree(copy)
    assert cbor_bytes(["x"]) == cbor_bytes(["x"])
