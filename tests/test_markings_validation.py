"""DESIGN §3 rule 9: refused markings name the token and the rule."""

from __future__ import annotations

import pickle

import pytest

from hstc_desk.markings import Level, Marking, MarkingError, Rule, parse

# input, offending token, rule
REFUSED = [
    # unknown tokens
    ("(X)", "X", Rule.UNKNOWN_TOKEN),
    ("(SECRETS)", "SECRETS", Rule.UNKNOWN_TOKEN),
    ("(S//XX)", "XX", Rule.UNKNOWN_TOKEN),
    ("(S//NOFORNN)", "NOFORNN", Rule.UNKNOWN_TOKEN),
    ("(S//REL)", "REL", Rule.UNKNOWN_TOKEN),
    ("(S//REL TO USA, XYZ)", "XYZ", Rule.UNKNOWN_TOKEN),
    ("(S//REL TO USA, GBR AUS)", "GBR AUS", Rule.UNKNOWN_TOKEN),
    ("(S//SI//LEX)", "LEX", Rule.UNKNOWN_TOKEN),
    ("(S//GBR)", "GBR", Rule.UNKNOWN_TOKEN),
    # SCI, ORCON, IMCON on unclassified
    ("(U//SI)", "SI", Rule.CLASSIFIED_ONLY),
    ("(U//HCS/TK)", "HCS", Rule.CLASSIFIED_ONLY),
    ("(U//OC)", "ORCON", Rule.CLASSIFIED_ONLY),
    ("UNCLASSIFIED//ORCON", "ORCON", Rule.CLASSIFIED_ONLY),
    ("(U//IMC)", "IMCON", Rule.CLASSIFIED_ONLY),
    ("(U//FOUO/IMC)", "IMCON", Rule.CLASSIFIED_ONLY),
    # FOUO on classified
    ("(C//FOUO)", "FOUO", Rule.FOUO_UNCLASSIFIED),
    ("SECRET//FOUO", "FOUO", Rule.FOUO_UNCLASSIFIED),
    ("(TS//SI//FOUO/NF)", "FOUO", Rule.FOUO_UNCLASSIFIED),
    # NOFORN with REL TO
    ("(S//NF/REL TO USA, GBR)", "NOFORN", Rule.NOFORN_REL_TO),
    ("SECRET//REL TO USA, GBR/NOFORN", "NOFORN", Rule.NOFORN_REL_TO),
    ("(U//NF/REL TO USA, FVEY)", "NOFORN", Rule.NOFORN_REL_TO),
    # REL TO without USA first
    ("(S//REL TO GBR, USA)", "REL TO GBR, USA", Rule.USA_FIRST),
    ("(S//REL TO GBR)", "REL TO GBR", Rule.USA_FIRST),
    ("(S//REL TO FVEY)", "REL TO FVEY", Rule.USA_FIRST),
    ("(S//REL TO)", "REL TO", Rule.USA_FIRST),
    ("(S//REL TO USA)", "REL TO USA", Rule.REL_TO_FOREIGN),
    # duplicate tokens, in any form
    ("(S//SI/SI)", "SI", Rule.DUPLICATE),
    ("(S//NF/NOFORN)", "NOFORN", Rule.DUPLICATE),
    ("(S//OC/ORCON)", "ORCON", Rule.DUPLICATE),
    ("(S//REL TO USA, GBR, GBR)", "GBR", Rule.DUPLICATE),
    ("(S//REL TO USA, USA, GBR)", "USA", Rule.DUPLICATE),
    ("(S//REL TO USA, GBR/REL TO USA, AUS)", "REL TO", Rule.DUPLICATE),
    ("(S//LES/LES)", "LES", Rule.DUPLICATE),
    ("(S//NF//NF)", "NOFORN", Rule.DUPLICATE),
    # further rules
    ("(S//NF/RELIDO)", "RELIDO", Rule.RELIDO_NOFORN),
    ("(U//LES/LES-NF)", "LES-NF", Rule.LES_ONCE),
    ("(U//REL TO USA, GBR//LES-NF)", "LES-NF", Rule.LES_NF_REL_TO),
    # grammar
    ("", None, Rule.CLASSIFICATION_FIRST),
    ("()", None, Rule.CLASSIFICATION_FIRST),
    ("(//NF)", None, Rule.CLASSIFICATION_FIRST),
    ("(NF)", "NF", Rule.CLASSIFICATION_FIRST),
    ("(SI//S)", "SI", Rule.CLASSIFICATION_FIRST),
    ("(S//TS)", "TS", Rule.CLASSIFICATION_FIRST),
    ("(S//SECRET)", "SECRET", Rule.CLASSIFICATION_FIRST),
    ("(S/NF)", "S/NF", Rule.SYNTAX),
    ("(S//NF", "(S//NF", Rule.SYNTAX),
    ("S//NF)", "S//NF)", Rule.SYNTAX),
    ("(S//(NF))", "S//(NF)", Rule.SYNTAX),
    ("(S//)", "S//", Rule.SYNTAX),
    ("(S////NF)", "S////NF", Rule.SYNTAX),
    ("(S///NF)", "/NF", Rule.SYNTAX),
    ("(S//SI/)", "SI/", Rule.SYNTAX),
    ("(S//SI/NF)", "SI/NF", Rule.ONE_CATEGORY_PER_SEGMENT),
    ("(S//NF/LES)", "NF/LES", Rule.ONE_CATEGORY_PER_SEGMENT),
    ("(S//NF//OC)", "OC", Rule.ONE_CATEGORY_PER_SEGMENT),
    ("(TS//HCS//SI)", "SI", Rule.ONE_CATEGORY_PER_SEGMENT),
]


