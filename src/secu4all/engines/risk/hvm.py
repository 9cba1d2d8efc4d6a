"""Hostile vehicle mitigation: impact energy and whether a rated barrier stops a vehicle."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import _validate

KMH_PER_MPH = 1.609344

# Nominal test-vehicle masses (kg) of ISO 22343-1 / IWA 14-1 and PAS 68 classes.
VEHICLE_CLASSES: dict[str, float] = {
    "M1": 1500.0,  # car
    "N1G": 2500.0,  # double-cab pick-up
    "N1": 3500.0,  # van
    "N2A": 7200.0,  # 2-axle flat-bed truck (IWA 14-1)
    "N2B": 6800.0,  # cab-over 2-axle truck (IWA 14-1)
    "N2": 7500.0,  # PAS 68 2-axle truck
    "N3C": 7200.0,  # 2-axle day-cab truck (IWA 14-1)
    "N3": 7500.0,  # PAS 68 rigid truck
    "N3D": 12000.0,  # 2-axle rigid truck (IWA 14-1)
    "N3E": 30000.0,  # 3-axle rigid truck (IWA 14-1)
    "N3F": 30000.0,  # 4-axle rigid truck (IWA 14-1)
}


def impact_energy_kj(mass_kg: float, speed_kmh: float) -> float:
    """Kinetic energy of a vehicle in kJ: ``E = ½ m v²`` with ``v`` in m/s.

    1,500 kg at 48 km/h gives 133.3 kJ; 6,804 kg at 50 mph (80.467 km/h, the ASTM
    F2656 M50 test) about 1,700 kJ. Reference: ISO 22343-1:2023 / IWA 14-1:2013
    classify barriers by the test vehicle's mass and impact speed, hence this energy.
    """
    mass = _validate.positive(mass_kg, "mass_kg")
    speed = _validate.non_negative(speed_kmh, "speed_kmh") / 3.6
    return 0.5 * mass * speed * speed / 1000.0


@dataclass(frozen=True)
class BarrierRating:
    """A barrier's crash-test rating: test vehicle mass and speed, and the penetration.

    ``standard`` is e.g. "ISO 22343-1", "IWA 14-1", "PAS 68" or "ASTM F2656";
    ``penetration_m`` is how far the vehicle's front passed the barrier's rear face.
    """

    standard: str
    vehicle_mass_kg: float
    speed_kmh: float
    penetration_m: float
    vehicle_class: str = ""
    impact_angle_deg: float = 90.0

    @property
    def energy_kj(self) -> float:
        return impact_energy_kj(self.vehicle_mass_kg, self.speed_kmh)


@dataclass(frozen=True)
class ThreatVehicle:
    """The hostile vehicle assumed for a site: its mass and the speed it can reach."""

    mass_kg: float
    speed_kmh: float
    label: str = ""

    @property
    def energy_kj(self) -> float:
        return impact_energy_kj(self.mass_kg, self.speed_kmh)


@dataclass(frozen=True)
class BarrierVerdict:
    """Whether the rating covers the threat vehicle, with the comparison behind it."""

    stops: bool
    rated_energy_kj: float
    threat_energy_kj: float
    energy_ratio: float  # rated / threat; at least 1 is necessary, not sufficient
    reasons: tuple[str, ...]


# IWA 14-1 / ISO 22343-1 "V/7200[N3C]/80/90:0.0" and PAS 68 "V/7500(N3)/80/90:0.0/25".
_RATING = re.compile(
    r"^V/(?P<mass>\d+)\s*[\[(](?P<cls>[A-Z0-9]+)[\])]/(?P<speed>\d+(?:\.\d+)?)/"
    r"(?P<angle>\d+(?:\.\d+)?):(?P<penetration>\d+(?:\.\d+)?)"
)


def parse_rating(designation: str, standard: str = "ISO 22343-1") -> BarrierRating:
    """Read a rating designation like ``V/7200[N3C]/80/90:0.0`` (mass/class/km/h/angle:m).

    PAS 68 designations such as ``V/7500(N3)/80/90:0.0/25`` are read the same way (the
    trailing debris distance is ignored).
    """
    match = _RATING.match(designation.strip())
    if match is None:
        raise ValueError(
            f"rating: {designation!r} is not a designation like 'V/7200[N3C]/80/90:0.0'"
        )
    return BarrierRating(
        standard=standard,
        vehicle_mass_kg=float(match["mass"]),
        speed_kmh=float(match["speed"]),
        penetration_m=float(match["penetration"]),
        vehicle_class=match["cls"],
        impact_angle_deg=float(match["angle"]),
    )


def barrier_stops(
    rating: BarrierRating,
    threat_vehicle: ThreatVehicle,
    *,
    standoff_m: float | None = None,
) -> BarrierVerdict:
    """Whether a barrier's test rating covers a threat vehicle.

    The rating covers the threat only if the threat vehicle is no heavier and no faster
    than the test vehicle (so its energy ``½mv²`` is no larger), and, if a stand-off
    distance is given, the rated penetration fits within it. Equal energy alone is not
    enough: a heavier, slower vehicle carries more momentum and loads the barrier and
    foundations differently from the test (CPNI/NPSA guidance on HVM; ISO 22343-2:2023
    on applying ratings). A test at an angle other than 90° covers only that approach.
    """
    for value, name in (
        (rating.vehicle_mass_kg, "rating.vehicle_mass_kg"),
        (threat_vehicle.mass_kg, "threat_vehicle.mass_kg"),
    ):
        _validate.positive(value, name)
    _validate.non_negative(rating.speed_kmh, "rating.speed_kmh")
    _validate.non_negative(threat_vehicle.speed_kmh, "threat_vehicle.speed_kmh")
    _validate.non_negative(rating.penetration_m, "rating.penetration_m")
    rated, threat = rating.energy_kj, threat_vehicle.energy_kj
    reasons = [
        f"Rated {rating.standard}: {rating.vehicle_mass_kg:,.0f} kg at "
        f"{rating.speed_kmh:g} km/h = {rated:,.1f} kJ; threat vehicle "
        f"{threat_vehicle.label or ''}{' ' if threat_vehicle.label else ''}"
        f"{threat_vehicle.mass_kg:,.0f} kg at {threat_vehicle.speed_kmh:g} km/h = "
        f"{threat:,.1f} kJ."
    ]
    stops = True
    if threat_vehicle.mass_kg > rating.vehicle_mass_kg:
        stops = False
        reasons.append("The threat vehicle is heavier than the test vehicle.")
    if threat_vehicle.speed_kmh > rating.speed_kmh:
        stops = False
        reasons.append("The threat vehicle can be faster than the test speed.")
    if standoff_m is not None:
        standoff = _validate.non_negative(standoff_m, "standoff_m")
        if rating.penetration_m > standoff:
            stops = False
            reasons.append(
                f"Rated penetration {rating.penetration_m:g} m exceeds the stand-off "
                f"{standoff:g} m."
            )
    if stops:
        reasons.append("The rating covers this threat vehicle.")
    if rating.impact_angle_deg != 90.0:
        reasons.append(f"Tested at {rating.impact_angle_deg:g}°: covers that approach only.")
    return BarrierVerdict(
        stops, rated, threat, rated / threat if threat else float("inf"), tuple(reasons)
    )
