"""Each package re-exports its public names with a sorted ``__all__`` naming only what exists."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("package", ["calendars", "forecasting"])
def test_all_is_sorted_and_complete(package: str) -> None:
    module = importlib.import_module(package)
    names = list(module.__all__)
    assert names == sorted(names), f"{package}.__all__ is not sorted"
    assert len(names) == len(set(names)), f"{package}.__all__ has duplicates"
    for name in names:
        assert hasattr(module, name), f"{package}.__all__ names {name!r}, which is missing"
    public = {n for n in vars(module) if not n.startswith("_")}
    public -= {"annotations"}
    modules = {n for n in public if type(getattr(module, n)).__name__ == "module"}
    assert public - modules <= set(names), f"{package} exports names missing from __all__"
