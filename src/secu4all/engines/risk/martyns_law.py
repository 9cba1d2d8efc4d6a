"""Martyn's Law: tiers, duties and penalties of the Terrorism (Protection of Premises) Act 2025."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import _validate

Tier = Literal["out_of_scope", "standard", "enhanced"]

STANDARD_THRESHOLD = 200  # s. 2(2)(c): 200 or more individuals
ENHANCED_THRESHOLD = 800  # s. 2(3)(a) and s. 3: 800 or more individuals
# Schedule 1: premises used for these are standard duty whatever their size.
ALWAYS_STANDARD = frozenset({"place_of_worship", "school", "childcare"})
PREMISES_TYPES = ("other", *sorted(ALWAYS_STANDARD))

CAVEAT = (
    "This is a summary of the UK Terrorism (Protection of Premises) Act 2025 (\"Martyn's "
    'Law"), not legal advice. Whether premises or an event are in scope also depends on '
    "Schedule 1 uses, Schedule 2 exclusions and the regulator's guidance; the duties "
    "apply after the implementation period (expected to be at least 24 months from Royal "
    "Assent on 3 April 2025). Outside the UK the Act has no force and is shown as a "
    "good-practice benchmark only. Check the current text on legislation.gov.uk and the "
    "Security Industry Authority's guidance, and seek legal advice."
)


@dataclass(frozen=True)
class Duty:
    """One duty of the Act as a checklist item, with the section that imposes it."""

    id: str
    text: str
    section: str


@dataclass(frozen=True)
class Penalty:
    """A maximum monetary penalty under section 18 of the Act."""

    applies_to: str
    maximum: str
    section: str


STANDARD_DUTIES: tuple[Duty, ...] = (
    Duty("notification", "Notify the Security Industry Authority of the premises.", "s. 9"),
    Duty(
        "procedure_evacuation",
        "Have a procedure to evacuate people from the premises in an attack.",
        "s. 5",
    ),
    Duty(
        "procedure_invacuation",
        "Have a procedure to move people into or within the premises to safety.",
        "s. 5",
    ),
    Duty(
        "procedure_lockdown",
        "Have a procedure to secure the premises against entry (lockdown).",
        "s. 5",
    ),
    Duty(
        "procedure_communication",
        "Have a procedure to give information to people on the premises.",
        "s. 5",
    ),
    Duty(
        "staff_know_procedures",
        "Make sure staff who carry out the procedures know and are able to use them.",
        "s. 5",
    ),
    Duty(
        "cooperate",
        "Co-ordinate and co-operate with others responsible for the premises or event.",
        "s. 8",
    ),
)

ENHANCED_DUTIES: tuple[Duty, ...] = (
    *STANDARD_DUTIES,
    Duty(
        "measures_monitoring",
        "Measures to monitor the premises or event and its immediate vicinity.",
        "s. 6",
    ),
    Duty(
        "measures_movement",
        "Measures relating to the movement of people into, out of and within the premises.",
        "s. 6",
    ),
    Duty(
        "measures_physical_security",
        "Measures relating to the physical safety and security of the premises.",
        "s. 6",
    ),
    Duty(
        "measures_information_security",
        "Measures relating to the security of information about the premises or event.",
        "s. 6",
    ),
    Duty(
        "documented_compliance",
        "Keep a document of the procedures and measures and how they reduce the risk, and "
        "give it to the regulator.",
        "s. 7",
    ),
    Duty(
        "designated_senior_individual",
        "A body corporate designates a senior individual responsible for compliance.",
        "s. 10",
    ),
)

# Checked against the text of s. 18 (maximum amount of a non-compliance penalty).
# Section 19 also allows daily penalties, whose amounts are not encoded here.
PENALTIES: dict[str, Penalty] = {
    "standard": Penalty("standard duty premises", "£10,000", "s. 18(1)(b)"),
    "enhanced": Penalty(
        "enhanced duty premises and qualifying events",
        "the greater of £18 million and 5% of qualifying worldwide revenue",
        "s. 18(1)(c), (2)-(3)",
    ),
    "information_notice": Penalty(
        "failing to attend and answer questions when required", "£5,000", "s. 18(1)(a)"
    ),
}


def martyns_law_tier(
    capacity: int,
    *,
    premises_type: str = "other",
    event: bool = False,
    entry_checks: bool = False,
) -> Tier:
    """The tier of premises or an event under the Terrorism (Protection of Premises) Act 2025.

    * Premises where 200–799 people may reasonably be expected at the same time are
      standard duty, 800 or more enhanced duty (s. 2).
    * Places of worship and premises used for childcare or school education are
      standard duty whatever their size (Schedule 1).
    * An event qualifies only with 800 or more people and checks on entry (tickets,
      passes, searches), and then carries the enhanced duties (s. 3).

    ``capacity`` is the most people reasonably expected at the same time. See
    :data:`CAVEAT`: in-scope uses (Schedule 1) and exclusions (Schedule 2) are not
    modelled.
    """
    people = _validate.count(capacity, "capacity")
    if premises_type not in PREMISES_TYPES:
        raise ValueError(f"premises_type: {premises_type!r} is not one of {list(PREMISES_TYPES)}")
    if event:
        if people >= ENHANCED_THRESHOLD and entry_checks:
            return "enhanced"
        return "out_of_scope"
    if people < STANDARD_THRESHOLD:
        return "out_of_scope"
    if premises_type in ALWAYS_STANDARD or people < ENHANCED_THRESHOLD:
        return "standard"
    return "enhanced"


def martyns_law_duties(tier: Tier) -> tuple[Duty, ...]:
    """The duties of a tier as a checklist (none when out of scope)."""
    duties = {"out_of_scope": (), "standard": STANDARD_DUTIES, "enhanced": ENHANCED_DUTIES}
    if tier not in duties:
        raise ValueError(f"tier: {tier!r} is not one of {list(duties)}")
    return duties[tier]
