"""A seeded generator of realistic incidents for the demo municipality, with planted patterns.

Havenstad is fictional; its incidents lie around a city centre at 4.300° E, 52.078° N
in a 6 × 6 km square, over two years, in a 3 × 3 grid of neighbourhoods. Planted:

- three hotspots: a nightlife square (violence and public order on Friday and Saturday
  nights), a shopping street (pickpocketing and shoplifting in the afternoon), and a
  station (bicycle theft);
- a near-repeat pattern in burglary: after a burglary, with probability 0.4, another
  within 100 m within 7 days;
- a background of all other categories spread evenly over space and time.

Tests check that the hotspot analyses and the Knox test find these patterns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from pyproj import Transformer

CENTRE_LON, CENTRE_LAT = 4.300, 52.078
EPSG = 32631  # UTM zone 31N
START = datetime(2024, 1, 1)
DAYS = 730
HALF_SIDE = 3000.0


@dataclass(frozen=True)
class PlantedHotspot:
    name: str
    dx: float  # metres east of the centre
    dy: float  # metres north of the centre
    spread: float  # standard deviation in metres
    categories: tuple[str, ...]
    hours: tuple[int, ...]
    weekdays: tuple[int, ...]  # Monday = 0
    count: int


HOTSPOTS = (
    PlantedHotspot(
        "Grote Plein",
        -400,
        250,
        60,
        ("violence", "public-order"),
        (22, 23, 0, 1, 2, 3),
        (4, 5, 6),
        700,
    ),
    PlantedHotspot(
        "Winkelstraat",
        350,
        -150,
        70,
        ("theft-from-person", "shoplifting"),
        (12, 13, 14, 15, 16, 17),
        (0, 1, 2, 3, 4, 5),
        900,
    ),
    PlantedHotspot(
        "Centraal Station",
        1200,
        900,
        50,
        ("bicycle-theft",),
        (7, 8, 9, 17, 18, 19),
        (0, 1, 2, 3, 4),
        500,
    ),
)
BACKGROUND = ("criminal-damage", "vehicle-crime", "other-theft", "drugs", "anti-social-behaviour")
NEIGHBOURHOODS = [
    (f"BU0999{i}{j}00", name, population)
    for (i, j), name, population in zip(
        [(i, j) for i in range(3) for j in range(3)],
        [
            "Duinzicht",
            "Havenkwartier",
            "Oude Stad",
            "Parkwijk",
            "Centrum",
            "Stationsbuurt",
            "Zuiderhout",
            "Marktveld",
            "Vaartoever",
        ],
        [6200, 4100, 7800, 9300, 5400, 3900, 8800, 6100, 4700],
        strict=True,
    )
]


def boundaries() -> dict[str, dict]:
    """The neighbourhoods as the 3 × 3 squares that ``_area`` assigns, in WGS 84."""
    to_utm = Transformer.from_crs(4326, EPSG, always_xy=True)
    to_lonlat = Transformer.from_crs(EPSG, 4326, always_xy=True)
    cx, cy = to_utm.transform(CENTRE_LON, CENTRE_LAT)
    side = 2 * HALF_SIDE / 3
    result = {}
    for index, (code, _name, _population) in enumerate(NEIGHBOURHOODS):
        row, col = divmod(index, 3)
        x0, y0 = cx - HALF_SIDE + col * side, cy - HALF_SIDE + row * side
        corners = [(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side), (x0, y0)]
        ring = [[round(v, 6) for v in to_lonlat.transform(x, y)] for x, y in corners]
        result[code] = {"type": "Polygon", "coordinates": [ring]}
    return result


def _area(x: float, y: float) -> int:
    col = int(np.clip((x + HALF_SIDE) // (2 * HALF_SIDE / 3), 0, 2))
    row = int(np.clip((y + HALF_SIDE) // (2 * HALF_SIDE / 3), 0, 2))
    return row * 3 + col


def generate(seed: int = 2024, background: int = 2400, burglaries: int = 900) -> list[dict]:
    """Incident records (id, date, time, category, lon, lat, area) in a stable order."""
    rng = np.random.default_rng(seed)
    records: list[tuple[float, float, datetime, str]] = []

    def moment(hours: tuple[int, ...] | None = None, weekdays: tuple[int, ...] | None = None):
        while True:
            day = START + timedelta(days=int(rng.integers(DAYS)))
            if weekdays is None or day.weekday() in weekdays:
                hour = int(rng.choice(hours)) if hours else int(rng.integers(24))
                return day + timedelta(hours=hour, minutes=int(rng.integers(60)))

    for spot in HOTSPOTS:
        for _ in range(spot.count):
            x, y = rng.normal([spot.dx, spot.dy], spot.spread)
            records.append(
                (x, y, moment(spot.hours, spot.weekdays), str(rng.choice(spot.categories)))
            )
    for _ in range(background):
        x, y = rng.uniform(-HALF_SIDE, HALF_SIDE, 2)
        records.append((x, y, moment(), str(rng.choice(BACKGROUND))))
    # Burglaries with near repeats: a follower lands close by, soon after.
    for _ in range(burglaries):
        x, y = rng.uniform(-HALF_SIDE * 0.9, HALF_SIDE * 0.9, 2)
        when = moment(hours=(9, 10, 11, 13, 14, 15, 19, 20))
        records.append((x, y, when, "burglary"))
        while rng.random() < 0.4:
            angle, distance = rng.uniform(0, 2 * np.pi), rng.uniform(10, 100)
            x, y = x + distance * np.cos(angle), y + distance * np.sin(angle)
            when = when + timedelta(days=int(rng.integers(1, 8)), hours=int(rng.integers(-3, 4)))
            if when >= START + timedelta(days=DAYS):
                break
            records.append((x, y, when, "burglary"))

    centre = Transformer.from_crs(4326, EPSG, always_xy=True).transform(CENTRE_LON, CENTRE_LAT)
    back = Transformer.from_crs(EPSG, 4326, always_xy=True)
    xs = np.array([r[0] for r in records]) + centre[0]
    ys = np.array([r[1] for r in records]) + centre[1]
    lons, lats = back.transform(xs, ys)
    result = []
    for number, ((x, y, when, category), lon, lat) in enumerate(
        zip(records, lons, lats, strict=True), start=1
    ):
        code, name, _population = NEIGHBOURHOODS[_area(x, y)]
        result.append(
            {
                "id": f"HVS-{number:05d}",
                "date": when.strftime("%Y-%m-%d"),
                "time": when.strftime("%H:%M"),
                "category": category,
                "lon": f"{lon:.6f}",
                "lat": f"{lat:.6f}",
                "area": code,
                "area_name": name,
            }
        )
    # Every tenth nuisance report has no location, as in real open data.
    for row in result[::10]:
        if row["category"] == "anti-social-behaviour":
            row["lon"] = row["lat"] = ""
    return result


MAPPING = {
    "id": "id",
    "date": "date",
    "date_format": "%Y-%m-%d",
    "time": "time",
    "time_format": "%H:%M",
    "category": "category",
    "longitude": "lon",
    "latitude": "lat",
    "area": "area",
    "area_name": "area_name",
}


def as_csv(records: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")
