"""``import forecasting`` is quick: heavy optional libraries are imported where they are used."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("prophet", "cmdstanpy", "dask", "distributed", "pyarrow")

PROBE = """
import json, sys
import pandas  # noqa: F401  (pandas imports pyarrow itself when it is installed)
before = set(sys.modules)
import forecasting  # noqa: F401
print(json.dumps({"pandas": sorted(before), "forecasting": sorted(set(sys.modules) - before)}))
"""


def test_import_forecasting_leaves_heavy_libraries_alone() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout)
    imported = {name.split(".")[0] for name in modules["forecasting"]}
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))
    # only pyarrow may be there at all, when pandas imports it itself
    by_pandas = {name.split(".")[0] for name in modules["pandas"]}
    assert not (imported | by_pandas) & {"prophet", "cmdstanpy", "dask", "distributed"}
