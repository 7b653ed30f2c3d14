"""Posters and backgrounds drawn with Pillow, and the resizing ``/photo/:/transcode`` does.

Images are a pure function of their caption and kind, so every run serves the same bytes (handy for
caching tests); they are kept in memory once drawn.
"""

from __future__ import annotations

import hashlib
import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

POSTER = (400, 600)
ART = (960, 540)


def _colors(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    digest = hashlib.sha256(seed.encode()).digest()
    top = (40 + digest[0] % 150, 40 + digest[1] % 150, 40 + digest[2] % 150)
    bottom = (digest[3] % 60, digest[4] % 60, digest[5] % 60)
    return top, bottom


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow built without FreeType: fixed-size bitmap font
        return ImageFont.load_default()


@lru_cache(maxsize=512)
def draw(caption: str, subtitle: str, kind: str) -> bytes:
    """JPEG bytes of a poster (``kind="thumb"``) or background (``"art"``) for a title."""
    width, height = POSTER if kind == "thumb" else ART
    top, bottom = _colors(f"{kind}:{caption}")
    img = Image.new("RGB", (width, height), top)
    pen = ImageDraw.Draw(img)
    for y in range(height):  # vertical gradient
        t = y / max(1, height - 1)
        pen.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    pen.rectangle([12, 12, width - 13, height - 13], outline=(255, 255, 255), width=3)
    title_font, small_font = _font(width // 12), _font(width // 20)
    y = height // 3
    for line in textwrap.wrap(caption, width=16 if kind == "thumb" else 28)[:5]:
        pen.text((width // 2, y), line, fill=(255, 255, 255), font=title_font, anchor="mm")
        y += width // 10
    if subtitle:
        pen.text((width // 2, height - height // 8), subtitle, fill=(230, 230, 230), font=small_font, anchor="mm")
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


def transcode(data: bytes, width: int, height: int, *, min_size: bool, upscale: bool, fmt: str,
              quality: int | None = None) -> bytes:
    """Resize like PMS: ``min_size`` fills the box (one side may overflow), else fits inside it."""
    img = Image.open(io.BytesIO(data))
    img.load()
    scale_w, scale_h = width / img.width, height / img.height
    scale = max(scale_w, scale_h) if min_size else min(scale_w, scale_h)
    if not upscale:
        scale = min(scale, 1.0)
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    img = img.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if fmt == "png":
        img.save(out, format="PNG")
    else:
        q = 85 if quality is None or quality < 0 else max(1, min(95, round(quality * 95 / 127)))
        img.save(out, format="JPEG", quality=q)
    return out.getvalue()
