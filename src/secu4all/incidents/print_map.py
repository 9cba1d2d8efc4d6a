"""Hotspot maps for print: one A4 landscape layout drawn as SVG (for the PDF) or as a PNG."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from pyproj import Transformer

from secu4all.incidents.maps import GI_COLOURS, LISA_COLOURS, drawn_cells
from secu4all.incidents.selectors import HotspotLayer

PAGE_MM = (297.0, 210.0)  # A4 landscape
DPI = 300
MAP_FRAME = (10.0, 30.0, 200.0, 146.0)  # x, y, width, height in mm: the source fits below
PANEL_X = 216.0
FONTS = Path("/usr/share/fonts/truetype/dejavu")
NICE_LENGTHS = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000)
BOUNDARY = (60, 60, 60)


@dataclass(frozen=True)
class PrintTexts:
    """Every word on the printed map, already in the reader's language."""

    title: str
    subtitle: str
    legend_title: str
    legend: list[tuple[tuple[int, int, int], str]]
    legend_note: str
    scale_unit: str
    north: str
    source: str
    tlp: str
    tlp_colour: str
    boundary_label: str = ""
    boundaries: dict[str, list[list[list[float]]]] = field(default_factory=dict)


def kde_colour(value: float) -> tuple[int, int, int]:
    """The white-yellow-red ramp of the web map and ``to_png``, for one relative density."""
    v = float(np.clip(value, 0, 1))
    return 255, int(255 * (1 - v)), int(255 * max(0.0, 1 - 2 * v))


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


class _Layout:
    """Map coordinates in metres to page millimetres, north up, fitted in the map frame."""

    def __init__(self, layer: HotspotLayer, outlines: dict[str, list[np.ndarray]]) -> None:
        xmin, xmax, ymin, ymax = layer.grid.extent
        for rings in outlines.values():
            for ring in rings:
                xmin, xmax = min(xmin, ring[:, 0].min()), max(xmax, ring[:, 0].max())
                ymin, ymax = min(ymin, ring[:, 1].min()), max(ymax, ring[:, 1].max())
        fx, fy, fw, fh = MAP_FRAME
        self.mm_per_m = min(fw / (xmax - xmin), fh / (ymax - ymin))
        self.left = fx + (fw - (xmax - xmin) * self.mm_per_m) / 2
        self.top = fy + (fh - (ymax - ymin) * self.mm_per_m) / 2
        self.xmin, self.ymax = xmin, ymax

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.left + (x - self.xmin) * self.mm_per_m,
            self.top + (self.ymax - y) * self.mm_per_m,
        )


def _shapes(layer: HotspotLayer, texts: PrintTexts) -> list[tuple]:
    """The page as drawing instructions in millimetres: rect, poly, line, text."""
    to_grid = Transformer.from_crs(4326, layer.epsg, always_xy=True)
    outlines: dict[str, list[np.ndarray]] = {}
    for name, geometry in texts.boundaries.items():
        rings = []
        for ring in _rings(geometry):
            lon, lat = np.asarray(ring, dtype=float).T[:2]
            x, y = to_grid.transform(lon, lat)
            rings.append(np.column_stack([x, y]))
        if rings:
            outlines[name] = rings
    page = _Layout(layer, outlines)
    shapes: list[tuple] = [("rect", 0, 0, *PAGE_MM, (255, 255, 255), None)]
    fx, fy, fw, fh = MAP_FRAME
    shapes.append(("rect", fx, fy, fw, fh, (246, 246, 244), (120, 120, 120)))
    rows, cols, _marked = drawn_cells(layer)
    size = layer.grid.cell_size
    palette = GI_COLOURS if layer.method == "gistar" else LISA_COLOURS
    for r, c in zip(rows, cols, strict=True):
        x0, y0 = page.point(layer.grid.x0 + c * size, layer.grid.y0 + (r + 1) * size)
        side = size * page.mm_per_m
        cls = int(layer.classes[r, c])
        colour = kde_colour(layer.values[r, c]) if layer.method == "kde" else palette[cls]
        shapes.append(("rect", x0, y0, side, side, colour, None))
    for name, rings in outlines.items():
        for ring in rings:
            shapes.append(("poly", [page.point(x, y) for x, y in ring], None, BOUNDARY))
        biggest = max(rings, key=len)
        cx, cy = page.point(biggest[:, 0].mean(), biggest[:, 1].mean())
        shapes.append(("text", cx, cy, name, 2.6, False, "middle", BOUNDARY))
    # Title, period and filters.
    shapes.append(("text", 10, 14, texts.title, 4.6, True, "start", (0, 0, 0)))
    shapes.append(("text", 10, 22, texts.subtitle, 3.6, False, "start", (40, 40, 40)))
    # TLP label: the standard's colour on black, top right.
    label_w = 3.2 * 0.62 * len(texts.tlp) + 6
    shapes.append(("rect", 287 - label_w, 6, label_w, 8, (0, 0, 0), None))
    colour = tuple(int(texts.tlp_colour[i : i + 2], 16) for i in (1, 3, 5))
    shapes.append(("text", 287 - label_w / 2, 11.6, texts.tlp, 3.6, True, "middle", colour))
    # Legend with classes and units.
    y = 36.0
    shapes.append(("text", PANEL_X, y, texts.legend_title, 4.0, True, "start", (0, 0, 0)))
    for colour, label in texts.legend:
        y += 7
        shapes.append(("rect", PANEL_X, y - 4, 6, 5, colour, (90, 90, 90)))
        shapes.append(("text", PANEL_X + 8, y, label, 3.0, False, "start", (0, 0, 0)))
    y += 7
    shapes.append(("poly", [(PANEL_X, y - 1.5), (PANEL_X + 6, y - 1.5)], None, BOUNDARY))
    shapes.append(("text", PANEL_X + 8, y, texts.boundary_label, 3.0, False, "start", (0, 0, 0)))
    for line in _wrap(texts.legend_note, 42):
        y += 5
        shapes.append(("text", PANEL_X, y, line, 2.8, False, "start", (40, 40, 40)))
    # Scale bar: a round length about a quarter of the map's width.
    metres = fw / 4 / page.mm_per_m
    length = max([n for n in NICE_LENGTHS if n <= metres] or [NICE_LENGTHS[0]])
    bar = length * page.mm_per_m
    sx, sy = fx + 5, fy + fh - 8
    shapes.append(("rect", sx, sy, bar / 2, 2, (0, 0, 0), (0, 0, 0)))
    shapes.append(("rect", sx + bar / 2, sy, bar / 2, 2, (255, 255, 255), (0, 0, 0)))
    shapes.append(("text", sx, sy - 1.5, "0", 2.8, False, "middle", (0, 0, 0)))
    label = f"{length:g} m" if length < 1000 else f"{length / 1000:g} km"
    shapes.append(("text", sx + bar, sy - 1.5, label, 2.8, False, "middle", (0, 0, 0)))
    shapes.append(("text", sx, sy + 6, texts.scale_unit, 2.6, False, "start", (40, 40, 40)))
    # North arrow (grid north of the projection).
    nx, ny = fx + fw - 10, fy + 8
    shapes.append(
        (
            "poly",
            [(nx, ny), (nx + 3, ny + 10), (nx, ny + 7.5), (nx - 3, ny + 10)],
            (0, 0, 0),
            (0, 0, 0),
        )
    )
    shapes.append(("text", nx, ny + 15, texts.north, 3.4, True, "middle", (0, 0, 0)))
    # Source: the imports and the organisation, the export date, no base map.
    y = 182.0
    for line in _wrap(texts.source, 150):
        shapes.append(("text", 10, y, line, 2.8, False, "start", (40, 40, 40)))
        y += 4.2
    return shapes


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _hex(colour: tuple[int, int, int] | None) -> str:
    return "none" if colour is None else "#{:02x}{:02x}{:02x}".format(*colour)


