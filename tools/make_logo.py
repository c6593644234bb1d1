"""Draw the placeholder logo of the built-in letterhead (assets/logo/placeholder-city.png).

An original mark: three rising bars under an arc, in the letterhead's accent red. It is not
the city's emblem and must not become one. Opaque RGB, no alpha, so PDF/A accepts it as is.
Run: python tools/make_logo.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 480
RED = (176, 28, 46)

image = Image.new("RGB", (SIZE, SIZE), "white")
draw = ImageDraw.Draw(image)
draw.arc((40, 40, SIZE - 40, SIZE - 40), start=200, end=340, fill=RED, width=34)
for index, height in enumerate((150, 230, 310)):
    left = 95 + index * 105
    draw.rectangle((left, SIZE - 70 - height, left + 80, SIZE - 70), fill=RED)
draw.rectangle((60, SIZE - 56, SIZE - 60, SIZE - 40), fill=RED)
out = Path(__file__).resolve().parents[1] / "assets" / "logo" / "placeholder-city.png"
image.save(out, optimize=True)
print(out)
