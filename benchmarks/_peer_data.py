"""The data sets of ``benchmarks/peers.py``: each a time-ordered split of real sales.

Every loader returns one or more :class:`Split` objects: long sales ``date, <keys>, units`` over
the whole span (train and test), the key columns, the forecast horizon, the frequency (a pandas
alias), the peers' season length and the launchcast market. The train part is every row on or
before ``cutoff``; the test part is the ``horizon`` periods after it. Everybody (launchcast and the
peers) gets the same rows: missing periods inside a series are already filled with zeros here.

The files are read from ``../shared/data`` (benchmark only: nothing is copied into the project).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

__all__ = [
    "DATA",
    "Split",
    "china",
    "china_monthly",
    "china_q4",
    "daily_online_retail",
    "load",
    "monthly",
    "walmart",
]


@dataclass(frozen=True)
class Split:
    """One time-ordered split: learn from ``date <= cutoff``, forecast ``horizon`` periods after.

    ``freq`` is the pandas alias of the data (``"D"``, ``"W-FRI"``, ``"MS"``); ``season`` the
    season length the peers get (daily 7, weekly 52, monthly 12); ``market`` the holiday country
    launchcast gets; ``group`` names the table the split is printed in (the monthly series are
    printed one table each and summarised together).
    """

    name: str
    sales: pd.DataFrame
    keys: list[str]
    horizon: int
    freq: str
    season: int
    market: str
    notes: list[str] = field(default_factory=list)
    group: str = ""

    @property
    def cutoff(self) -> pd.Timestamp:
        """Last period of the training part."""
        end = pd.Timestamp(self.sales["date"].max())
        return pd.Timestamp(pd.date_range(end=end, periods=self.horizon + 1, freq=self.freq)[0])

    @property
    def train(self) -> pd.DataFrame:
        return self.sales[self.sales["date"] <= self.cutoff].reset_index(drop=True)

    @property
    def test(self) -> pd.DataFrame:
        return self.sales[self.sales["date"] > self.cutoff].reset_index(drop=True)

    @property
    def n_series(self) -> int:
        return int(self.sales.groupby(self.keys).ngroups) if self.keys else 1


def _sample(keys: np.ndarray, n: int, seed: int) -> np.ndarray:
    """A deterministic sample of ``n`` of the sorted ``keys`` (all when ``n`` is 0 or larger)."""
    keys = np.sort(keys)
    if 0 < n < len(keys):
        keys = np.sort(np.random.default_rng(seed).choice(keys, size=n, replace=False))
    return keys


def china(quick: bool = False, seed: int = 0) -> list[Split]:
    """China clothing, 25 provinces daily; train 2008-01-01 .. 2010-12-31, forecast 2011 (365 d).

    The file holds ``log(sales)`` with consecutive days from 2008-01-01 (see the data README); the
    values are exponentiated, as ``benchmarks/forecast_accuracy.py`` does. ``quick``: 5 provinces.
    """
    raw = pd.read_csv(
        DATA / "china_clothing" / "clothing_log_daily_2008_2011.csv", parse_dates=["date"]
    )
    long = raw.melt(id_vars="date", var_name="province", value_name="log")
    long["units"] = np.exp(long["log"])
    sales = long[["date", "province", "units"]]
    notes = []
    if quick:
        chosen = _sample(sales["province"].unique(), 5, seed)
        sales = sales[sales["province"].isin(chosen)]
        notes.append(f"--quick: {len(chosen)} of 25 provinces ({', '.join(chosen)})")
    sales = sales.sort_values(["province", "date"]).reset_index(drop=True)
    split = Split(
        name="China clothing, daily, forecast 2011 (365 d)",
        sales=sales,
        keys=["province"],
        horizon=365,
        freq="D",
        season=7,
        market="CN",
        notes=notes,
    )
    assert split.cutoff == pd.Timestamp("2010-12-31"), split.cutoff
    return [split]


def china_quarter(quick: bool = False, seed: int = 0) -> list[Split]:
    """China clothing as :func:`china`, forecasting only the first 90 days of 2011.

    The same cutoff (2010-12-31) with a horizon a quarter of a year long (the Spring Festival of
    2011-02-03 inside it): the short forecasts ``auto`` chooses its models for separately.
    """
    (split,) = china(quick=quick, seed=seed)
    sales = split.sales[split.sales["date"] <= "2011-03-31"].reset_index(drop=True)
    quarter = replace(
        split, name="China clothing, daily, forecast 2011-01..03 (90 d)", sales=sales, horizon=90
    )
    assert quarter.cutoff == pd.Timestamp("2010-12-31"), quarter.cutoff
    return [quarter]


def china_q4(quick: bool = False, seed: int = 0) -> list[Split]:
    """China clothing as :func:`china`, learning up to 2011-10-02 and forecasting 90 days.

    Another forecast origin than the one launchcast's options were chosen on (2011-01-01), the
    length of a store-traffic forecast: Q4 2011, with the National Day week at its start and the
    11.11 festival inside.
    """
    (split,) = china(quick=quick, seed=seed)
    sales = split.sales[split.sales["date"] <= "2011-12-31"].reset_index(drop=True)
    q4 = replace(
        split,
        name="China clothing, daily, forecast 2011-10-03..12-31 (90 d)",
        sales=sales,
        horizon=90,
    )
    assert q4.cutoff == pd.Timestamp("2011-10-02"), q4.cutoff
    return [q4]


def china_monthly(quick: bool = False, seed: int = 0) -> list[Split]:
    """China clothing summed by calendar month per province (25 monthly series); forecast 2011.

    Monthly turnover of many series: 36 months to learn from (2008-2010), 12 ahead. The Spring
    Festival moves between January and February from year to year.
    """
    (split,) = china(quick=quick, seed=seed)
    daily = split.sales
    sales = (
        daily.assign(date=daily["date"].dt.to_period("M").dt.to_timestamp())
        .groupby(["province", "date"], as_index=False)["units"]
        .sum()[["date", "province", "units"]]
    )
    monthly_split = replace(
        split,
        name="China clothing, monthly, forecast 2011 (12 m)",
        sales=sales,
        horizon=12,
        freq="MS",
        season=12,
    )
    assert monthly_split.cutoff == pd.Timestamp("2010-12-01"), monthly_split.cutoff
    return [monthly_split]


WALMART_HOLDOUT = 26


def walmart(quick: bool = False, seed: int = 0, n_series: int | None = None) -> list[Split]:
    """Walmart store x department, weekly (W-FRI); forecast the last 26 weeks.

    Negative weekly sales (returns) are clipped at 0, for every method. Only the series with the
    full history (a row in every week of the file) are kept; the others (starting late, stopping,
    or with gaps) are counted in the notes. ``quick``: a seeded sample of 300 of them
    (``n_series`` overrides; 0 = all).
    """
    raw = pd.read_csv(DATA / "walmart" / "train_2010-02_2012-04.csv", parse_dates=["Date"])
    sales = pd.DataFrame(
        {
            "date": raw["Date"],
            "store": raw["Store"].astype(int),
            "dept": raw["Dept"].astype(int),
            "units": raw["Weekly_Sales"].astype(float),
        }
    )
    negative = int((sales["units"] < 0).sum())
    sales["units"] = sales["units"].clip(lower=0.0)
    weeks = sales["date"].nunique()
    counts = sales.groupby(["store", "dept"])["date"].nunique()
    full = counts[counts == weeks].index
    total = len(counts)
    sales = sales.set_index(["store", "dept"]).loc[full].reset_index()
    notes = [
        f"{negative} negative weekly sales (returns) clipped at 0 for every method",
        f"{len(full)} of {total} store x dept series have all {weeks} weeks and are kept; "
        f"{total - len(full)} start late, stop or have gaps and are left out",
    ]
    if n_series is None:
        n_series = 300 if quick else 0
    if n_series:
        ids = np.array([f"{s}-{d}" for s, d in full])
        chosen = set(_sample(ids, n_series, seed))
        mask = (sales["store"].astype(str) + "-" + sales["dept"].astype(str)).isin(chosen)
        sales = sales[mask]
        notes.append(f"sample: {len(chosen)} of the {len(full)} full series (seed {seed})")
    sales = sales.sort_values(["store", "dept", "date"]).reset_index(drop=True)
    return [
        Split(
            name=f"Walmart store x dept, weekly, last {WALMART_HOLDOUT} weeks",
            sales=sales[["date", "store", "dept", "units"]],
            keys=["store", "dept"],
            horizon=WALMART_HOLDOUT,
            freq="W-FRI",
            season=52,
            market="US",
            notes=notes,
        )
    ]


def _one_monthly(
    name: str, dates: pd.Series, units: pd.Series, horizon: int, market: str, notes: list[str]
) -> Split:
    sales = pd.DataFrame(
        {"date": pd.DatetimeIndex(dates).to_period("M").to_timestamp(), "series": name}
    )
    sales["units"] = units.astype(float).to_numpy()
    grid = pd.date_range(sales["date"].min(), sales["date"].max(), freq="MS")
    if len(grid) != len(sales):
        raise ValueError(f"{name}: the months are not consecutive")
    return Split(
        name=f"monthly: {name}, last {horizon} months",
        sales=sales,
        keys=["series"],
        horizon=horizon,
        freq="MS",
        season=12,
        market=market,
        notes=notes,
        group="monthly",
    )


def monthly(quick: bool = False, seed: int = 0) -> list[Split]:
    """Four single monthly series, each its own split (``quick`` changes nothing: they are small).

    US retail sales 1992-01 .. 2016-05 (prophet's example) and Australian wine sales 1980-01 ..
    1994-08 (pmdarima): the last 24 months; shampoo sales (36 months): the last 12; PBS pharmacy
    scripts (sktime; one intermittent series of 204 months, 1991-07 .. 2008-06, that stops selling
    after 2005-04: the zero months after the last sale are cut): the last 24 up to 2005-04.
    """
    classic = DATA / "classic_series"
    retail = pd.read_csv(DATA / "prophet_examples" / "example_retail_sales.csv")
    wine = pd.read_csv(classic / "pmdarima_wineind.csv")
    shampoo = pd.read_csv(classic / "sktime_ShampooSales.csv")
    pbs = pd.read_csv(classic / "sktime_PBS_dataset.csv")
    last_sale = int(np.flatnonzero(pbs["Scripts"].to_numpy() > 0)[-1])
    stopped = len(pbs) - 1 - last_sale
    pbs = pbs.iloc[: last_sale + 1]
    return [
        _one_monthly("US retail", pd.to_datetime(retail["ds"]), retail["y"], 24, "US", []),
        _one_monthly(
            "AU wine",
            pd.to_datetime(wine["month"], format="%Y-%m"),
            wine["wine_sales_bottles"],
            24,
            "AU",
            [],
        ),
        _one_monthly(
            "shampoo",
            pd.to_datetime(shampoo["Time"], format="%Y-%m"),
            shampoo["Sales"],
            12,
            "GB",
            ["36 months: 24 to learn from, too short for a seasonal fit by most methods"],
        ),
        _one_monthly(
            "PBS scripts",
            pd.to_datetime(pbs["Month"], format="%Y %b"),
            pbs["Scripts"],
            24,
            "AU",
            [
                f"intermittent; sales stop after {pbs['Month'].iloc[-1]}: the {stopped} zero "
                "months after it are cut (a test of zeros has no WAPE)"
            ],
        ),
    ]


def daily_online_retail(quick: bool = False, seed: int = 0) -> list[Split]:
    """UCI online retail (UK), 30 items daily; forecast the last 90 days.

    Days without a row are days without sales: each item is filled with zeros from its first day
    to the last day of the file (2010-12-01 .. 2011-12-09, 374 days; 284 to learn from, less
    than a year, so no yearly season for anybody). ``quick`` keeps all 30 (they are small).
    """
    read = pd.read_csv(
        DATA / "prophet_examples" / "example_online_retail_multivariate.csv", parse_dates=["ds"]
    )
    raw = read.groupby(["item", "ds"], as_index=False)["y"].sum()
    end = raw["ds"].max()
    parts = []
    for item, part in raw.groupby("item", sort=True):
        days = pd.date_range(part["ds"].min(), end, freq="D")
        units = part.set_index("ds")["y"].reindex(days, fill_value=0).astype(float)
        parts.append(pd.DataFrame({"date": days, "item": str(item), "units": units.to_numpy()}))
    sales = pd.concat(parts, ignore_index=True)
    zeros = float((sales["units"] == 0).mean())
    return [
        Split(
            name="Online retail (UK), 30 items, daily, last 90 days",
            sales=sales,
            keys=["item"],
            horizon=90,
            freq="D",
            season=7,
            market="GB",
            notes=[f"days without a row filled with 0 ({zeros:.0%} of item-days are zero)"],
        )
    ]


LOADERS = {
    "china": china,
    "china90": china_quarter,
    "china_q4": china_q4,
    "china_monthly": china_monthly,
    "walmart": walmart,
    "monthly": monthly,
    "daily": daily_online_retail,
}


def load(name: str, quick: bool = False, seed: int = 0) -> list[Split]:
    """The splits of data set ``name`` (one of :data:`LOADERS`)."""
    return LOADERS[name](quick=quick, seed=seed)
