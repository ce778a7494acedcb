"""The bundled demo data: a real Chinese apparel brand, and example planning files for 2012.

``data/china_clothing/`` holds real daily sales of one Chinese clothing brand in 25 provinces,
2008-01-01 to 2011-12-31 (GPL-3; CRAN package SLBDD, Peña & Tsay; data of Chang, Guo & Yao 2018,
*Annals of Statistics* 46(5)). The file stores natural-log sales; :func:`load_demo` returns ``units
= exp(value)`` as float, unrounded (rounding would change every value by up to half a unit and is
not needed anywhere), in the canonical long format with ``store`` = ``region`` = the province and
``category`` = ``"apparel"``.

``data/demo_plan/`` holds *example* planning inputs for 2012 written for the demo (they are not
sales facts): the 25 provinces with grades, strategic flags, presentation minimums and caps; eight
new styles; three planners' estimates of each style's first eight weeks. Their scale follows the
brand's sales: a new style is assumed to sell about 0.06 % of the brand's units in its first eight
weeks (the brand sells about 7.2 million units from September to late October), i.e. 2,000-8,000
units nationally; a presentation minimum of 150-240 units per province is a size run of a style in a
province's main stores.

Examples
--------
>>> demo = load_demo()
>>> demo.sales.shape, demo.sales.attrs["freq"]
((36525, 5), 'D')
>>> sorted(demo.judgments["forecaster"].unique())
['buyer_li', 'planner_wang', 'sales_zhao']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.inputs.dtypes import TEXT
from forecasting.inputs.readers import read_judgments, read_products, read_sales, read_stores

__all__ = ["DemoData", "demo_path", "load_demo"]

_SALES_FILE = "clothing_log_daily_2008_2011.csv"


@dataclass(frozen=True)
class DemoData:
    """The demo tables, each in canonical form.

    Attributes
    ----------
    sales : DataFrame
        Daily units per province: ``date, store, category, region, units`` (36,525 rows).
    stores : DataFrame
        The 25 provinces: ``store, region, grade, strategic, min_units, max_units``.
    products : DataFrame
        Eight new styles for 2012 (``sku, category, price, unit_cost, salvage_value`` and
        attributes).
    judgments : DataFrame
        Three estimates per style: ``sku, forecaster, units, horizon_weeks`` (+ ``role``).
    """

    sales: pd.DataFrame
    stores: pd.DataFrame
    products: pd.DataFrame
    judgments: pd.DataFrame

    def _lines(self) -> list[tuple[str, str]]:
        sales = self.sales
        first, last = sales["date"].min(), sales["date"].max()
        return [
            (
                "sales",
                f"{len(sales):,} rows: daily units of {sales['store'].nunique()} stores, "
                f"{first:%Y-%m-%d}..{last:%Y-%m-%d}",
            ),
            ("stores", f"{len(self.stores)} rows: {', '.join(map(str, self.stores.columns))}"),
            ("products", f"{len(self.products)} new styles: {', '.join(self.products['sku'])}"),
            (
                "judgments",
                f"{len(self.judgments)} estimates by "
                f"{', '.join(sorted(self.judgments['forecaster'].unique()))}",
            ),
        ]

    def __repr__(self) -> str:
        """A line per table, not the tables.

        Examples
        --------
        >>> print(repr(load_demo()).splitlines()[1])
          sales: 36,525 rows: daily units of 25 stores, 2008-01-01..2011-12-31
        """
        return "DemoData\n" + "\n".join(f"  {name}: {text}" for name, text in self._lines())

    def _repr_html_(self) -> str:
        """The same lines as :meth:`__repr__`, as a small HTML table for Jupyter."""
        import html

        rows = "".join(
            f"<tr><td><code>{name}</code></td><td>{html.escape(text)}</td></tr>"
            for name, text in self._lines()
        )
        return f"<p><b>DemoData</b></p><table><tbody>{rows}</tbody></table>"


def demo_path(name: str = "") -> Path:
    """Path of a bundled demo file or folder (``"china_clothing"``, ``"demo_plan/stores.csv"``).

    Examples
    --------
    >>> demo_path("demo_plan/stores.csv").name
    'stores.csv'
    """
    root = Path(str(resources.files("forecasting.inputs") / "data"))
    return root / name if name else root


@functools.lru_cache(maxsize=1)
def _demo_sales() -> pd.DataFrame:
    wide = pd.read_csv(demo_path("china_clothing") / _SALES_FILE)
    long = wide.melt(id_vars="date", var_name="store", value_name="log_units")
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(long["date"], format="%Y-%m-%d"),
            "store": long["store"].astype(TEXT),
            "category": "apparel",
            "region": long["store"].astype(TEXT),
            "units": np.exp(long["log_units"].to_numpy(dtype="float64")),
        }
    )
    frame.attrs["source"] = f"demo {_SALES_FILE}"
    return read_sales(frame, freq="D")


def load_demo() -> DemoData:
    """Load the demo: real daily sales of a Chinese apparel brand and example plans for 2012.

    Returns
    -------
    DemoData
        ``.sales`` (daily units, ``store`` = ``region`` = ``Province_1`` .. ``Province_25``,
        ``category`` = ``"apparel"``, 2008-01-01 .. 2011-12-31), ``.stores``, ``.products`` (new
        styles for 2012) and ``.judgments``. Each call returns fresh copies.

    Examples
    --------
    >>> demo = load_demo()
    >>> dates = demo.sales["date"]
    >>> dates.min().date(), dates.max().date(), demo.sales["store"].nunique()
    (datetime.date(2008, 1, 1), datetime.date(2011, 12, 31), 25)
    >>> round(float(demo.sales["units"].iloc[0]), 1)  # exp(10.25511895)
    28427.7
    """
    sales = _demo_sales().copy()
    sales.attrs = dict(_demo_sales().attrs)
    plan = demo_path("demo_plan")
    stores = read_stores(plan / "stores.csv", sales=sales)
    products = read_products(plan / "new_products.csv")
    judgments = read_judgments(plan / "judgments.csv", products=products)
    return DemoData(sales=sales, stores=stores, products=products, judgments=judgments)
