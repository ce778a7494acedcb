"""Which column of a user's table most likely holds each canonical column: ERP names.

Exports of Chinese and English ERP and POS systems name their columns in a few dozen ways
(``销售日期``, ``单据日期``, ``Qty``, ``店铺编码`` ...). :func:`suggest_columns` matches a table's
column names against them, so that a mapping can be pre-filled (the planners' web page) and a
missing-column error can name the column that most likely holds what is missing.

Examples
--------
>>> suggest_columns(["销售日期", "门店", "销量", "备注"], ["date", "store", "units"])
{'date': '销售日期', 'store': '门店', 'units': '销量'}
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["ERP_NAMES", "suggest_columns"]

# Column names of common Chinese and English ERP exports, per canonical column (lower case; a
# name matches when it equals one of these, or when it contains one of the longer ones).
ERP_NAMES: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "week", "sale date", "sales date", "日期", "销售日期", "业务日期",
             "单据日期", "营业日期", "周", "时间"),
    "store": ("store", "shop", "store id", "store_id", "store code", "shop id", "outlet",
              "门店", "店铺", "门店编码", "门店代码", "店号", "店铺编码", "门店名称", "店铺名称"),
    "sku": ("sku", "style", "item", "article", "product", "style code", "item code", "款号",
            "货号", "商品编码", "商品代码", "款式编码", "款式", "sku编码"),
    "category": ("category", "class", "品类", "类别", "大类", "品类名称", "商品类别"),
    "region": ("region", "area", "province", "区域", "大区", "省份", "地区", "片区"),
    "units": ("units", "qty", "quantity", "sales qty", "sold", "销量", "数量", "销售数量",
              "销售量", "件数"),
    "price": ("price", "retail price", "unit price", "单价", "价格", "零售价", "吊牌价", "售价"),
    "stockout": ("stockout", "out of stock", "缺货", "断货"),
    "grade": ("grade", "tier", "level", "等级", "门店等级", "级别"),
    "strategic": ("strategic", "key store", "flagship", "战略", "战略门店", "重点门店", "旗舰"),
    "min_units": ("min_units", "minimum", "min", "presentation minimum", "最小", "最低",
                  "陈列量", "最低配货", "最小配货", "保底"),
    "max_units": ("max_units", "maximum", "max", "cap", "capacity", "上限", "最大", "容量",
                  "最大配货"),
    "open_date": ("open_date", "opening date", "opened", "开业日期", "开店日期"),
    "close_date": ("close_date", "closing date", "closed", "闭店日期", "关店日期", "撤店日期"),
    "launch_date": ("launch_date", "launch", "上市日期", "上新日期", "上架日期"),
    "unit_cost": ("unit_cost", "cost", "unit cost", "成本", "进价", "采购价", "成本价"),
    "salvage_value": ("salvage_value", "salvage", "clearance price", "残值", "清仓价",
                      "处理价"),
    "launch_wave": ("launch_wave", "wave", "launch wave", "波段", "上市波段", "季节波段"),
    "plan_share": ("plan_share", "share", "plan share", "计划占比", "占比"),
    "forecaster": ("forecaster", "planner", "judge", "name", "预测人", "评估人", "填报人",
                   "姓名", "提报人"),
    "horizon_weeks": ("horizon_weeks", "weeks", "horizon", "周数", "预测周数"),
}  # fmt: skip


def _normal(name: object) -> str:
    return re.sub(r"[\s_\-]+", " ", str(name).strip().lower())


def suggest_columns(columns: Sequence[object], wanted: Sequence[str]) -> dict[str, str | None]:
    """For each canonical column in ``wanted``, the column of ``columns`` that most likely holds it.

    An exact name (any case, ``_`` or spaces) wins over a known ERP name (``销量``, ``Qty``), which
    wins over a column whose name contains a known name of three or more characters (``销售数量
    (件)``); each column is suggested once.

    Parameters
    ----------
    columns : sequence
        The table's column names.
    wanted : sequence of str
        Canonical column names (``date``, ``store``, ``units`` ...).

    Returns
    -------
    dict of str to str or None
        Canonical column to the suggested column, ``None`` when none fits.

    Examples
    --------
    >>> suggest_columns(["Store", "Date", "Qty"], ["date", "units"])
    {'date': 'Date', 'units': 'Qty'}
    >>> suggest_columns(["款号", "品类", "零售价"], ["price"])
    {'price': '零售价'}
    """
    names = [str(c) for c in columns]
    known = {c: {_normal(n) for n in (c, *ERP_NAMES.get(c, ()))} for c in wanted}
    tests = (
        lambda c, n: _normal(n) == _normal(c),
        lambda c, n: _normal(n) in known[c],
        lambda c, n: any(len(k) >= 3 and k in _normal(n) for k in known[c]),
    )
    out: dict[str, str | None] = dict.fromkeys(wanted)
    for fits in tests:  # every exact name first, then the known names, then names inside
        for canonical in wanted:
            if out[canonical] is not None:
                continue
            taken = set(out.values())
            out[canonical] = next((n for n in names if n not in taken and fits(canonical, n)), None)
    return out
