"""docs/scenario-kz2013.md states the model's parameters as the code has them."""

from __future__ import annotations

from pathlib import Path

from saylau.scenarios.kz2013 import candidates, simulate

DOC = (Path(__file__).parents[2] / "docs" / "scenario-kz2013.md").read_text(encoding="utf-8")


def _pct(p: float) -> str:
    return f"{p * 100:g}%"


def test_simulation_parameters_documented() -> None:
    assert f"absent with probability {_pct(simulate.P_ABSENT)}" in DOC
    assert f"invalid with probability {_pct(simulate.P_INVALID)}" in DOC
    assert f"blank with {_pct(simulate.P_BLANK)}" in DOC
    assert f"σ = {simulate.APPEAL_SIGMA:g}" in DOC
    assert f"multiplied by {simulate.INCUMBENT_ADVANTAGE:g}" in DOC
    assert f"concentration {simulate.CONCENTRATION:g}" in DOC
    assert f"`{simulate.RULE_SET_NAME}` preset" in DOC


def test_candidate_parameters_documented() -> None:
    assert f"in {_pct(candidates.P_INCUMBENT_STANDS)} of posts" in DOC
    assert f"women are {_pct(candidates.P_FEMALE_INCUMBENT)} of sitting akims" in DOC
    assert f"{_pct(candidates.P_FEMALE_CHALLENGER)} of other candidates" in DOC
    mean, sd = candidates.INCUMBENT_AGE
    assert f"sitting akims about {mean} (normal, s.d. {sd})" in DOC
    mean, sd = candidates.CHALLENGER_AGE
    assert f"others about {mean} (s.d. {sd})" in DOC
    assert f"at most {candidates.MAX_PER_POST} per post" in DOC
