"""The decision as printed on a protocol, in each language: a lot says how it was drawn."""

from __future__ import annotations

from saylau.documents.protocols import decision_lines
from saylau.rules.decide import Decision, DecisionKind, FailureReason
from saylau.rules.lots import Lot, LotMethod

NAMES = {"7": "Әсел Құрманғалиқызы", "9": "Іңкәр Һашимова"}
SEED = "31415926535897932384"


def _elected_by_lot(lot: Lot) -> Decision:
    return Decision(1, DecisionKind.ELECTED, 9, "9", None, ("7", "9"), None, lot=lot)


def test_a_seeded_lot_prints_its_method_and_seed() -> None:
    lot = Lot(LotMethod.SEED, ("7", "9"), "9", seed=SEED)
    assert decision_lines(_elected_by_lot(lot), NAMES, "en") == [
        "Elected akim: Іңкәр Һашимова",
        "Elected by lot between Әсел Құрманғалиқызы, Іңкәр Һашимова",
        "Method of the draw: a verifiable draw from a public seed",
        f"Seed of the draw: {SEED}",
        "Votes needed to be elected: 9",
    ]
    kk = decision_lines(_elected_by_lot(lot), NAMES, "kk")
    assert kk[0] == "Әкім болып сайланды: Іңкәр Һашимова"
    assert kk[3] == f"Жеребенің бастапқы саны: {SEED}"


def test_a_recorded_lot_prints_who_drew_and_the_witnesses() -> None:
    lot = Lot(LotMethod.RECORDED, ("7", "9"), "7", drawn_by="Ғалым Өтегенұлы", witnesses=("A", "B"))
    lines = decision_lines(_elected_by_lot(lot), NAMES, "ru")
    assert "Способ жеребьёвки: жеребьёвка на собрании с записью результата" in lines
    assert "Жребий тянул(а): Ғалым Өтегенұлы" in lines and "Свидетели: A, B" in lines


def test_repeat_voting_failure_and_a_rejected_draft() -> None:
    nxt = Decision(1, DecisionKind.NEXT_ROUND, 9, None, ("7", "9"), None, FailureReason.NO_MAJORITY)
    assert decision_lines(nxt, NAMES, "en")[0] == (
        "Repeat voting between Әсел Құрманғалиқызы, Іңкәр Һашимова"
    )
    failed = Decision(2, DecisionKind.FAILED, None, None, None, None, FailureReason.TIE)
    assert decision_lines(failed, NAMES, "kk") == [
        "Ешкім сайланбады (Дауыстар тең): қайта сайлау өткізіледі"
    ]
    assert decision_lines(None, NAMES, "en") == ["No decision: the protocol is a rejected draft."]
