"""`Later`: a number a remembered page prints but that is put in after (a risk's rank among all risks)."""

from __future__ import annotations

import pytest

from ddgen.memo import Later, fingerprint, put_in
from ddgen.render import escape_text, translate


def test_a_later_number_prints_as_a_marker_that_escaping_keeps_and_put_in_replaces() -> None:
    rank, total = Later("rank"), Later("total")
    text = translate("Priority %(rank)s of %(total)s", {"rank": rank, "total": total})
    assert escape_text(rank) == str(rank)
    assert put_in(str(text), ((rank, 3), (total, 1000))) == "Priority 3 of 1000"


@pytest.mark.parametrize("use", [
    lambda n: n <= 3, lambda n: n == 1, lambda n: n + 1, lambda n: bool(n), lambda n: f"{n:d}", lambda n: {n: 1},
])
def test_anything_but_printing_a_later_number_raises_type_error(use) -> None:  # type: ignore[no-untyped-def]
    """So that a template that compares or formats the rank is rendered with the number itself."""
    with pytest.raises(TypeError):
        use(Later("rank"))


def test_later_numbers_fingerprint_alike() -> None:
    assert fingerprint(Later("rank")) == fingerprint(Later("rank")) != fingerprint(Later("total"))
