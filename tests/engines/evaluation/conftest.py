"""Shared fixtures for the evaluation engine tests: the Basque panel in the published set-up."""

import csv
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "basque" / "basque.csv"
TREATED = "Basque Country (Pais Vasco)"
# The donor pool of pysyncon's Basque test, in its order (Spain as a whole included).
DONORS = (
    "Spain (Espana)",
    "Andalucia",
    "Aragon",
    "Principado De Asturias",
    "Baleares (Islas)",
    "Canarias",
    "Cantabria",
    "Castilla Y Leon",
    "Castilla-La Mancha",
    "Cataluna",
    "Comunidad Valenciana",
    "Extremadura",
    "Galicia",
    "Madrid (Comunidad De)",
    "Murcia (Region de)",
    "Navarra (Comunidad Foral De)",
    "Rioja (La)",
)
PUBLISHED = {"Cataluna": 0.850816306, "Madrid (Comunidad De)": 0.149183694}
SCHOOL = ("school.illit", "school.prim", "school.med", "school.high", "school.post.high")
SECTORS = (
    "sec.agriculture",
    "sec.energy",
    "sec.industry",
    "sec.construction",
    "sec.services.venta",
    "sec.services.nonventa",
)


class Basque:
    """GDP per capita 1960–1997 and the 14 predictors of Abadie & Gardeazabal (2003)."""

    def __init__(self) -> None:
        with DATA.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        self.table = {
            (row["regionname"], int(float(row["year"]))): {
                key: float(value) if value not in ("", "NA") else np.nan
                for key, value in row.items()
                if key not in ("regionname", "regionno")
            }
            for row in rows
        }
        self.years = list(range(1960, 1998))
        self.treated = self.series(TREATED)
        self.donors = np.column_stack([self.series(name) for name in DONORS])
        self.predictors = self.predictors_of(TREATED)
        self.donor_predictors = np.column_stack([self.predictors_of(name) for name in DONORS])
        self.pre_periods = 10  # 1960–1969, the optimisation window of the paper

    def series(self, region: str) -> np.ndarray:
        return np.array([self.table[region, year]["gdpcap"] for year in self.years])

    def mean(self, region: str, column: str, years) -> float:
        return float(np.mean([self.table[region, year][column] for year in years]))

    def predictors_of(self, region: str) -> np.ndarray:
        values = [self.mean(region, column, range(1964, 1970)) for column in (*SCHOOL, "invest")]
        values.append(self.mean(region, "gdpcap", range(1960, 1970)))
        values += [self.mean(region, column, range(1961, 1970, 2)) for column in SECTORS]
        values.append(self.mean(region, "popdens", [1969]))
        return np.array(values)


@pytest.fixture(scope="session")
def basque() -> Basque:
    return Basque()
