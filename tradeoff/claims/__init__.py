"""The claim registry: the single source of truth for `tradeoff verify`, the tests and the docs.

Each entry answers the protocol of :class:`tradeoff.claims.base.Claim`. Order: the model, Theorem
2.1 and its proof (App. C), Theorem 2.2 and its proof (App. D), results beyond the paper
(B-…), and the derived closed forms the others rest on (L-…).
"""

from __future__ import annotations

from tradeoff.claims.base import Claim, Outcome, describe_case

__all__ = ["Claim", "Outcome", "REGISTRY", "all_claims", "get", "describe_case"]


def _load() -> dict[str, Claim]:
    from tradeoff.claims import beyond, frontier, library, model, theorem21, theorem22

    modules = [model, theorem21, theorem22, beyond, frontier, library]
    registry: dict[str, Claim] = {}
    for module in modules:
        for claim in module.CLAIMS:
            if claim.id in registry:
                raise RuntimeError(f"duplicate claim ID {claim.id}")
            registry[claim.id] = claim
    return registry


REGISTRY: dict[str, Claim] = _load()


def all_claims() -> list[Claim]:
    """Every registered claim, in registry order."""
    return list(REGISTRY.values())


def get(claim_id: str) -> Claim:
    """The claim with this ID (``KeyError`` lists the known IDs)."""
    try:
        return REGISTRY[claim_id]
    except KeyError:
        raise KeyError(f"unknown claim ID {claim_id!r}; known: {sorted(REGISTRY)}") from None
