"""Indicator rows as plain records and CSV, for notebooks and spreadsheets."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from pathlib import Path

from .model import Contract

COLUMNS = ("article", "engagement", "clause_id", "indicateur", "unite", "reference", "cible", "periodicite", "source")


def indicator_records(contract: Contract) -> list[dict]:
    return [asdict(row) for row in contract.indicators]


def indicators_csv(contract: Contract, path: str | Path | None = None) -> str:
    """CSV text (semicolon-separated, as French spreadsheets expect); written to ``path`` if given."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(indicator_records(contract))
    text = buffer.getvalue()
    if path is not None:
        from .atomic import write_text_atomic

        write_text_atomic(Path(path), text, encoding="utf-8-sig")
    return text
