"""Preview cards (issue 18): drawn only when their inputs change, and examples say so in the image and its alt text."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from kop.core.model import Overview
from kop.features import preview_cards
from kop.features.preview_cards import ACCENT, BACKGROUND, SIZE, TEXT, cards, draw_card
from kop.render.headmeta import overview_head

TEXTS = ("Samverkan kring barn i familjehem", "KUNSKAPSÖVERSIKT · kop-2024-001", "KÖP")
BADGE_AREA = (SIZE[0] - 420, 0, SIZE[0], 160)  # top right, where an example's "EXEMPEL" badge is


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.size == SIZE
    return image.convert("RGB")


def _share(image: Image.Image, colour: tuple[int, int, int], box: tuple[int, int, int, int]) -> float:
    region = image.crop(box)
    counts = {c: n for n, c in region.getcolors(region.width * region.height)}
    return counts.get(colour, 0) / (region.width * region.height)


def test_an_example_card_shows_a_large_exempel_badge_and_a_plain_card_does_not():
    plain, example = _image(draw_card(*TEXTS)), _image(draw_card(*TEXTS, example=True))
    assert _share(example, ACCENT, BADGE_AREA) > 0.15, "a solid yellow badge, top right"
    assert _share(example, BACKGROUND, BADGE_AREA) > 0.3, "with the word written in the background's colour"
    assert _share(plain, ACCENT, BADGE_AREA) == 0 and _share(plain, BACKGROUND, BADGE_AREA) == 1
    sentence_row = (80, SIZE[1] - 160, SIZE[0] - 80, SIZE[1] - 100)  # "Demonstrationsexempel – inte en riktig …"
    assert _share(example, ACCENT, sentence_row) > 0.01 and _share(plain, ACCENT, sentence_row) == 0


def test_cards_use_only_the_three_inks_and_their_blends():
    image = _image(draw_card(*TEXTS, example=True))
    colours = {colour for _, colour in image.getcolors(SIZE[0] * SIZE[1])}
    assert {BACKGROUND, ACCENT, TEXT} <= colours
    for colour in colours:  # every anti-aliased pixel lies between the background and one ink
        on_white = all(min(b, t) <= c <= max(b, t) for b, t, c in zip(BACKGROUND, TEXT, colour, strict=True))
        on_yellow = all(min(b, a) <= c <= max(b, a) for b, a, c in zip(BACKGROUND, ACCENT, colour, strict=True))
        assert on_white or on_yellow, colour


def test_a_card_is_drawn_again_only_when_its_inputs_change(tmp_path: Path):
    first = cards([TEXTS], tmp_path)[0]
    (cached,) = (tmp_path / "og").glob("*.png")
    cached.write_bytes(b"from the cache")
    assert cards([TEXTS], tmp_path) == [b"from the cache"], "the same inputs: read, not drawn"
    example = cards([(*TEXTS, True)], tmp_path)[0]
    assert example not in (first, b"from the cache") and len(list((tmp_path / "og").glob("*.png"))) == 2
    assert cards([(*TEXTS, False)], tmp_path) == [b"from the cache"], "example=False is the plain card"
    renamed = cards([("Ny titel", *TEXTS[1:])], tmp_path)[0]
    assert renamed.startswith(b"\x89PNG") and len(list((tmp_path / "og").glob("*.png"))) == 3



def test_a_change_to_the_drawing_code_draws_every_card_again(tmp_path: Path, monkeypatch):
    cards([TEXTS], tmp_path)
    (cached,) = (tmp_path / "og").glob("*.png")
    cached.write_bytes(b"drawn by the old code")
    assert cards([TEXTS], tmp_path) == [b"drawn by the old code"]
    monkeypatch.setattr(preview_cards, "renderer_fingerprint", lambda: "other code")
    redrawn = cards([TEXTS], tmp_path)[0]
    assert redrawn.startswith(b"\x89PNG"), "a kept card is not served to new drawing code"


def _overview(example: bool) -> Overview:
    meta = {"id": "kop-2024-001", "title": TEXTS[0], "summary": "Kort sammanfattning.", "published": "2024-03-15"}
    if example:
        meta["example"] = True
    return Overview(Path("a.md"), "a", meta, "", 1)


def _alt(example: bool) -> dict[str, str]:
    head = overview_head(_overview(example), page_url="https://kop.example.org/oversikter/a/",
                         permalink_url="https://kop.example.org/k/kop-2024-001/",
                         image_url="https://kop.example.org/oversikter/a/forhandsvisning.png", site_name="KÖP",
                         publisher="KÖP")
    tags = [tag for group in head.values() if isinstance(group, list) for tag in group if isinstance(tag, dict)]
    return {tag.get("property") or tag.get("name"): tag["content"] for tag in tags
            if (tag.get("property") or tag.get("name", "")).endswith("image:alt")}


def test_an_example_cards_alt_text_says_it_is_an_example():
    example, plain = _alt(True), _alt(False)
    assert set(example) == {"og:image:alt", "twitter:image:alt"}, example
    assert all(text.startswith("Exempel: ") for text in example.values()), example
    assert all("Exempel" not in text for text in plain.values()), plain
