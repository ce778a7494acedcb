"""What a person reads in a plan's files, in Chinese or English: headers, values, numbers, reasons.

The CSV files and the DataFrames keep the canonical column names (``sku``, ``store``, ``units``,
``delivery_date``, ...) and values: they are the machine-readable contract. The workbooks, the
summary, the calendar file and the console tables are written for people, in the plan's language
(:func:`forecasting.language.resolve_lang`: Chinese by default for a Chinese market). This module
holds those words; :mod:`forecasting.timing.words` holds the dates, weekdays and wave names that the
launch calendar's reasons share.

Examples
--------
>>> headers(pd.DataFrame(columns=["sku", "store", "units"]), "zh").columns.tolist()
['款号', '门店', '数量（件）']
>>> units_text(1234, "zh"), units_text(1, "en")
('1,234 件', '1 unit')
>>> allocation_reason("cap reached", "zh")
'已达门店上限'
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from forecasting.allocation.allocator import REASONS
from forecasting.language import Lang
from forecasting.timing.words import event_label, wave_label

__all__ = [
    "HEADERS_ZH",
    "SHEET_NAMES",
    "allocation_reason",
    "headers",
    "natural_key",
    "person_values",
    "round_for_csv",
    "units_text",
]

#: The Chinese header of each canonical column a person reads.
HEADERS_ZH = {
    "sku": "款号",
    "name": "品名",
    "category": "品类",
    "store": "门店",
    "region": "区域",
    "units": "数量（件）",
    "total": "合计（件）",
    "mean": "预计需求",
    "sd": "需求标准差",
    "minimum": "陈列下限",
    "cap": "门店上限",
    "last_unit_sell_probability": "最后一件售出概率",
    "next_unit_sell_probability": "下一件售出概率",
    "reason": "原因",
    "wave": "波段",
    "anchor": "锚点",
    "anchor_date": "锚点日期",
    "expected_onset": "预计起点",
    "expected_peak": "预计高峰",
    "planned_onset": "计划起点",
    "forecast_onset": "预测起点",
    "best_delivery_date": "最佳送货日",
    "delivery_date": "送货日期",
    "delivery_weekday": "送货星期",
    "shelf_start": "上架开始",
    "shelf_end": "上架结束",
    "promotion_start": "推广开始",
    "promotion_end": "推广结束",
    "days_ahead": "提前上架天数",
    "late": "已晚",
    "confidence": "可信度",
    "years_seen": "出现年份",
    "lag_median": "滞后中位数（天）",
    "lag_min": "最小滞后（天）",
    "lag_max": "最大滞后（天）",
    "timing_from": "时间依据",
    "launch_date": "上市日期",
    "price": "价格",
    "depth": "首单深度（件）",
    "quantity": "总量（件）",
    "to_stores": "发往门店（件）",
    "warehouse": "仓库（件）",
    "stores": "门店数",
    "stores_with_units": "有货门店数",
    "stores_at_cap": "达上限门店数",
    "holdback_units": "留仓（件）",
    "pack_remainder": "不足整包（件）",
    "beyond_stores": "门店无法接收（件）",
    "demand": "需求",
    "expected_sales": "预计售出",
    "expected_leftover": "预计剩余",
    "expected_lost_sales": "预计缺货损失",
    "sell_through": "预计售罄率",
    "shadow_price": "影子价格",
    "cost_of_each_minimum_summed": "各下限代价之和",
    "cost_of_all_minimums": "全部下限代价",
    "minimum_cost": "下限代价",
    "units_without_minimum": "无下限时（件）",
    "sales_gained_here": "本店多售出",
    "sales_lost_elsewhere": "他店少售出",
    "net_cost": "净代价",
    "critical_ratio": "临界比",
    "forced_units": "因下限增加（件）",
    "capped_units": "因上限减少（件）",
    "newsvendor_depth": "报童模型深度（件）",
    "presentation_minimum": "陈列下限合计（件）",
    "judge_mean": "评估人均值",
    "judge_sd": "评估人标准差",
    "model_mean": "数据估计均值",
    "model_sd": "数据估计标准差",
    "judge_weight": "评估人权重",
    "unit_cost": "成本",
    "salvage_value": "残值",
}

#: Sheet names that are not a wave's.
SHEET_NAMES = {
    "overview": {"zh": "总览", "en": "overview"},
    "total": {"zh": "合计", "en": "total"},
    "warehouse": {"zh": "仓库", "en": "warehouse"},
    "plan": {"zh": "配货", "en": "plan"},
    "detail": {"zh": "明细", "en": "detail"},
    "products": {"zh": "款式", "en": "products"},
    "minimums": {"zh": "陈列下限", "en": "minimums"},
    "depth": {"zh": "首单深度", "en": "depth"},
    "weekly forecast": {"zh": "周预测", "en": "weekly forecast"},
    "judgments": {"zh": "评估", "en": "judgments"},
}

_VALUES_ZH = {
    "confidence": {"high": "高", "medium": "中", "low": "低"},
    "timing_from": {"own history": "本组历史", "all sales": "全部销售合计"},
}

_REASONS_ZH = {
    REASONS["excluded"]: "不经营：该门店不销售此款",
    REASONS["soft_cut"]: "软下限未满足：库存不足（按门店等级顺序）",
    REASONS["minimum"]: "按陈列下限配货",
    REASONS["cap"]: "已达门店上限",
    REASONS["marginal"]: "边际分析：该店最后一件的售出概率高于其他门店的下一件",
    REASONS["none"]: "未配货：其他门店售出的可能更大",
    REASONS["min_first"]: "未配货：库存先满足了陈列下限",
    REASONS["closed"]: "已关店：无需求数据，且门店表有关店日期",
    REASONS["no_demand_min"]: "无需求数据（需求为零）：按陈列下限配货",
    REASONS["no_demand"]: "无需求数据（需求为零）：不配货",
    "nothing kept at the warehouse": "仓库不留货",
}
_WAREHOUSE_PARTS_ZH = (
    (re.compile(r"^holdback (\S+): (\d+) units$"), "留仓 {0}：{1} 件"),
    (re.compile(r"^(\d+) units do not fill a pack of (\d+)$"), "{0} 件不够一整包（每包 {1} 件）"),
    (re.compile(r"^(\d+) units beyond every store's cap$"), "{0} 件超出所有门店的上限"),
    (
        re.compile(
            r"^(\d+) units the stores cannot take \((\d+) of (\d+) stores at their cap; the "
            r"others would sell one more unit with a chance below (\S+)\)$"
        ),
        "{0} 件门店无法接收（{2} 家门店中 {1} 家已达上限；其余门店多一件的售出概率低于 {3}）",
    ),
)


def allocation_reason(reason: object, lang: Lang) -> str:
    """The reason of an allocation row (:func:`~forecasting.allocation.allocate`) in ``lang``.

    Parameters
    ----------
    reason : str
        The ``reason`` of a store or warehouse row.
    lang : {"zh", "en"}
        The language.

    Returns
    -------
    str
        The reason; in Chinese each part that launchcast writes is translated (any other text is
        kept as it is).

    Examples
    --------
    >>> allocation_reason("holdback 20%: 12 units; 3 units do not fill a pack of 6", "zh")
    '留仓 20%：12 件；3 件不够一整包（每包 6 件）'
    """
    text = "" if reason is None or (isinstance(reason, float) and np.isnan(reason)) else str(reason)
    if lang != "zh" or not text:
        return text
    if text in _REASONS_ZH:
        return _REASONS_ZH[text]
    parts = []
    for part in text.split("; "):
        for pattern, template in _WAREHOUSE_PARTS_ZH:
            match = pattern.match(part)
            if match is not None:
                parts.append(template.format(*match.groups()))
                break
        else:
            parts.append(_REASONS_ZH.get(part, part))
    return "；".join(parts)


def headers(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """``frame`` with the headers a person reads (a copy; in English the canonical names).

    Examples
    --------
    >>> headers(pd.DataFrame(columns=["delivery_date", "own column"]), "zh").columns.tolist()
    ['送货日期', 'own column']
    """
    if lang != "zh":
        return frame.copy()
    return frame.rename(columns={c: HEADERS_ZH.get(str(c), c) for c in frame.columns})


def person_values(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """``frame`` with its coded values in words of ``lang`` (waves, anchors, reasons, flags).

    In English it is returned as it is; in Chinese ``wave`` reads ``秋季（白露）``, ``anchor``
    ``春节``, ``confidence`` 高/中/低, ``late`` 是/否, and the allocation reasons are translated.
    (The launch calendar's reasons are written again from their numbers:
    :func:`forecasting.timing.launch.launch_reasons`.)

    Examples
    --------
    >>> frame = pd.DataFrame({"wave": ["winter (春节)"], "anchor": ["Spring Festival"],
    ...                       "confidence": ["high"], "late": [False]})
    >>> person_values(frame, "zh").iloc[0].tolist()
    ['冬季（春节）', '春节', '高', '否']
    """
    out = frame.copy()
    if lang != "zh":
        return out
    if "wave" in out:
        out["wave"] = out["wave"].map(lambda w: wave_label(w, "zh") if isinstance(w, str) else w)
    if "anchor" in out:
        out["anchor"] = out["anchor"].map(
            lambda a: event_label(a, "zh") if isinstance(a, str) else a
        )
    for column, words in _VALUES_ZH.items():
        if column in out:
            out[column] = out[column].map(lambda v, w=words: w.get(v, v))
    if "late" in out:
        out["late"] = out["late"].map(lambda v: "是" if bool(v) else "否")
    if {"reason", "sku", "store"} <= set(out.columns):  # an allocation (launch reasons: rewritten)
        out["reason"] = out["reason"].map(lambda r: allocation_reason(r, "zh"))
    return out


def units_text(n: float, lang: Lang) -> str:
    """A number of units: ``1,234 件`` or ``1,234 units``.

    Examples
    --------
    >>> units_text(45304, "en")
    '45,304 units'
    """
    if lang == "zh":
        return f"{n:,.0f} 件"
    return f"{n:,.0f} unit" + ("" if round(n) == 1 else "s")


def natural_key(value: object) -> tuple[object, ...]:
    """Sort key that orders numbers inside text by value: Province_2 before Province_10.

    Examples
    --------
    >>> sorted(["Province_10", "Province_2", "Province_1"], key=natural_key)
    ['Province_1', 'Province_2', 'Province_10']
    """
    parts = re.split(r"(\d+)", str(value))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in parts if p)


def round_for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with float columns rounded for reading: shares and probabilities (every
    value within 0..1) to 4 decimals, other floats to 2 (``4266.67``, not ``4266.666666666667``).

    Integer, text and date columns are unchanged.

    Examples
    --------
    >>> round_for_csv(pd.DataFrame({"mean": [4266.666666666667], "p": [0.123456]})).iloc[0].tolist()
    [4266.67, 0.1235]
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if not pd.api.types.is_float_dtype(series):
            continue
        finite = series[np.isfinite(series.to_numpy(dtype="float64", na_value=np.nan))]
        share = len(finite) > 0 and bool(((finite >= 0) & (finite <= 1)).all())
        out[column] = series.round(4 if share else 2) + 0.0  # and no -0.0
    return out
