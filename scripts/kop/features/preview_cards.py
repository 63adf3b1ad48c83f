"""Link-preview images (Open Graph / Twitter Card) drawn at build time with Pillow, offline.

One 1200×630 PNG per overview with its title, id and the site name; a demonstration
example (``example: true``) also gets a large "EXEMPEL" badge and the sentence that it is
not a real overview, since a link preview in e-mail or Teams shows no page banner. Fonts:
DejaVu Sans or Liberation Sans from the system (Debian's fonts-dejavu-core /
fonts-liberation) when present. Pillow's built-in scalable font
(``ImageFont.load_default(size=…)``) works offline too but has no å, ä or ö (they come out
as boxes), so with it the text is written without diacritics rather than with broken glyphs.

The image depends only on its texts, the example flag and the font, so it is cached on disk
by a hash of them and drawn again only when one of them changes. Drawing is fast because
the card has only two inks on one background: the text is drawn as two grey masks (white
ink, yellow ink) and written as a palette PNG (one byte a pixel instead of three), which
takes about a third of the time of an RGB PNG and is a third of its size.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported when a card is drawn: `kop check` never needs it
    from PIL import ImageDraw, ImageFont

from kop.core.cores import fork_starmap, worker_count
from kop.core.fsutil import write_atomic
from kop.core.model import Overview
from kop.core.results import CheckResult
from kop.core.urls import is_withdrawn, on_site, overview_url
from kop.features.base import BaseFeature, BuildContext, Files
from kop.render.headmeta import OG_IMAGE_NAME
from kop.render.marks import is_example

SIZE = (1200, 630)
BACKGROUND = (40, 53, 147)  # indigo 800: white text on it has a contrast ratio above 10:1
ACCENT = (255, 213, 79)
TEXT = (255, 255, 255)
MARGIN = 80
RENDERER_VERSION = "3"


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """What a card's pixels depend on besides its text and font: this module's code and Pillow.

    A kept card is served while this is unchanged, so a change to the drawing needs no
    manual bump of :data:`RENDERER_VERSION` to reach every card.
    """
    from PIL import __version__ as pillow

    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return f"{RENDERER_VERSION}|{code}|pillow-{pillow}"

FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)


@lru_cache(maxsize=1)
def font_files() -> tuple[str, str] | None:
    """(bold, regular) system font files, or None to use Pillow's built-in font."""
    for bold, regular in FONT_CANDIDATES:
        if Path(bold).is_file() and Path(regular).is_file():
            return bold, regular
    return None


EXAMPLE_BADGE = "EXEMPEL"
EXAMPLE_LINE = "Demonstrationsexempel – inte en riktig kunskapsöversikt"


@lru_cache(maxsize=1)
def _fonts() -> tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont, ImageFont.FreeTypeFont]:
    from PIL import ImageFont

    """(title, small, badge) fonts, loaded once per process."""
    files = font_files()
    if files:
        return (ImageFont.truetype(files[0], 60), ImageFont.truetype(files[1], 32),
                ImageFont.truetype(files[0], 44))
    return (ImageFont.load_default(size=60), ImageFont.load_default(size=32),  # type: ignore[return-value]
            ImageFont.load_default(size=44))


def _blend(ink: tuple[int, int, int], level: int) -> tuple[int, int, int]:
    return tuple(round(b + (i - b) * level / 127) for b, i in zip(BACKGROUND, ink, strict=True))  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    """Entries 0–127: background to white; 128–255: background to yellow (anti-aliasing steps)."""
    colours = [_blend(TEXT, i) for i in range(128)] + [_blend(ACCENT, i) for i in range(128)]
    return [channel for colour in colours for channel in colour]


def _plain(text: str) -> str:
    """Drop diacritics (å → a) for the built-in font, which has no glyphs for them."""
    if font_files():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last + " …"
    return lines


