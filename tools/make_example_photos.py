"""Make the two photos of ``examples/photos/``: drawings made here with Pillow, no real photos.

``rathaus.jpg`` is stored turned on its side with EXIF orientation 6, as a phone writes it,
and carries its caption and credit as IPTC (and its alternative text as XMP), so the release
names it in one line. ``spielplatz.png`` is a PNG with transparent corners (a soft mask in the
PDF). Both are this project's own work, free to use like the rest of the repository.

    .venv/bin/python tools/make_example_photos.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from photo_files import jpeg, png, with_iptc, xmp_packet  # noqa: E402


def town_hall(width: int = 1200, height: int = 800) -> Image.Image:
    image = Image.new("RGB", (width, height), (150, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(height * 0.72), width, height), fill=(90, 150, 70))
    left, right, top = int(width * 0.18), int(width * 0.82), int(height * 0.3)
    draw.rectangle((left, top, right, int(height * 0.75)), fill=(170, 70, 55))
    draw.polygon(
        [(left - 20, top), (width // 2, int(height * 0.12)), (right + 20, top)],
        fill=(80, 60, 60),
    )
    for row in range(3):
        for column in range(6):
            x = left + 40 + column * (right - left - 80) // 6
            y = top + 40 + row * 90
            draw.rectangle((x, y, x + 50, y + 60), fill=(240, 230, 180))
    draw.rectangle(
        (width // 2 - 45, int(height * 0.6), width // 2 + 45, int(height * 0.75)), fill=(60, 40, 30)
    )
    draw.ellipse((width - 190, 40, width - 90, 140), fill=(255, 220, 90))
    return image


def playground(width: int = 900, height: int = 600) -> Image.Image:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=60, fill=(200, 230, 250, 255))
    draw.rectangle((0, int(height * 0.7), width, height), fill=(235, 210, 150, 255))
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=60, outline=None)
    draw.line((200, 420, 300, 120, 400, 420), fill=(40, 90, 160, 255), width=14)
    draw.line((300, 120, 650, 120), fill=(40, 90, 160, 255), width=14)
    draw.line((550, 120, 650, 420), fill=(40, 90, 160, 255), width=14)
    draw.line((470, 125, 470, 330), fill=(60, 60, 60, 255), width=4)
    draw.line((530, 125, 530, 330), fill=(60, 60, 60, 255), width=4)
    draw.rectangle((455, 330, 545, 345), fill=(200, 50, 50, 255))
    # Transparent corners: the mask keeps only the rounded rectangle.
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, width - 1, height - 1), radius=60, fill=255)
    image.putalpha(mask)
    return image


def main() -> None:
    folder = ROOT / "examples" / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    upright = town_hall()
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # orientation 6 turns it back
    xmp = xmp_packet(
        alt="Zeichnung: ein rotes Backsteinrathaus mit Giebel unter blauem Himmel, davor Rasen."
    )
    data = with_iptc(
        jpeg(stored, orientation=6, quality=85, xmp=xmp),
        caption="Das Rathaus am Friedensplatz, von Süden gesehen.",
        credit="Stadt Musterstadt / Erika Beispiel",
        copyright="© 2026 Stadt Musterstadt",
    )
    (folder / "rathaus.jpg").write_bytes(data)
    (folder / "spielplatz.png").write_bytes(png(playground(), optimize=True))


if __name__ == "__main__":
    main()