def to_svg(layer: HotspotLayer, texts: PrintTexts) -> str:
    """The print layout as SVG in millimetres (vector: sharp at any resolution)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_MM[0]}mm" height="{PAGE_MM[1]}mm" '
        f'viewBox="0 0 {PAGE_MM[0]} {PAGE_MM[1]}" font-family="DejaVu Sans, sans-serif">'
    ]
    for shape in _shapes(layer, texts):
        kind = shape[0]
        if kind == "rect":
            _, x, y, w, h, fill, stroke = shape
            parts.append(
                f'<rect x="{x:.3f}" y="{y:.3f}" width="{w:.3f}" height="{h:.3f}" '
                f'fill="{_hex(fill)}" stroke="{_hex(stroke)}" stroke-width="0.2"/>'
            )
        elif kind == "poly":
            _, points, fill, stroke = shape
            path = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
            tag = "polygon" if fill is not None or len(points) > 2 else "polyline"
            parts.append(
                f'<{tag} points="{path}" fill="{_hex(fill)}" stroke="{_hex(stroke)}" '
                'stroke-width="0.3"/>'
            )
        else:
            _, x, y, text, size, bold, anchor, colour = shape
            weight = ' font-weight="bold"' if bold else ""
            parts.append(
                f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}" '
                f'fill="{_hex(colour)}"{weight}>{escape(text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def to_pdf(layer: HotspotLayer, texts: PrintTexts, *, language: str) -> bytes:
    """One A4 landscape page: the SVG layout through WeasyPrint, with the title as metadata."""
    from weasyprint import HTML

    html = (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(texts.title)}</title>"
        "<style>@page { size: A4 landscape; margin: 0 } body { margin: 0 }</style></head>"
        f"<body>{to_svg(layer, texts)}</body></html>"
    )
    return HTML(string=html).write_pdf()


def _font(size_px: int, bold: bool) -> ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONTS / name), size_px)
    except OSError:
        return ImageFont.load_default(size_px)


def to_print_png(layer: HotspotLayer, texts: PrintTexts) -> bytes:
    """The print layout at 300 dpi: 3508 x 2480 pixels, the dpi recorded in the file."""
    px = DPI / 25.4
    width, height = round(PAGE_MM[0] * px), round(PAGE_MM[1] * px)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for shape in _shapes(layer, texts):
        kind = shape[0]
        if kind == "rect":
            _, x, y, w, h, fill, stroke = shape
            draw.rectangle(
                [x * px, y * px, (x + w) * px - 1, (y + h) * px - 1],
                fill=fill,
                outline=stroke,
                width=2 if stroke else 0,
            )
        elif kind == "poly":
            _, points, fill, stroke = shape
            scaled = [(x * px, y * px) for x, y in points]
            if fill is not None:
                draw.polygon(scaled, fill=fill, outline=stroke)
            else:
                draw.line(scaled, fill=stroke, width=4)
        else:
            _, x, y, text, size, bold, anchor, colour = shape
            font = _font(round(size * px), bold)
            draw.text(
                (x * px, y * px),
                text,
                fill=colour,
                font=font,
                anchor={"start": "ls", "middle": "ms"}[anchor],
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()
