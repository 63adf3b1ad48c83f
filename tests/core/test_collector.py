"""``collection_paused``: the collector is off inside, and as it was after (also after an error)."""

from __future__ import annotations

import gc

import pytest

from kop.core.collector import collection_paused


def test_paused_inside_and_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collection_paused():
        assert not gc.isenabled()
        with collection_paused():  # nested: the inner block does not turn it back on
            pass
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_check_leaves_the_collector_on(make_project) -> None:
    from kop.core.project import load_project
    from kop.site.checking import check
    from tests.conftest import FIXTURES

    root = make_project({"testoversikt.md": FIXTURES / "valid" / "testoversikt.md"})
    check(load_project(root))
    assert gc.isenabled()
