"""An LLM verdict with the offline verifier's opinion beside it.

:class:`CrossCheckedVerifier` is a :class:`~claims.protocols.Verifier`: it asks
the primary verifier (the LLM) for the verdict, then asks the checker (the
trained NLI model) about the same claim and the same evidence, and attaches
that second opinion to the verdict as a :class:`~claims.models.CrossCheck`.
The primary verdict is never changed: the cross-check is a flag for the
reviewer (where the two disagree, look first), not a vote.

A failure of the primary verifier fails the claim as before. A failure of the
checker is recorded on the cross-check and the primary verdict stands.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from claims.errors import ClaimscopeError
from claims.models import Claim, CrossCheck, Evidence, Failure, Verdict
from claims.protocols import Verifier

log = logging.getLogger(__name__)


class CrossCheckedVerifier:
    """``primary``'s verdicts, each carrying ``checker``'s verdict on the same evidence."""

    def __init__(self, primary: Verifier, checker: Verifier) -> None:
        self.primary = primary
        self.checker = checker
        self.name = f"{primary.name} + cross-check {checker.name}"

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        verdict = self.primary.verify(claim, evidence)
        return verdict.model_copy(
            update={"cross_check": cross_check(self.checker, claim, evidence, verdict)}
        )


def cross_check(
    checker: Verifier, claim: Claim, evidence: Sequence[Evidence], verdict: Verdict
) -> CrossCheck:
    """``checker``'s opinion of ``claim`` on ``evidence``, compared with ``verdict``."""
    try:
        second = checker.verify(claim, evidence)
    except Exception as exc:  # noqa: BLE001 - a failed cross-check must not fail the claim
        if isinstance(exc, ClaimscopeError):
            log.warning("claim %s: cross-check failed: %s", claim.id, exc)
        else:
            log.exception("claim %s: unexpected error in the cross-check", claim.id)
        return CrossCheck(verifier=checker.name, failure=Failure.of("cross_check", exc))
    return CrossCheck(
        verifier=second.verifier,
        label=second.label,
        confidence=second.confidence,
        citations=second.citations,
        rationale=second.rationale,
        agrees=second.label == verdict.label,
    )