@pytest.mark.parametrize(("text", "token", "rule"), REFUSED)
def test_refused(text: str, token: str | None, rule: Rule) -> None:
    with pytest.raises(MarkingError) as info:
        parse(text)
    err = info.value
    assert err.token == token
    assert err.rule == rule
    message = str(err)
    assert f"(rule: {rule.value})" in message
    if token is not None:
        assert token in message


def test_example_message() -> None:
    with pytest.raises(MarkingError) as info:
        parse("(U//OC)")
    assert str(info.value) == (
        "ORCON on an unclassified portion: ORCON requires a classified portion "
        "(rule: ORCON, IMCON and SCI only on classified portions)"
    )
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "token", "rule"),
    [
        ({"level": Level.U, "sci": frozenset({"SI"})}, "SI", Rule.CLASSIFIED_ONLY),
        ({"level": Level.U, "dissem": frozenset({"OC"})}, "ORCON", Rule.CLASSIFIED_ONLY),
        ({"level": Level.S, "dissem": frozenset({"FOUO"})}, "FOUO", Rule.FOUO_UNCLASSIFIED),
        ({"level": Level.S, "sci": frozenset({"XX"})}, "XX", Rule.UNKNOWN_TOKEN),
        ({"level": Level.S, "dissem": frozenset({"REL TO"})}, "REL TO", Rule.UNKNOWN_TOKEN),
        ({"level": Level.S, "non_ic": frozenset({"LEZ"})}, "LEZ", Rule.UNKNOWN_TOKEN),
        ({"level": Level.S, "rel_to": ("GBR", "USA")}, "REL TO GBR, USA", Rule.USA_FIRST),
        ({"level": Level.S, "rel_to": ()}, "REL TO ", Rule.USA_FIRST),
        ({"level": Level.S, "rel_to": ("USA", "GBR", "GBR")}, "GBR", Rule.DUPLICATE),
        ({"level": Level.S, "rel_to": ("USA", "QQQ")}, "QQQ", Rule.UNKNOWN_TOKEN),
        ({"level": Level.S, "rel_to": ("USA",)}, "REL TO USA", Rule.REL_TO_FOREIGN),
        (
            {"level": Level.S, "dissem": frozenset({"NOFORN"}), "rel_to": ("USA", "GBR")},
            "NOFORN",
            Rule.NOFORN_REL_TO,
        ),
    ],
)
def test_constructor_refuses(kwargs: dict[str, object], token: str, rule: Rule) -> None:
    with pytest.raises(MarkingError) as info:
        Marking(**kwargs)  # type: ignore[arg-type]
    assert info.value.token == token
    assert info.value.rule == rule


def test_error_pickles() -> None:
    with pytest.raises(MarkingError) as info:
        parse("(S//FOUO)")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.token, copy.rule, str(copy)) == ("FOUO", info.value.rule, str(info.value))
