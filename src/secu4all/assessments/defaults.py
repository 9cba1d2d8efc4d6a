"""Starting points for a first assessment: which scenarios matter for which kind of site."""

from __future__ import annotations

# (scenario id, asset value, base threat) on 1–10 scales; the adviser adjusts them.
CROWDED_PLACE = [
    ("vehicle_ramming", 8, 5),
    ("vehicle_encroachment", 8, 4),
    ("edged_weapon", 7, 4),
    ("marauding_firearms", 8, 2),
    ("ied", 8, 3),
    ("pbied", 8, 2),
    ("fire_as_weapon", 6, 2),
    ("crowd_crush", 7, 3),
    ("pickpocketing_theft", 3, 7),
    ("violence", 5, 4),
    ("sexual_harassment", 5, 4),
    ("disorder", 4, 4),
]
BY_KIND: dict[str, list[tuple[str, int, int]]] = {
    "square": CROWDED_PLACE,
    "market": CROWDED_PLACE,
    "event": CROWDED_PLACE,
    "shopping-street": [s for s in CROWDED_PLACE if s[0] != "crowd_crush"] + [("robbery", 4, 4)],
    "stadium": [*CROWDED_PLACE, ("drone_ied", 8, 2), ("vbied", 9, 2)],
    "transport-hub": [*CROWDED_PLACE, ("cbr", 9, 1), ("robbery", 4, 5)],
    "nightlife": [
        ("violence", 6, 7),
        ("sexual_harassment", 6, 6),
        ("drug_dealing", 4, 6),
        ("disorder", 5, 7),
        ("edged_weapon", 7, 4),
        ("vehicle_ramming", 8, 3),
        ("crowd_crush", 6, 3),
    ],
    "park": [
        ("violence", 5, 4),
        ("sexual_harassment", 6, 4),
        ("drug_dealing", 4, 5),
        ("vandalism", 3, 5),
        ("robbery", 4, 3),
        ("edged_weapon", 6, 2),
    ],
    "holiday-park": [
        ("drug_production", 7, 5),
        ("exploitation", 8, 4),
        ("illegal_residence", 5, 5),
        ("criminal_ownership", 7, 4),
        ("vandalism", 3, 4),
    ],
    "place-of-worship": [
        ("marauding_firearms", 9, 3),
        ("edged_weapon", 8, 3),
        ("ied", 9, 3),
        ("vehicle_ramming", 8, 3),
        ("fire_as_weapon", 8, 3),
        ("vandalism", 5, 4),
    ],
    "school": [
        ("marauding_firearms", 10, 2),
        ("edged_weapon", 9, 3),
        ("fire_as_weapon", 8, 2),
        ("violence", 6, 4),
        ("drug_dealing", 5, 3),
    ],
    "government": [
        ("marauding_firearms", 8, 3),
        ("edged_weapon", 7, 4),
        ("ied", 8, 3),
        ("vbied", 9, 2),
        ("vehicle_ramming", 7, 3),
        ("disorder", 5, 4),
        ("cbr", 9, 1),
    ],
}


def scenarios_for(kind: str) -> list[dict]:
    return [
        {"id": sid, "asset_value": asset, "threat": threat}
        for sid, asset, threat in BY_KIND.get(kind, CROWDED_PLACE)
    ]
