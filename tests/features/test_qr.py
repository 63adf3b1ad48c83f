"""QR codes for posters: decoded back to the seminar's address with zbar (Debian's zbar-tools)."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from kop.features.seminars import qr
from tests.linksite import link_site_fixture  # noqa: F401  (session fixture)

URL = "https://kop.example.org/seminarier/kommande-seminarium/"


def zbar(path: Path) -> str:
    exe = shutil.which("zbarimg")
    if exe is None:
        pytest.fail("zbarimg saknas: kör scripts/install-system-deps.sh (make test gör det)")
    proc = subprocess.run([exe, "--raw", "-q", str(path)], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.mark.slow
def test_built_png_decodes_to_the_seminar_address(link_site):
    png = link_site / "site" / "seminarier" / "kommande-seminarium" / "qr.png"
    assert zbar(png) == URL
    with Image.open(png) as img:
        assert img.width >= 300  # sharp enough to print on a poster


@pytest.mark.slow
def test_built_svg_decodes_to_the_same_address(link_site, tmp_path):
    """zbar cannot read SVG: rasterise its modules with Pillow (no extra tools) and decode that."""
    svg = link_site / "site" / "seminarier" / "kommande-seminarium" / "qr.svg"
    root = ET.parse(svg).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.findtext(f"{ns}title") == "QR-kod: Testseminarium om samverkan"
    assert root.findtext(f"{ns}desc") == URL
    size = int(root.get("width")) // 8
    path = next(p for p in root.iter(f"{ns}path") if p.get("stroke") == "#000").get("d")
    img = Image.new("1", (size, size), 1)
    x = y = 0.0
    tokens = re.findall(r"[Mmhv]|-?\d+(?:\.\d+)?", path)  # segno's line style writes M, m, h (and v)
    i = 0
    while i < len(tokens):
        cmd = tokens[i]
        if cmd in "Mm":
            dx, dy = float(tokens[i + 1]), float(tokens[i + 2])
            x, y = (dx, dy) if cmd == "M" else (x + dx, y + dy)
            i += 3
        elif cmd == "h":
            length = float(tokens[i + 1])
            for col in range(int(min(x, x + length)), int(max(x, x + length))):
                img.putpixel((col, int(y - 0.5)), 0)
            x += length
            i += 2
        else:  # v (not used by segno's line style, but handle it)
            y += float(tokens[i + 1])
            i += 2
    out = tmp_path / "svg.png"
    img.resize((size * 10, size * 10), Image.NEAREST).save(out)
    assert zbar(out) == URL


def test_qr_functions_round_trip(tmp_path):
    target = tmp_path / "code.png"
    target.write_bytes(qr.png("https://kop.example.org/seminarier/å-ä-ö/"))
    assert zbar(target) == "https://kop.example.org/seminarier/å-ä-ö/"
    assert qr.png(URL) == qr.png(URL) and qr.svg(URL, "t") == qr.svg(URL, "t")  # reproducible
