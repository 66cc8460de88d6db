"""The numbers articles state, as pages show them: normalised values and groups by subject."""

from __future__ import annotations

from dataclasses import dataclass

# A group of claims lists at most this many on a page.
CLAIMS_SHOWN = 10


def number(value: float) -> str:
    """A float as people write it: thousands separated, no needless decimals (1,000; 1.2; 87.3)."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1 else f"{value:.3g}"


def claim_display(claim) -> str:
    """A claim's normalised value: "1,000 m", "about 97 %", "2,500,000–3,750,000"."""
    unit = f" {claim.unit}" if claim.unit else ""
    if claim.qualifier:
        return f"{claim.qualifier} {number(claim.value)}{unit}"
    if claim.low != claim.high:
        return f"{number(claim.low)}–{number(claim.high)}{unit}"
    return f"{number(claim.value)}{unit}"


def with_display(claims):
    """Give each claim its ``display`` text."""
    for claim in claims:
        claim.display = claim_display(claim)
    return claims


@dataclass
class ClaimGroup:
    """The claims on one subject (same quantity), and whether their ranges all overlap."""

    quantity: str
    subject: str
    claims: list
    compare_url: str = ""

    @property
    def agree(self) -> bool:
        """True when one value lies inside every stated [low, high] range."""
        low = max(c.low for c in self.claims)
        high = min(c.high for c in self.claims)
        # A tiny relative tolerance absorbs float noise from unit conversion.
        return low <= high + abs(high) * 1e-9

    @property
    def article_ids(self) -> list[int]:
        return sorted({c.article_id for c in self.claims})

    @property
    def shown(self) -> list:
        """The claims a page lists: every distinct value first, up to ``CLAIMS_SHOWN``, in order.

        A story covered a hundred times states its numbers a hundred times; the page shows
        each value once before it repeats any (the verdict is still over every claim).
        """
        if len(self.claims) <= CLAIMS_SHOWN:
            return self.claims
        seen: set[str] = set()
        firsts, repeats = [], []
        for i, claim in enumerate(self.claims):
            (repeats if claim.display in seen else firsts).append(i)
            seen.add(claim.display)
        picked = sorted((firsts + repeats)[:CLAIMS_SHOWN])
        return [self.claims[i] for i in picked]

    @property
    def hidden(self) -> int:
        """How many of the group's claims ``shown`` leaves out."""
        return max(len(self.claims) - CLAIMS_SHOWN, 0)


def group_claims(claims) -> list[ClaimGroup]:
    """Group claims by (quantity, subject, case-insensitive); groups with disagreements first."""
    groups: dict[tuple[str, str], ClaimGroup] = {}
    for claim in claims:
        key = (claim.quantity, claim.subject.strip().lower())
        if key not in groups:
            groups[key] = ClaimGroup(claim.quantity, claim.subject, [])
        groups[key].claims.append(claim)
    return sorted(
        groups.values(),
        key=lambda g: (len(g.article_ids) < 2, g.agree, -len(g.article_ids), g.subject.lower()),
    )
