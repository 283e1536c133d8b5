"""Draw aslgraph's favicon (a small graph: three nodes, three edges, on a rounded square) as SVG
and as an ICO of PNG images, from one description of the shapes. Python standard library only.

    python scripts/make_favicon.py          # write favicon.svg and favicon.ico
    python scripts/make_favicon.py --check  # exit 1 if the committed files differ

The ICO is rasterised here (4x4 supersampling per pixel), so the two files show the same glyph;
zlib's output may differ between zlib builds, so ``--check`` compares the decoded pixels of the
ICO, not its bytes.
"""

from __future__ import annotations

import argparse
import math
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "src" / "aslgraph" / "api" / "static" / "site"
SIZES = (16, 32, 48)
VIEW = 32.0
"""The drawing's coordinates run from 0 to VIEW on both axes."""

BACKGROUND = (0x1D, 0x35, 0x57)
EDGE = (0xA8, 0xDA, 0xDC)
NODE = (0xF1, 0xFA, 0xEE)
ACCENT = (0xF4, 0xA2, 0x61)

CORNER = 7.0
NODES = ((16.0, 8.0), (7.5, 23.0), (24.5, 23.0))
RADIUS = 4.0
EDGE_WIDTH = 2.5

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Shape:
    """A filled shape: ``inside(x, y)`` in drawing coordinates."""

    colour: Colour

    def inside(self, x: float, y: float) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class RoundedSquare(Shape):
    corner: float

    def inside(self, x: float, y: float) -> bool:
        cx = min(max(x, self.corner), VIEW - self.corner)
        cy = min(max(y, self.corner), VIEW - self.corner)
        return math.hypot(x - cx, y - cy) <= self.corner


@dataclass(frozen=True)
class Line(Shape):
    start: tuple[float, float]
    end: tuple[float, float]
    width: float

    def inside(self, x: float, y: float) -> bool:
        (ax, ay), (bx, by) = self.start, self.end
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= self.width / 2


@dataclass(frozen=True)
class Circle(Shape):
    centre: tuple[float, float]
    radius: float

    def inside(self, x: float, y: float) -> bool:
        return math.hypot(x - self.centre[0], y - self.centre[1]) <= self.radius


def shapes() -> list[Shape]:
    """The glyph, back to front."""
    top, left, right = NODES
    drawn: list[Shape] = [RoundedSquare(BACKGROUND, CORNER)]
    drawn += [Line(EDGE, a, b, EDGE_WIDTH) for a, b in ((top, left), (top, right), (left, right))]
    drawn += [Circle(ACCENT if node == top else NODE, node, RADIUS) for node in NODES]
    return drawn


def _hex(colour: Colour) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def svg() -> str:
    """The glyph as SVG (no script, no external reference)."""
    body = []
    for shape in shapes():
        fill = _hex(shape.colour)
        if isinstance(shape, RoundedSquare):
            body.append(
                f'<rect width="{VIEW:g}" height="{VIEW:g}" rx="{shape.corner:g}" fill="{fill}"/>'
            )
        elif isinstance(shape, Line):
            (x1, y1), (x2, y2) = shape.start, shape.end
            body.append(
                f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{fill}" '
                f'stroke-width="{shape.width:g}" stroke-linecap="round"/>'
            )
        elif isinstance(shape, Circle):
            (cx, cy) = shape.centre
            body.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{shape.radius:g}" fill="{fill}"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW:g} {VIEW:g}">'
        "<title>aslgraph</title>" + "".join(body) + "</svg>\n"
    )


def raster(size: int, samples: int = 4) -> bytes:
    """RGBA pixels, row by row, of the glyph at ``size`` x ``size``."""
    drawn = shapes()
    out = bytearray()
    step = VIEW / size
    for row in range(size):
        for col in range(size):
            r = g = b = a = 0.0
            for sy in range(samples):
                for sx in range(samples):
                    x = (col + (sx + 0.5) / samples) * step
                    y = (row + (sy + 0.5) / samples) * step
                    hit = next((s for s in reversed(drawn) if s.inside(x, y)), None)
                    if hit is not None:
                        r, g, b, a = r + hit.colour[0], g + hit.colour[1], b + hit.colour[2], a + 1
            n = samples * samples
            if a:
                out += bytes((round(r / a), round(g / a), round(b / a), round(255 * a / n)))
            else:
                out += bytes(4)
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(size: int, pixels: bytes) -> bytes:
    """An RGBA PNG of ``pixels`` (no filtering, one IDAT chunk)."""
    rows = b"".join(b"\0" + pixels[i * size * 4 : (i + 1) * size * 4] for i in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file holding one PNG per size (a form every current browser reads)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    directory, data = b"", b""
    for size, image in sorted(images.items()):
        directory += struct.pack(
            "<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset + len(data)
        )
        data += image
    return header + directory + data


def read_ico(body: bytes) -> dict[int, bytes]:
    """The RGBA pixels of each PNG image of an ICO this script writes (raises ValueError)."""
    reserved, kind, count = struct.unpack_from("<HHH", body, 0)
    if (reserved, kind) != (0, 1):
        raise ValueError("not an ICO file")
    found: dict[int, bytes] = {}
    for index in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", body, 6 + 16 * index)
        image = body[offset : offset + length]
        if not image.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValueError("an image of the ICO is not a PNG")
        size = width or 256
        idat, position = b"", 8
        while position < len(image):
            (length_,) = struct.unpack_from(">I", image, position)
            chunk = image[position + 4 : position + 8]
            if chunk == b"IDAT":
                idat += image[position + 8 : position + 8 + length_]
            position += 12 + length_
        rows = zlib.decompress(idat)
        stride = size * 4 + 1
        found[size] = b"".join(rows[i * stride + 1 : (i + 1) * stride] for i in range(size))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files")
    args = parser.parse_args(argv)
    pixels = {size: raster(size) for size in SIZES}
    svg_path, ico_path = SITE / "favicon.svg", SITE / "favicon.ico"
    if args.check:
        same_svg = svg_path.read_text(encoding="utf-8") == svg()
        same_ico = read_ico(ico_path.read_bytes()) == pixels
        for path, same in ((svg_path, same_svg), (ico_path, same_ico)):
            if not same:
                print(f"{path.relative_to(ROOT)} differs from the drawing", file=sys.stderr)
        return 0 if same_svg and same_ico else 1
    SITE.mkdir(parents=True, exist_ok=True)
    svg_path.write_text(svg(), encoding="utf-8")
    ico_path.write_bytes(ico({size: png(size, p) for size, p in pixels.items()}))
    print(f"wrote {svg_path.relative_to(ROOT)} and {ico_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
