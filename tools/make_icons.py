"""Draw Footcare's PNG icons (the foot of static/img/icon.svg) without any
image library, and write them to static/img/. Run once after changing the
artwork: `python3 tools/make_icons.py`; the PNGs are committed.

- icon-192.png, icon-512.png: the round icon on a transparent background.
- icon-maskable-512.png: full-bleed green with the foot inside the safe zone
  (the middle 80%), so launchers can cut any shape out of it.
- apple-touch-icon.png (180 px): full-bleed too; iOS fills transparency black.
"""

import struct
import zlib
from pathlib import Path

GREEN = (0x0B, 0x6E, 0x4F)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # per axis: 16 samples a pixel smooth the edges
OUT = Path(__file__).resolve().parent.parent / "static" / "img"

# The foot in icon.svg's 32x32 units: (cx, cy, rx, ry) ellipses.
FOOT = [
    (16, 19, 6, 8),
    (11, 8, 2, 2),
    (15, 7, 2, 2),
    (19, 7.5, 1.8, 1.8),
    (22, 9, 1.5, 1.5),
]


def inside(x, y, shape):
    cx, cy, rx, ry = shape
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1


def colour_at(x, y, full_bleed, scale):
    """RGBA at a point in 32-unit coordinates, or None where transparent."""
    # Scale the artwork about the centre (the maskable icon shrinks the foot).
    fx, fy = 16 + (x - 16) / scale, 16 + (y - 16) / scale
    if any(inside(fx, fy, shape) for shape in FOOT):
        return WHITE
    if full_bleed or inside(x, y, (16, 16, 15, 15)):
        return GREEN
    return None


def draw(size, full_bleed=False, scale=1.0):
    rows = []
    step = 32 / size / SAMPLES
    for py in range(size):
        row = bytearray([0])  # PNG filter type 0 (none) for this row
        for px in range(size):
            r = g = b = a = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px * SAMPLES + sx + 0.5) * step
                    y = (py * SAMPLES + sy + 0.5) * step
                    c = colour_at(x, y, full_bleed, scale)
                    if c:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            n = SAMPLES * SAMPLES
            if a:
                row += bytes((r // a, g // a, b // a, 255 * a // n))
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    for name, size, options in [
        ("icon-192.png", 192, {}),
        ("icon-512.png", 512, {}),
        ("icon-maskable-512.png", 512, {"full_bleed": True, "scale": 0.7}),
        ("apple-touch-icon.png", 180, {"full_bleed": True, "scale": 0.8}),
    ]:
        (OUT / name).write_bytes(draw(size, **options))
        print(f"wrote static/img/{name}")
