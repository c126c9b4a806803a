"""The value every liveness check returns (a decision is a value, not an exception).

``score`` is in [0, 1], higher meaning more likely live; ``live`` is the decision at
``THRESHOLD``. ``reasons`` are stable machine codes (``screen_glare``, ``low_skin_chroma``,
``duplicate_frame``, ``challenge_not_met:blink`` ...); ``cues`` holds each cue's raw
measure for audits. Nothing in it identifies the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class LivenessResult:
    live: bool
    score: float
    reasons: tuple[str, ...] = ()
    challenges: list[dict[str, object]] = field(default_factory=list)
    cues: dict[str, float] = field(default_factory=dict)
    method: str = "passive"

    def to_dict(self) -> dict[str, object]:
        return {
            "live": self.live,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
            "challenges": [dict(c) for c in self.challenges],
            "cues": {k: round(v, 4) for k, v in self.cues.items()},
            "method": self.method,
        }
