"""Numbers and ids as exports — and spreadsheets that re-saved them — write them.

* Counts: grouped thousands (``"18,400"``; ``18.400`` or ``18 400`` where the
  decimal mark is a comma), counts abbreviated as the apps show them (``1.2K``,
  ``3,4M``: read as 1200 and 3400000 and flagged as *rounded*), and TikTok's
  ``undefined`` for a count it does not have (NA, never 0 and never a reason to
  set the row aside).
* The decimal mark: a file saved in a European locale writes ``;`` between
  fields and ``,`` before decimals. :func:`decimal_mark` decides per column from
  the values themselves when they say it (``12,5``, ``1.234.567``), else from the
  file's delimiter.
* Ids: a spreadsheet that opened an export turns an 18-digit id into
  ``1.22158E+17`` — its last digits are gone, so different posts would share an
  id. :func:`lost_ids` finds them; loaders set those rows aside (they are never
  merged) and say the file should be exported again.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = [
    "decimal_mark",
    "lost_ids",
    "lost_id_rows",
    "normalise_counts",
    "normalise_columns",
    "rounded_note",
]

#: Words that mean "no value" in a count column (TikTok Studio writes ``undefined``).
_NO_COUNT = {"undefined"}
_MULTIPLIER = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}

# Evidence of the decimal mark in a column: a comma followed by 1–2 or 4+ digits cannot
# group thousands; neither can a point so followed (the point is then the decimal mark).
_COMMA_DECIMAL = r"^-?\d+,(?:\d{1,2}|\d{4,})$|^\d{1,3}(?:\.\d{3}){2,}$|^\d{1,3}(?:\.\d{3})+,\d+$"
_POINT_DECIMAL = r"^-?\d+\.(?:\d{1,2}|\d{4,})$|^\d{1,3}(?:,\d{3}){2,}$|^\d{1,3}(?:,\d{3})+\.\d+$"
_SPACE_GROUPED = r"^\d{1,3}(?:[ \u00a0\u202f']\d{3})+$"
_ABBREVIATED = r"^(\d+(?:[.,]\d+)?)\s*([KkMmBb])$"
#: An id a spreadsheet wrote in scientific notation (``1.22158E+17``, ``1,22158E+17``).
_SCIENTIFIC = r"^\d(?:[.,]\d+)?[eE]\+?\d+$"


def decimal_mark(values: pd.Series, default: str = ".") -> str:
    """The decimal mark of a column of numbers written as text: ``"."`` or ``","``.

    The values decide when they can (``12,5`` or ``1.234.567`` say comma,
    ``12.5`` or ``1,234,567`` say point); when they say both or neither, ``default``
    (the caller passes ``","`` for a ``;``-delimited file, the European convention).
    """
    text = values.dropna().astype("string").str.strip()
    comma = bool(text.str.match(_COMMA_DECIMAL).any())
    point = bool(text.str.match(_POINT_DECIMAL).any())
    if comma != point:
        return "," if comma else "."
    return default


def normalise_counts(values: pd.Series, decimal: str = ".") -> tuple[pd.Series, pd.Series]:
    """Counts written as text -> plain numbers as text, and which were rounded.

    Parameters
    ----------
    values : Series
        Raw cells of one count column (text; numeric columns are returned as they are).
    decimal : {'.', ','}
        The column's decimal mark (:func:`decimal_mark`).

    Returns
    -------
    (Series, Series of bool)
        The values with grouping removed, the decimal mark made ``.``, ``1.2K``
        expanded to ``1200`` and ``undefined`` made NA — anything else is left as
        written, so that validation quarantines it with the text the user sees —
        and a mask of the values that were abbreviated (``1.2K``: rounded).
    """
    if pd.api.types.is_numeric_dtype(values):
        return values, pd.Series(False, index=values.index)
    s = values.astype("string").str.strip()
    s = s.mask(s.str.casefold().isin(_NO_COUNT))
    group, dec = (",", ".") if decimal == "." else (".", ",")
    g, d = re.escape(group), re.escape(dec)
    grouped = s.str.match(rf"^\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?$", na=False)
    s = s.where(~grouped, s.str.replace(group, "", regex=False))
    spaced = s.str.match(_SPACE_GROUPED, na=False)
    s = s.where(~spaced, s.str.replace(r"[ \u00a0\u202f']", "", regex=True))
    if decimal == ",":
        s = s.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
    parts = s.str.extract(_ABBREVIATED)
    rounded = parts[0].notna()
    if rounded.any():
        number = parts.loc[rounded, 0]
        if decimal == ".":  # "1,200K": grouping; "1,2K": a decimal comma all the same
            number = number.str.replace(r",(\d{3})$", r"\1", regex=True)
        number = pd.to_numeric(number.str.replace(",", ".", regex=False))
        scale = parts.loc[rounded, 1].str.lower().map(_MULTIPLIER).astype(float)
        s = s.copy()
        s[rounded] = (number * scale).round().astype("Int64").astype("string")
    return s, rounded.fillna(False).astype(bool)


def normalise_columns(frame: pd.DataFrame, columns, sep: str = ",") -> dict[str, int]:
    """:func:`normalise_counts` on each of ``columns`` present in ``frame`` (in place).

    The decimal mark is decided per column (:func:`decimal_mark`), defaulting to a
    comma in a ``;``-delimited file. Returns ``{column: values given rounded}`` for
    the columns that had any.
    """
    rounded = {}
    for c in columns:
        if c in frame and not pd.api.types.is_numeric_dtype(frame[c]):
            if frame[c].str.fullmatch(r"\d*", na=True).all():  # plain whole numbers: as they are
                continue
            mark = decimal_mark(frame[c], "," if sep == ";" else ".")
            frame[c], abbreviated = normalise_counts(frame[c], mark)
            if abbreviated.any():
                rounded[c] = int(abbreviated.sum())
    return rounded


def rounded_note(source: str, rounded: dict[str, int]) -> list[str]:
    """The note on counts given rounded (``{column as the file names it: how many}``)."""
    if not rounded:
        return []
    where = ", ".join(f"{n} in {col!r}" for col, n in rounded.items())
    return [
        f"{source}: {sum(rounded.values())} count(s) are given rounded, as the app shows "
        f"them (like '1.2K' = 1,200): {where}; they are read as the rounded figure and are "
        "approximate."
    ]


def lost_ids(ids: pd.Series) -> pd.Series:
    """Mask of ids written in scientific notation (a spreadsheet cut their digits)."""
    ids = ids.astype("string")
    lost = pd.Series(
        ids.str.contains("[eE]", regex=True).to_numpy(dtype=bool, na_value=False), index=ids.index
    )
    if lost.any():  # the full pattern only on the few candidates (one cheap pass over all)
        lost[lost] = ids[lost].str.strip().str.match(_SCIENTIFIC, na=False).astype(bool)
    return lost


def lost_id_rows(ids: pd.Series, source_rows: pd.Series, column: str, source: str):
    """Rows whose id a spreadsheet re-save destroyed: ``(mask, rejected records, notes)``.

    The records (for :func:`socialkit.schema.add_quarantine`) and the one note say
    that the file was re-saved by a spreadsheet and should be exported again;
    such rows are never merged with one another, whatever id they now share.
    """
    lost = lost_ids(ids)
    if not lost.any():
        return lost, [], []
    reason = (
        "the id is written in scientific notation, so its last digits are lost and "
        "different posts would share it; the file was re-saved by a spreadsheet — export "
        "it again from the platform and load it without opening it in a spreadsheet"
    )
    rejected = [
        {"source_row": int(r), "column": column, "value": str(v), "rule": "id", "reason": reason}
        for r, v in zip(source_rows[lost], ids[lost], strict=True)
    ]
    shown = ids[lost].iloc[0]
    collide = int(ids[lost].duplicated(keep=False).sum())
    notes = [
        f"{source}: {int(lost.sum())} of {len(ids)} row(s) have an id in scientific notation "
        f"(e.g. {shown}) in {column!r}"
        + (f", {collide} of them sharing an id with another row" if collide else "")
        + ": the file was opened and re-saved by a spreadsheet, which cut the ids' digits. "
        "Those rows were set aside, not merged; export the file again from the platform."
    ]
    return lost, rejected, notes
