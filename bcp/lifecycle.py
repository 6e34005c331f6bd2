"""The cyber-BCP state machine (rule B-1, B-3) as a transition table."""

from __future__ import annotations

from bcp.enums import BcpState as S

TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (S.NOT_ACTIVATED, S.DECISION_PENDING),
        (S.DECLINED, S.DECISION_PENDING),  # D-1b re-opens a declined decision
        (S.STOOD_DOWN, S.DECISION_PENDING),  # a new wave after stand-down
        (S.DECISION_PENDING, S.ACTIVATED_PARTIAL),
        (S.DECISION_PENDING, S.ACTIVATED_FULL),
        (S.DECISION_PENDING, S.DECLINED),
        # The last pending BCP decision was withdrawn (or a lone cut-off declined): back to
        # where the BCP stood before it opened.
        (S.DECISION_PENDING, S.NOT_ACTIVATED),
        (S.DECISION_PENDING, S.STOOD_DOWN),
        (S.ACTIVATED_PARTIAL, S.ACTIVATED_FULL),
        (S.ACTIVATED_FULL, S.ACTIVATED_PARTIAL),  # B-3: staged reconnection, by decision
        (S.ACTIVATED_PARTIAL, S.STOOD_DOWN),
        (S.ACTIVATED_FULL, S.STOOD_DOWN),
    }
)

ACTIVATED = frozenset({S.ACTIVATED_PARTIAL, S.ACTIVATED_FULL})


def can_move(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS
