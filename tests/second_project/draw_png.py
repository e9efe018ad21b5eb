"""Draws content/assets/disaster-displacement.png, the second project's raster figure.

Run once with the project's virtual environment (Pillow); the PNG is kept in the repository,
so the tests do not draw it. The figures are IDMC's, rounded, as the report says.
"""

from pathlib import Path

import fontpkg_atkinson_hyperlegible
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(fontpkg_atkinson_hyperlegible.__file__).parent / "files"
YEARS = [(2014, 19.1), (2015, 14.7), (2016, 24.2), (2017, 18.8), (2018, 17.2),
         (2019, 24.9), (2020, 30.7), (2021, 23.7), (2022, 32.6), (2023, 26.4)]
WIDTH, HEIGHT = 1200, 620
LEFT, RIGHT, TOP, BOTTOM = 110, 30, 40, 110
INK, BAR, GRID = (26, 26, 26), (29, 111, 165), (160, 160, 160)


def main() -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    regular = ImageFont.truetype(str(FONTS / "AtkinsonHyperlegible-Regular.ttf"), 26)
    bold = ImageFont.truetype(str(FONTS / "AtkinsonHyperlegible-Bold.ttf"), 26)
    plot_height = HEIGHT - TOP - BOTTOM
    scale = plot_height / 35
    for millions in range(0, 36, 5):
        y = HEIGHT - BOTTOM - millions * scale
        draw.line([(LEFT, y), (WIDTH - RIGHT, y)], fill=GRID, width=1)
        draw.text((LEFT - 12, y), f"{millions}", font=regular, fill=INK, anchor="rm")
    slot = (WIDTH - LEFT - RIGHT) / len(YEARS)
    for index, (year, millions) in enumerate(YEARS):
        x0 = LEFT + index * slot + slot * 0.18
        x1 = LEFT + (index + 1) * slot - slot * 0.18
        y = HEIGHT - BOTTOM - millions * scale
        draw.rectangle([(x0, y), (x1, HEIGHT - BOTTOM)], fill=BAR)
        draw.text(((x0 + x1) / 2, y - 8), f"{millions:.1f}", font=bold, fill=INK, anchor="md")
        draw.text(((x0 + x1) / 2, HEIGHT - BOTTOM + 14), str(year), font=regular, fill=INK,
                  anchor="mt")
    draw.line([(LEFT, TOP - 10), (LEFT, HEIGHT - BOTTOM)], fill=INK, width=2)
    draw.line([(LEFT, HEIGHT - BOTTOM), (WIDTH - RIGHT, HEIGHT - BOTTOM)], fill=INK, width=2)
    draw.text((LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 30),
              "New displacements by disasters, in millions, per year", font=regular,
              fill=INK, anchor="ms")
    out = Path(__file__).parent / "content" / "assets" / "disaster-displacement.png"
    image.save(out, optimize=True)


if __name__ == "__main__":
    main()
