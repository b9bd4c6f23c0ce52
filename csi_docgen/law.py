"""The law as of the contract's date, and the wording of the contract's steering body.

A contract speaks the law in force on the day it is signed: a text built
today for a contract signed in 2021 must not state a rule of 2024. The dates
below are the ones the project's legal notes confirm (see README.md,
« Références juridiques »).
"""

from __future__ import annotations

import datetime as dt

# Circulaire du Premier ministre n° 6258/SG du 16 avril 2021 (contrats de sécurité intégrée).
CIRCULAIRE_CSI = dt.date(2021, 4, 16)
# Loi n° 2024-247 du 21 mars 2024, art. 16: CLSPD compulsory from 5 000 inhabitants (in force 23 March 2024).
CLSPD_5000 = dt.date(2024, 3, 23)


def cites_circulaire(day: dt.date | None) -> bool:
    """A contract signed before the circulaire does not claim its frame; an undated one does."""
    return day is None or day >= CIRCULAIRE_CSI


def clspd_from_5000(day: dt.date | None) -> bool:
    """Whether the contract may state the 5 000 threshold; undated, the figure is left out."""
    return day is not None and day >= CLSPD_5000


# Steering body key → (name at first use, subject, « à » form).
STEERING = {
    "comite-de-pilotage": ("le comité de pilotage", "le comité de pilotage", "au comité de pilotage"),
    "clspd": (
        "le conseil local de sécurité et de prévention de la délinquance (CLSPD)",
        "le conseil local de sécurité et de prévention de la délinquance",
        "au conseil local de sécurité et de prévention de la délinquance",
    ),
    "cispd": (
        "le conseil intercommunal de sécurité et de prévention de la délinquance (CISPD)",
        "le conseil intercommunal de sécurité et de prévention de la délinquance",
        "au conseil intercommunal de sécurité et de prévention de la délinquance",
    ),
}
