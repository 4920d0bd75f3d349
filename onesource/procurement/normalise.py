"""The supplier normaliser: one key per way of writing a name, and suggestions of suppliers that may be one.

"CIVICA UK LTD", "Civica UK Limited" and "CIVICA" are three spellings councils use for one company.
`supplier_key` reduces a name to what identifies it (capitals, "&" as AND, no punctuation, no legal
form such as LTD or LIMITED at its end, no leading THE): the first two get the same key.
`suggest_matches` then proposes pairs of suppliers that may be one: the same key, a key that is
the other's first words ("CIVICA" and "CIVICA UK"), or keys that rapidfuzz scores as near-identical.
It only suggests: a person confirms a merge (`actions.merge_suppliers`) or says the two differ
(`actions.mark_distinct`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

# Legal forms and filler words that do not tell two suppliers apart.
LEGAL_FORMS = {
    "LTD",
    "LIMITED",
    "PLC",
    "LLP",
    "LP",
    "CIC",
    "INC",
    "CO",
    "COMPANY",
    "CORPORATION",
    "CORP",
    "GROUP",
    "HOLDINGS",
}
_NON_WORD = re.compile(r"[^A-Z0-9 ]+")
_SPACES = re.compile(r"\s+")
# Words too common to suggest a match on their own ("CARE" is the start of hundreds of names).
MIN_PREFIX_CHARS = 5
FUZZY_SCORE = 92.0

# What councils write instead of a name they must not publish.
REDACTION_MARKERS = ("REDACTED", "WITHHELD", "PERSONAL DATA", "PRIVATE INDIVIDUAL", "NOT DISCLOSED")
_PERSON_TITLES = re.compile(r"^(MR|MRS|MS|MISS|DR|MX)\.?\s+", re.IGNORECASE)
_ORGANISATION_WORDS = re.compile(
    r"\b(LTD|LIMITED|PLC|LLP|CIC|TRUST|COUNCIL|SCHOOL|ACADEMY|CHARITY|SERVICES|ASSOCIATION|T/A|TRADING)\b",
    re.IGNORECASE,
)


def supplier_key(name: str) -> str:
    """The name reduced to what identifies the supplier: 'Civica UK Limited' -> 'CIVICA UK'."""
    text = name.upper().replace("&", " AND ").replace("'", "").replace("-", "")
    words = _SPACES.sub(" ", _NON_WORD.sub(" ", text)).split()
    kept = list(words)
    # Legal forms come at the end ("ACME HOLDINGS LTD"); THE at the start. "CO" inside a name stays.
    while kept and kept[-1] in LEGAL_FORMS:
        kept.pop()
    if kept and kept[0] == "THE":
        kept.pop(0)
    # A name that is nothing but filler ("The Company Ltd") keeps its words rather than vanishing.
    return " ".join(kept or words)


def same_name(name: str) -> str:
    """The name as exact matching compares it: capitals, single spaces."""
    return _SPACES.sub(" ", name.strip()).upper()


def is_redacted(name: str) -> bool:
    upper = name.strip().upper()
    return not upper or any(marker in upper for marker in REDACTION_MARKERS)


def looks_like_a_person(name: str) -> bool:
    """A private individual by their title ('MR B J JONES', 'Dr Helen Rowe'), not a firm trading under it."""
    return bool(_PERSON_TITLES.match(name.strip())) and not _ORGANISATION_WORDS.search(name)


@dataclass(frozen=True)
class Suggestion:
    first_id: int
    second_id: int
    score: float
    reason: str


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def suggest_matches(
    suppliers: Iterable[tuple[int, str]], *, distinct: Iterable[tuple[int, int]] = (), limit: int = 200
) -> list[Suggestion]:
    """Pairs of (id, key) that may be one supplier, best first; pairs marked distinct are left out.

    Keys are compared only within a block of the same first word, so the work grows with the
    size of the blocks, not with the square of the register."""
    refused = {_pair(a, b) for a, b in distinct}
    blocks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for supplier_id, key in suppliers:
        if key:
            blocks[key.split()[0]].append((supplier_id, key))
    found: dict[tuple[int, int], Suggestion] = {}
    for members in blocks.values():
        for index, (first_id, first_key) in enumerate(members):
            for second_id, second_key in members[index + 1 :]:
                pair = _pair(first_id, second_id)
                if pair in refused or pair in found:
                    continue
                suggestion = _compare(pair, first_key, second_key)
                if suggestion:
                    found[pair] = suggestion
    ranked = sorted(found.values(), key=lambda s: (-s.score, s.first_id, s.second_id))
    return ranked[:limit]


def _compare(pair: tuple[int, int], first: str, second: str) -> Suggestion | None:
    if first == second:
        return Suggestion(
            *pair, 100.0, "The names are the same apart from capitals, punctuation or legal form"
        )
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) >= MIN_PREFIX_CHARS and longer.startswith(shorter + " "):
        return Suggestion(*pair, 95.0, f"One name is the start of the other ({shorter})")
    score = fuzz.ratio(first, second)
    if score >= FUZZY_SCORE:
        return Suggestion(*pair, round(score, 1), "The names differ by a letter or two")
    return None
