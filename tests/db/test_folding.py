"""Folding: the ASCII short cut agrees with the general path, for any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from db.folding import fold, fold_any, fold_name, sort_key


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_short_cut_folds_like_the_general_path(text: str) -> None:
    assert fold(text) == fold_any(text)


@given(st.text())
def test_folded_text_is_lower_case_ascii_words(text: str) -> None:
    folded = fold(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in folded)
    assert folded == folded.lower()


def test_names_fold_as_people_type_them() -> None:
    assert fold("Siân") == "sian"
    assert fold("Łukasz") == "lukasz"
    assert fold("Ødegaard") == "odegaard"
    assert fold("Straße") == "strasse"
    assert fold("O’Brien") == "obrien"
    assert fold_name("Llŷr-Jones").split() == ["llyr", "jones", "llyrjones"]
    assert sort_key("Ó Dúnlaing", "Aoife") == "odunlaing aoife"
