"""Which comments are the brand's: ``brand_accounts:`` in client.yaml.

A comments or thread file marks the brand's own comments (``is_brand``) from
what the export knows: the channel owner, a non-inbound tweet. Files that
hold many brands (customer-care corpora do) need to be told which account is
the client's. :func:`select_brand` applies the profile's ``brand_accounts``
to one loaded comments file, before commenters are pseudonymised:

* with accounts named for the file's platform (or for every platform), a
  comment is the brand's when its author is one of them (handles compared
  without ``@`` and case); the threads of *other* brands in the same file, and
  threads no brand answered that do not mention one of the client's handles,
  are set aside (quarantined as ``other_brand``), since their reply rates
  are not the client's;
* when none of the accounts appears as an author in the file, the file's own
  marks are kept and a note says so;
* without accounts, a file in which two or more accounts write as the brand on
  one platform is an error that lists them with their comment counts.
"""

from __future__ import annotations

import pandas as pd

from socialkit.schema import quarantine_frame

__all__ = ["BrandError", "select_brand", "norm_handle"]


class BrandError(ValueError):
    """A multi-brand file without ``brand_accounts``; the message lists the candidates."""


def norm_handle(s) -> str:
    """``"@AcmeHelp "`` → ``"acmehelp"``."""
    return str(s).strip().lstrip("@").lower()


def _accounts_for(accounts: dict, platform: str) -> set[str]:
    return {norm_handle(h) for h in (*accounts.get(platform, ()), *accounts.get("any", ()))}


def _candidates(data: pd.DataFrame) -> dict[str, pd.Series]:
    brand = data["is_brand"].fillna(False).astype(bool)
    sub = data.loc[brand, ["platform", "author"]].dropna()
    return {
        str(p): g["author"].astype(str).value_counts()
        for p, g in sub.groupby(sub["platform"].astype(str), sort=True)
    }


def select_brand(result, accounts: dict, name: str):
    """Apply ``brand_accounts`` to one loaded comments file.

    Parameters
    ----------
    result : ValidationResult
        A loader's result for the ``comments`` table (other tables pass through).
    accounts : dict
        ``Profile.brand_accounts``: platform (or ``"any"``) → handles or ids.
    name : str
        The file's name as shown to the user.

    Returns
    -------
    ValidationResult
        With ``is_brand`` set from the accounts, other brands' threads moved
        to the quarantine and a note saying what was selected.

    Raises
    ------
    BrandError
        Several brand accounts on one platform and no ``brand_accounts`` that match.
    """
    if result.table != "comments" or result.data.empty:
        return result
    data = result.data
    plats = data["platform"].astype(str)
    match = pd.Series(False, index=data.index)
    for p in plats.unique():
        acc = _accounts_for(accounts, p)
        if acc:
            rows = plats == p
            match[rows] = data.loc[rows, "author"].map(norm_handle, na_action="ignore").isin(acc)
    named = any(_accounts_for(accounts, p) for p in plats.unique())
    if named and not match.any():
        result.notes.append(
            f"{name}: none of the brand_accounts in client.yaml writes in this file; the "
            "file's own marks of the brand's comments are kept."
        )
    if not match.any():
        multi = {p: c for p, c in _candidates(data).items() if len(c) > 1}
        if multi:
            lines = "; ".join(
                f"{p}: "
                + ", ".join(f"{a} ({n} comments)" for a, n in c.head(10).items())
                + (f" and {len(c) - 10} more" if len(c) > 10 else "")
                for p, c in multi.items()
            )
            raise BrandError(
                f"{name}: several accounts write as the brand ({lines}); name the client's "
                "in client.yaml, e.g. brand_accounts: {"
                + f"{next(iter(multi))}: [{next(iter(multi.values())).index[0]}]"
                + "}, so that only its threads are read."
            )
        return result
    return _keep_client_threads(result, match, name)


def _keep_client_threads(result, match: pd.Series, name: str):
    data = result.data
    was_brand = data["is_brand"].fillna(False).astype(bool)
    other = was_brand & ~match
    key = data["platform"].astype(str) + "\x00" + data["post_id"].astype(str)
    ours = key.isin(set(key[match]))
    theirs = key.isin(set(key[other]))
    keep = ours
    if other.any():  # a multi-brand file: unanswered threads count only when addressed to us
        handles = sorted({norm_handle(a) for a in data.loc[match, "author"].dropna()})
        text = data["text"].astype("string").str.lower().fillna("")
        mention = pd.Series(False, index=data.index)
        for h in handles:
            mention |= text.str.contains("@" + h, regex=False)
        keep = ours | (~theirs & key.isin(set(key[mention])))
    else:
        keep = pd.Series(True, index=data.index)
    data = data.assign(is_brand=match.astype("boolean"))
    dropped = data[~keep]
    result.data = data[keep].reset_index(drop=True)
    result.windows = None
    note = (
        f"{name}: brand_accounts select {int(match.sum())} comment(s) by "
        f"{', '.join(sorted(data.loc[match, 'author'].astype(str).unique()))} as the brand's"
    )
    if len(dropped):
        n_other = int(other.sum())
        note += (
            f"; {len(dropped)} comment(s) in threads of other accounts ({n_other} of them written "
            "by other brands) or not addressed to the client were set aside"
        )
        q = quarantine_frame(
            {
                "source_file": dropped["source_file"],
                "source_row": dropped["source_row"],
                "column": "author",
                "value": pd.Series(pd.NA, index=dropped.index, dtype="string"),
                "rule": "other_brand",
                "reason": name
                + ", row "
                + dropped["source_row"].astype("string")
                + ": the thread belongs to another brand account in this file "
                "(see brand_accounts in client.yaml)",
            }
        )
        result.quarantine = pd.concat([result.quarantine, q], ignore_index=True)
    result.notes.append(note + ".")
    return result
