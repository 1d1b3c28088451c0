"""Render a `tmux capture-pane -e -p` dump (text with SGR colour codes) to a PNG.

    python render_ansi.py screen.ansi out.png [--cols 100] [--rows 30]

Handles the SGR codes tmux emits: reset, bold, dim, italic, underline,
reverse, 16/256/RGB foreground and background (';' or ':' separated).
Needs Pillow and the DejaVu Sans Mono font (Debian: fonts-dejavu-core).
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_SIZE = 16
DEFAULT_FG = (224, 226, 234)
DEFAULT_BG = (20, 22, 27)

# xterm's 16 base colours.
BASE16 = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
    (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
]  # fmt: skip

Color = tuple[int, int, int]


def xterm256(n: int) -> Color:
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    level = 8 + (n - 232) * 10
    return level, level, level


@dataclass(frozen=True)
class Style:
    fg: Color | None = None
    bg: Color | None = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False


def _colour(params: list[int], i: int) -> tuple[Color | None, int]:
    """Parse the colour after a 38/48 at params[i]; return it and the next index."""
    if i + 1 < len(params) and params[i + 1] == 5 and i + 2 < len(params):
        return xterm256(params[i + 2]), i + 3
    if i + 1 < len(params) and params[i + 1] == 2 and i + 4 < len(params):
        r, g, b = params[i + 2 : i + 5]
        return (r, g, b), i + 5
    return None, len(params)


def apply_sgr(style: Style, raw: str) -> Style:
    # tmux may write 38:2::r:g:b; treat ':' like ';' and drop the empty colour-space id.
    raw = re.sub(r"(38|48):2::", r"\1;2;", raw).replace(":", ";")
    params = [int(p) if p else 0 for p in raw.split(";")] if raw else [0]
    i = 0
    while i < len(params):
        p = params[i]
        if p == 0:
            style = Style()
        elif p == 1:
            style = replace(style, bold=True)
        elif p == 2:
            style = replace(style, dim=True)
        elif p == 3:
            style = replace(style, italic=True)
        elif p in (4, 21):
            style = replace(style, underline=True)
        elif p == 7:
            style = replace(style, reverse=True)
        elif p == 22:
            style = replace(style, bold=False, dim=False)
        elif p == 23:
            style = replace(style, italic=False)
        elif p == 24:
            style = replace(style, underline=False)
        elif p == 27:
            style = replace(style, reverse=False)
        elif 30 <= p <= 37:
            style = replace(style, fg=BASE16[p - 30])
        elif 90 <= p <= 97:
            style = replace(style, fg=BASE16[p - 90 + 8])
        elif 40 <= p <= 47:
            style = replace(style, bg=BASE16[p - 40])
        elif 100 <= p <= 107:
            style = replace(style, bg=BASE16[p - 100 + 8])
        elif p == 39:
            style = replace(style, fg=None)
        elif p == 49:
            style = replace(style, bg=None)
        elif p in (38, 48):
            colour, i = _colour(params, i)
            style = replace(style, fg=colour) if p == 38 else replace(style, bg=colour)
            continue
        i += 1
    return style


ESC = re.compile(r"\x1b\[([0-9;:]*)([A-Za-z])|\x1b[()][A-Za-z0-9]|\x1b.")


def parse(text: str) -> list[list[tuple[str, Style]]]:
    """Split the dump into rows of (character, style) cells."""
    rows: list[list[tuple[str, Style]]] = []
    style = Style()
    for line in text.split("\n"):
        row: list[tuple[str, Style]] = []
        pos = 0
        for m in ESC.finditer(line):
            row.extend((ch, style) for ch in line[pos : m.start()])
            if m.group(2) == "m":
                style = apply_sgr(style, m.group(1))
            pos = m.end()
        row.extend((ch, style) for ch in line[pos:])
        rows.append(row)
    return rows


def render(text: str, out: Path, cols: int, rows: int) -> None:
    faces = {
        (False, False): "DejaVuSansMono.ttf",
        (True, False): "DejaVuSansMono-Bold.ttf",
        (False, True): "DejaVuSansMono-Oblique.ttf",
        (True, True): "DejaVuSansMono-BoldOblique.ttf",
    }
    fonts = {
        k: ImageFont.truetype(str(FONT_DIR / f), FONT_SIZE) for k, f in faces.items()
    }
    regular = fonts[(False, False)]
    cell_w = round(regular.getlength("M"))
    ascent, descent = regular.getmetrics()
    cell_h = ascent + descent + 2
    pad = 8
    img = Image.new(
        "RGB", (cols * cell_w + 2 * pad, rows * cell_h + 2 * pad), DEFAULT_BG
    )
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(parse(text)[:rows]):
        x = 0
        for ch, st in row:
            if x >= cols:
                break
            width = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            fg, bg = st.fg or DEFAULT_FG, st.bg or DEFAULT_BG
            if st.reverse:
                fg, bg = bg, fg
            if st.dim:
                fg = ((fg[0] + bg[0]) // 2, (fg[1] + bg[1]) // 2, (fg[2] + bg[2]) // 2)
            left, top = pad + x * cell_w, pad + y * cell_h
            draw.rectangle(
                [left, top, left + width * cell_w - 1, top + cell_h - 1], fill=bg
            )
            if ch.strip():
                draw.text(
                    (left, top + 1), ch, font=fonts[(st.bold, st.italic)], fill=fg
                )
            if st.underline:
                base = top + ascent + 2
                draw.line([left, base, left + width * cell_w - 1, base], fill=fg)
            x += width
    img.save(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dump", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--cols", type=int, default=100)
    ap.add_argument("--rows", type=int, default=30)
    args = ap.parse_args()
    render(args.dump.read_text(encoding="utf-8"), args.png, args.cols, args.rows)


if __name__ == "__main__":
    main()