def draw_card(title: str, kicker: str, footer: str, example: bool = False) -> bytes:
    """Draw one preview card and return PNG bytes (deterministic for the same text)."""
    big, small, badge = _fonts()
    title, kicker, footer = _plain(title), _plain(kicker), _plain(footer)
    from PIL import Image, ImageChops, ImageDraw

    white = Image.new("L", SIZE, 0)  # how much white ink each pixel has
    yellow = Image.new("L", SIZE, 0)
    draw_white, draw_yellow = ImageDraw.Draw(white), ImageDraw.Draw(yellow)
    draw_yellow.rectangle((0, 0, 24, SIZE[1]), fill=255)
    draw_yellow.text((MARGIN, MARGIN), kicker, font=small, fill=255)
    y = MARGIN + 80
    lines = 3 if example else 4
    for line in _wrap(draw_white, title, big, SIZE[0] - 2 * MARGIN, lines):
        draw_white.text((MARGIN, y), line, font=big, fill=255)
        y += 78
    if example:
        # A yellow badge with the word in the background's colour, top right, and the sentence in words.
        word = _plain(EXAMPLE_BADGE)
        left, top, right, bottom = draw_yellow.textbbox((0, 0), word, font=badge)
        pad = 18
        box = (SIZE[0] - MARGIN - (right - left) - 2 * pad, MARGIN - 30, SIZE[0] - MARGIN, MARGIN - 30 + (bottom - top)
               + 2 * pad)
        draw_yellow.rounded_rectangle(box, radius=12, fill=255)
        draw_yellow.text((box[0] + pad - left, box[1] + pad - top), word, font=badge, fill=0)
        draw_yellow.text((MARGIN, SIZE[1] - MARGIN - 80), _plain(EXAMPLE_LINE), font=small, fill=255)
    draw_white.text((MARGIN, SIZE[1] - MARGIN - 20), footer, font=small, fill=255)
    # One palette index a pixel: white ink in 0-127, yellow ink (which never overlaps it) in 128-255.
    index = ImageChops.lighter(white.point([v >> 1 for v in range(256)]),
                               yellow.point([0] + [128 + (v >> 1) for v in range(1, 256)]))
    image = Image.frombytes("P", SIZE, index.tobytes())
    image.putpalette(_palette())
    out = io.BytesIO()
    image.save(out, format="PNG")  # optimize=True costs 2.5x the time for 6 % fewer bytes
    return out.getvalue()


def card(title: str, kicker: str, footer: str, cache_dir: Path | None = None, example: bool = False) -> bytes:
    """:func:`draw_card`, cached on disk by a hash of its inputs."""
    return cards([(title, kicker, footer, example) if example else (title, kicker, footer)], cache_dir)[0]


MIN_PARALLEL_CARDS = 16  # below this, forking costs more than it saves


def cards(texts: list[tuple], cache_dir: Path | None = None) -> list[bytes]:
    """One card per (title, kicker, footer[, example]): from the cache, or drawn on every core and cached.

    Drawing (mostly PNG compression, about 15 ms a card) was the largest cost of a build
    without a cache on the large benchmark corpus (1,000 overviews).
    """
    font = "|".join(font_files() or ("pillow-default",))
    paths: list[Path | None] = []
    out: list[bytes | None] = []
    for text in texts:
        parts = [str(part) for part in text[:3]] + (["example"] if len(text) > 3 and text[3] else [])
        key = hashlib.sha256("\x00".join((renderer_fingerprint(), font, *parts)).encode("utf-8")).hexdigest()
        cached = cache_dir / "og" / f"{key}.png" if cache_dir else None
        paths.append(cached)
        out.append(cached.read_bytes() if cached and cached.is_file() else None)
    missing = [i for i, data in enumerate(out) if data is None]
    drawn = fork_starmap(draw_card, [texts[i] for i in missing], worker_count(len(missing), MIN_PARALLEL_CARDS),
                         chunksize=8)
    for i, data in zip(missing, drawn, strict=True):
        out[i] = data
        cached = paths[i]
        if cached:
            write_atomic(cached, data)
    return [data for data in out if data is not None]


def _pictured(overviews: list[Overview]) -> list[Overview]:
    return [ov for ov in on_site(overviews) if not is_withdrawn(ov)]


class PreviewCardsFeature(BaseFeature):
    """A preview image (Open Graph card) per overview, drawn from its title."""

    name = "preview-cards"

    def addresses(self, result: CheckResult) -> set[str]:
        return {f"{overview_url(ov)}{OG_IMAGE_NAME}" for ov in _pictured(result.overviews)}

    def files(self, ctx: BuildContext) -> Files:
        pictured = _pictured(ctx.result.overviews)
        images = cards([(str(ov.meta.get("title")), f"KUNSKAPSÖVERSIKT · {ov.meta.get('id')}", ctx.site_name,
                         is_example(ov.meta)) for ov in pictured], ctx.result.project.cache_dir)
        return {f"{overview_url(ov)}{OG_IMAGE_NAME}": image for ov, image in zip(pictured, images, strict=True)}
