"""The column types launchcast gives its tables, the same on pandas 2.3 and pandas 3.

Text columns use pandas' string type with ``NaN`` for missing values: the ``"str"`` type of
pandas 3, spelled so that pandas 2.3 gives the same type (there ``"str"`` means NumPy strings,
which would turn a missing value into the text ``"nan"``).

Examples
--------
>>> import pandas as pd
>>> pd.Series(["a", None]).astype(TEXT).tolist()
['a', nan]
>>> str(TEXT)
'str'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["TEXT"]

#: Text columns: pandas' string type with ``NaN`` for missing values (pandas 3's ``"str"``).
TEXT = pd.StringDtype(na_value=np.nan)
