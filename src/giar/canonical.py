"""Canonical keys, labels and arithmetic identities of the GIAR statistical tables.

This module is the single source of truth for the output contract's keys
(``shared/spec/GIAR_OUTPUT.md``) and for the identities (勾稽关系) of GIAR_TEMPLATE.md §3.
The label mapper, the validator, the fixture generator and the benchmarks all read it.

A cell is addressed by a dotted key ``table.row.col`` (e.g.
``applications.granted.natural_person``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Generation(str, Enum):
    """Template generation of one table (国办公开办函〔2019〕60号 vs 〔2021〕30号)."""

    G2019 = "2019"
    G2021 = "2021"


ACTIVE = "active_disclosure"
APPLICATIONS = "applications"
REVIEW = "review_litigation"
TABLE_NAMES: tuple[str, ...] = (ACTIVE, APPLICATIONS, REVIEW)


@dataclass(frozen=True)
class RowSpec:
    """One data row: its key, printed label, and the value columns it holds."""

    key: str
    label: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class SubTable:
    """A 第二十条第（N）项 block of section 二: title, column labels, rows."""

    item: str  # "一", "五", "六", "八", "九"
    column_labels: dict[str, str]
    rows: tuple[RowSpec, ...]


# ---------------------------------------------------------------- section 二 (主动公开)

ACTIVE_COLUMN_LABELS_2021: dict[str, str] = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount": "本年收费金额（单位：万元）",
}
ACTIVE_COLUMN_LABELS_2019: dict[str, str] = {
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "previous_items": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "items": "采购项目数量",
    "amount": "采购总金额",
}


def _subtable(item: str, labels: dict[str, str], cols: tuple[str, ...], rows: dict[str, str]) -> SubTable:
    return SubTable(
        item=item,
        column_labels={c: labels[c] for c in cols},
        rows=tuple(RowSpec(k, label, cols) for k, label in rows.items()),
    )


_A21 = ACTIVE_COLUMN_LABELS_2021
_A19 = ACTIVE_COLUMN_LABELS_2019
ACTIVE_SUBTABLES: dict[Generation, tuple[SubTable, ...]] = {
    Generation.G2021: (
        _subtable("一", _A21, ("issued", "repealed", "in_force"),
                  {"regulations": "规章", "normative_documents": "行政规范性文件"}),
        _subtable("五", _A21, ("decisions",), {"licensing": "行政许可"}),
        _subtable("六", _A21, ("decisions",), {"penalty": "行政处罚", "coercion": "行政强制"}),
        _subtable("八", _A21, ("amount",), {"fees": "行政事业性收费"}),
    ),
    Generation.G2019: (
        _subtable("一", _A19, ("made", "published", "total_published"),
                  {"regulations": "规章", "normative_documents": "规范性文件"}),
        _subtable("五", _A19, ("previous_items", "change", "decisions"),
                  {"licensing": "行政许可", "other_services": "其他对外管理服务事项"}),
        _subtable("六", _A19, ("previous_items", "change", "decisions"),
                  {"penalty": "行政处罚", "coercion": "行政强制"}),
        _subtable("八", _A19, ("previous_items", "change"), {"fees": "行政事业性收费"}),
        _subtable("九", _A19, ("items", "amount"), {"procurement": "政府集中采购"}),
    ),
}

# Columns whose values may be decimal (money); every other column holds integer counts.
DECIMAL_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {(ACTIVE, "amount")}
)
# Columns whose values may be negative (signed deltas).
SIGNED_COLUMNS: frozenset[tuple[str, str]] = frozenset({(ACTIVE, "change")})


# ---------------------------------------------------------------- section 三 (依申请)

APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)
APPLICANT_COLUMN_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "social_welfare_org": "社会公益组织",
    "legal_service_org": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
ORG_COLUMNS: tuple[str, ...] = APPLICANT_COLUMNS[1:6]


@dataclass(frozen=True)
class ApplicationRow:
    """A T3 row: key, printed label of its own cell, and its group (level-1/level-2) labels."""

    key: str
    label: str
    group: str = ""  # "（三）不予公开" etc. for level-3 leaves
    section: str = ""  # "三、本年度办理结果" for result rows


_RESULT = "三、本年度办理结果"
_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"

_ROWS_HEAD = (
    ApplicationRow("new_received", "一、本年新收政府信息公开申请数量"),
    ApplicationRow("carried_over", "二、上年结转政府信息公开申请数量"),
    ApplicationRow("granted", "（一）予以公开", section=_RESULT),
    ApplicationRow(
        "partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", section=_RESULT
    ),
    ApplicationRow("denied_state_secret", "1.属于国家秘密", _DENIED, _RESULT),
    ApplicationRow("denied_law_prohibited", "2.其他法律行政法规禁止公开", _DENIED, _RESULT),
    ApplicationRow("denied_security_stability", "3.危及“三安全一稳定”", _DENIED, _RESULT),
    ApplicationRow("denied_third_party", "4.保护第三方合法权益", _DENIED, _RESULT),
    ApplicationRow("denied_internal_affairs", "5.属于三类内部事务信息", _DENIED, _RESULT),
    ApplicationRow("denied_process_info", "6.属于四类过程性信息", _DENIED, _RESULT),
    ApplicationRow("denied_enforcement_file", "7.属于行政执法案卷", _DENIED, _RESULT),
    ApplicationRow("denied_query_matter", "8.属于行政查询事项", _DENIED, _RESULT),
    ApplicationRow("unable_not_held", "1.本机关不掌握相关政府信息", _UNABLE, _RESULT),
    ApplicationRow("unable_need_creation", "2.没有现成信息需要另行制作", _UNABLE, _RESULT),
    ApplicationRow("unable_unclear", "3.补正后申请内容仍不明确", _UNABLE, _RESULT),
    ApplicationRow("rejected_petition", "1.信访举报投诉类申请", _REJECTED, _RESULT),
    ApplicationRow("rejected_duplicate", "2.重复申请", _REJECTED, _RESULT),
    ApplicationRow("rejected_publication", "3.要求提供公开出版物", _REJECTED, _RESULT),
    ApplicationRow("rejected_excessive", "4.无正当理由大量反复申请", _REJECTED, _RESULT),
    ApplicationRow("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", _REJECTED, _RESULT),
)
_ROWS_OTHER_2021 = (
    ApplicationRow(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _OTHER,
        _RESULT,
    ),
    ApplicationRow(
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _OTHER,
        _RESULT,
    ),
    ApplicationRow("other_other", "3.其他", _OTHER, _RESULT),
)
_ROWS_OTHER_2019 = (ApplicationRow("other_processing", "（六）其他处理", section=_RESULT),)
_ROWS_TAIL = (
    ApplicationRow("total_processed", "（七）总计", section=_RESULT),
    ApplicationRow("carried_forward", "四、结转下年度继续办理"),
)

APPLICATION_ROWS: dict[Generation, tuple[ApplicationRow, ...]] = {
    Generation.G2019: _ROWS_HEAD + _ROWS_OTHER_2019 + _ROWS_TAIL,
    Generation.G2021: _ROWS_HEAD + _ROWS_OTHER_2021 + _ROWS_TAIL,
}
# Leaf rows whose sum is （七）总计.
RESULT_LEAVES: dict[Generation, tuple[str, ...]] = {
    g: tuple(r.key for r in rows if r.section == _RESULT and r.key != "total_processed")
    for g, rows in APPLICATION_ROWS.items()
}

# ---------------------------------------------------------------- section 四 (复议/诉讼)

REVIEW_BLOCKS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
REVIEW_BLOCK_LABELS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}
REVIEW_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
REVIEW_COLUMN_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}


# ---------------------------------------------------------------- key layouts


def active_layout(generation: Generation) -> dict[str, tuple[str, ...]]:
    """Row key → column keys of section 二 for one generation."""
    return {row.key: row.columns for sub in ACTIVE_SUBTABLES[generation] for row in sub.rows}


def applications_layout(generation: Generation) -> dict[str, tuple[str, ...]]:
    """Row key → column keys of section 三 for one generation."""
    return {row.key: APPLICANT_COLUMNS for row in APPLICATION_ROWS[generation]}


def review_layout() -> dict[str, tuple[str, ...]]:
    """Block key → column keys of section 四 (same in both generations)."""
    return {block: REVIEW_COLUMNS for block in REVIEW_BLOCKS}


def table_layout(table: str, generation: Generation) -> dict[str, tuple[str, ...]]:
    if table == ACTIVE:
        return active_layout(generation)
    if table == APPLICATIONS:
        return applications_layout(generation)
    if table == REVIEW:
        return review_layout()
    raise KeyError(table)


def cell_keys(table: str, generation: Generation) -> list[str]:
    """All dotted cell keys of one table, in template order."""
    return [f"{table}.{row}.{col}" for row, cols in table_layout(table, generation).items() for col in cols]


def template_label(active: Generation | None, applications: Generation | None) -> str | None:
    """The report-level ``template`` value: "2019", "2021", "mixed" or None."""
    found = {g for g in (active, applications) if g is not None}
    if not found:
        return None
    if len(found) == 2:
        return "mixed"
    return found.pop().value


# ---------------------------------------------------------------- identities (勾稽关系)


@dataclass(frozen=True)
class Identity:
    """``sum(lhs) == sum(rhs)``: one instance of an arithmetic rule, with the cells it involves.

    ``rule`` is the rule id reported in validation issues; ``name`` tells the instance apart
    (the column or row it applies to).
    """

    rule: str
    name: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


RULE_BALANCE = "applications.balance"
RULE_ROW_TOTAL = "applications.row_total"
RULE_RESULTS_TOTAL = "applications.results_total"
RULE_REVIEW_TOTAL = "review_litigation.total"


def _k(table: str, row: str, col: str) -> str:
    return f"{table}.{row}.{col}"


def identities(applications: Generation | None) -> list[Identity]:
    """Every identity of GIAR_TEMPLATE.md §3 for a report whose section 三 has ``applications``.

    Section 二 has no identity. Without a known section-三 generation only the 复议/诉讼
    totals apply.
    """
    found: list[Identity] = []
    if applications is not None:
        rows = [r.key for r in APPLICATION_ROWS[applications]]
        for col in APPLICANT_COLUMNS:
            found.append(Identity(
                RULE_BALANCE, col,
                (_k(APPLICATIONS, "new_received", col), _k(APPLICATIONS, "carried_over", col)),
                (_k(APPLICATIONS, "total_processed", col), _k(APPLICATIONS, "carried_forward", col)),
            ))
        for row in rows:
            found.append(Identity(
                RULE_ROW_TOTAL, row,
                (_k(APPLICATIONS, row, "total"),),
                tuple(_k(APPLICATIONS, row, c) for c in APPLICANT_COLUMNS[:-1]),
            ))
        for col in APPLICANT_COLUMNS:
            found.append(Identity(
                RULE_RESULTS_TOTAL, col,
                (_k(APPLICATIONS, "total_processed", col),),
                tuple(_k(APPLICATIONS, leaf, col) for leaf in RESULT_LEAVES[applications]),
            ))
    for block in REVIEW_BLOCKS:
        found.append(Identity(
            RULE_REVIEW_TOTAL, block,
            (_k(REVIEW, block, "total"),),
            tuple(_k(REVIEW, block, c) for c in REVIEW_COLUMNS[:-1]),
        ))
    return found
