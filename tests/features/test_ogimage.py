"""Link-preview cards: drawn on every core when many are missing, the same bytes as one by one, cached."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kop.features.preview_cards import MIN_PARALLEL_CARDS, card

REPO = Path(__file__).resolve().parents[2]

_PARALLEL = """
import sys
from pathlib import Path
from kop.core.cores import can_fork
from kop.features.preview_cards import MIN_PARALLEL_CARDS, cards, draw_card

assert can_fork()  # a fresh process: the pool is really used
cache = Path(sys.argv[1])
texts = [(f"Översikt {i}: samverkan kring barn", f"KUNSKAPSÖVERSIKT · kop-2024-{i:03d}", "KÖP") for i in
         range(MIN_PARALLEL_CARDS + 4)]
assert cards(texts, cache) == [draw_card(*t) for t in texts]
assert len(list((cache / "og").glob("*.png"))) == len(texts)
print("ok")
"""


def test_cards_drawn_in_parallel_are_the_cards_drawn_one_by_one(tmp_path: Path):
    out = subprocess.run([sys.executable, "-c", _PARALLEL, str(tmp_path)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO / "scripts"), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "ok", out.stderr


def test_a_cached_card_is_read_not_drawn(tmp_path: Path):
    first = card("Titel", "KUNSKAPSÖVERSIKT · kop-2024-001", "KÖP", tmp_path)
    (cached,) = (tmp_path / "og").glob("*.png")
    cached.write_bytes(b"from the cache")
    assert card("Titel", "KUNSKAPSÖVERSIKT · kop-2024-001", "KÖP", tmp_path) == b"from the cache"
    assert first.startswith(b"\x89PNG") and MIN_PARALLEL_CARDS > 1
