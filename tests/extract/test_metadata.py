from __future__ import annotations

from dataclasses import replace

import pytest

from giar.extract.lines import running_lines
from giar.extract.metadata import (
    MISREAD_TITLE_CONFIDENCE,
    YEAR_FROM_OVERVIEW,
    YEAR_FROM_STATISTICS_PERIOD,
    YEAR_FROM_TITLE,
    YEAR_NOT_FOUND,
    ReportMeta,
    read_metadata,
)
from giar.geometry import BBox
from giar.layout import PageLayout, Source, Word

# ---------------------------------------------------------------- seeds


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("000", ReportMeta("閻良區應急管理局", 2020, "閻良區應急管理局2020年政府信息公開年度報告",
                           YEAR_FROM_TITLE)),
        ("001", ReportMeta(None, 2021, None, YEAR_FROM_OVERVIEW)),
        ("002", ReportMeta(None, 2021, None, YEAR_FROM_OVERVIEW)),
        ("003", ReportMeta("吴忠市生态环境局盐池分局", 2020,
                           "吴忠市生态环境局盐池分局2020年政府信息公开工作年度报告", YEAR_FROM_TITLE)),
        ("004", ReportMeta("邙岭镇人民政府", 2020, "邙岭镇人民政府2020年政府信息公开工作年度报告",
                           YEAR_FROM_TITLE)),
    ],
)
def test_seed_metadata(seed_lines, seed: str, expected: ReportMeta) -> None:
    assert read_metadata(seed_lines(seed)) == expected


# ---------------------------------------------------------------- real PDF and HTML


def test_hongze_pdf_title_over_two_lines(hongze_lines, hongze_report_truth) -> None:
    meta = read_metadata(hongze_lines)
    assert meta.organization == hongze_report_truth["organization"] == "淮安市洪泽区人民政府"
    assert meta.year == hongze_report_truth["year"] == 2024
    assert meta.title == hongze_report_truth["title"]
    assert meta.year_source == YEAR_FROM_TITLE


def test_hongze_without_title_falls_back_to_statistics_period(hongze_lines) -> None:
    untitled = [line for line in hongze_lines if line.page != 1 or line.bbox.top > 140]
    meta = read_metadata(untitled)
    # the compiler named in the preamble ("本报告由…办公室…编制") is not the reporting body
    assert meta == ReportMeta(None, 2024, None, YEAR_FROM_STATISTICS_PERIOD)


def test_shanghai_html_year_first_title(shanghai_lines) -> None:
    meta = read_metadata(shanghai_lines)
    assert meta == ReportMeta(
        "上海市人民政府办公厅", 2019, "2019年上海市人民政府办公厅政府信息公开工作年度报告",
        YEAR_FROM_TITLE,
    )


# ---------------------------------------------------------------- title variants


@pytest.mark.parametrize(
    ("front", "organization", "year", "title"),
    [
        (["2022年度螅镇政府信息公开工作年度报告"], "螅镇", 2022, "2022年度螅镇政府信息公开工作年度报告"),
        (["科技和工业信息化局2019年度政府信息公开工作年度报告"], "科技和工业信息化局", 2019,
         "科技和工业信息化局2019年度政府信息公开工作年度报告"),
        (["淮安市人民政府", "2024 年政府信息公开工作年度报告"], "淮安市人民政府", 2024,
         "淮安市人民政府2024年政府信息公开工作年度报告"),
        (["某某区人民政府2023年政府信息公开", "工作年度报告"], "某某区人民政府", 2023,
         "某某区人民政府2023年政府信息公开工作年度报告"),
        (["- 1 -", "瀏覽次數:次", "某局", "2020年政府信息公開年度報告"], "某局", 2020,
         "某局2020年政府信息公開年度報告"),
        (["2020年政府信息公开工作年度报告"], None, 2020, "2020年政府信息公开工作年度报告"),
        # wrapped before its last character: the first line alone is one character off
        (["2019年度湖州市人民政府政府信息公开工作年度报", "告"], "湖州市人民政府", 2019,
         "2019年度湖州市人民政府政府信息公开工作年度报告"),
        # a rule or speck above the title, which a scan reads as a dash
        (["—", "—經開區教育局2019年政府信息公開工作年度報告"], "經開區教育局", 2019,
         "經開區教育局2019年政府信息公開工作年度報告"),
        (["——淮安市人民政府", "2024 年政府信息公开工作年度报告-"], "淮安市人民政府", 2024,
         "淮安市人民政府2024年政府信息公开工作年度报告"),
    ],
)
def test_title_variants(to_lines, front, organization, year, title) -> None:
    lines = to_lines([*front, "本报告由某某办公室根据《条例》编制。", "一、总体情况", "正文。"])
    assert read_metadata(lines) == ReportMeta(organization, year, title, YEAR_FROM_TITLE)


def test_sentence_before_title_is_not_the_organization(to_lines) -> None:
    lines = to_lines([
        "根据《条例》规定，现公布本机关年度报告。", "2021年政府信息公开工作年度报告", "一、总体情况",
    ])
    assert read_metadata(lines).organization is None


def test_overview_year_ignores_years_not_followed_by_comma(to_lines) -> None:
    lines = to_lines([
        "一、总体情况", "(一)主动公开", "按规定公开2019年财政决算及2020年财政预算。",
        "2020年，我局主动公开信息35条。", "二、主动公开政府信息情况",
    ])
    assert read_metadata(lines) == ReportMeta(None, 2020, None, YEAR_FROM_OVERVIEW)


def test_statistics_period_wins_over_overview_year(to_lines) -> None:
    lines = to_lines([
        "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
        "一、总体情况", "2023年，我镇将继续推进公开。",
    ])
    assert read_metadata(lines) == ReportMeta(None, 2022, None, YEAR_FROM_STATISTICS_PERIOD)


def test_nothing_found(to_lines) -> None:
    lines = to_lines(["一、总体情况", "我局认真落实条例。"])
    assert read_metadata(lines) == ReportMeta(None, None, None, YEAR_NOT_FOUND)


def test_the_title_keeps_the_confidence_of_its_least_sure_line(to_lines) -> None:
    lines = to_lines(["淮安市人民政府", "2024年政府信息公开工作年度报告", "一、总体情况"])
    lines[0] = replace(lines[0], confidence=0.72)
    lines[1] = replace(lines[1], confidence=0.97)
    assert read_metadata(lines).title_confidence == 0.72
    assert read_metadata(to_lines(["2024年政府信息公开工作年度报告"])).title_confidence == 1.0


def test_an_ocr_line_is_as_sure_as_its_least_sure_character() -> None:
    words = [Word("部岭人民政府", BBox(100, 50, 220, 62), Source.OCR, 0.96, weakest=0.49),
             Word("2020年政府信息公开工作年度报告", BBox(221, 50, 420, 62), Source.OCR, 0.99)]
    [line] = running_lines(PageLayout(1, 595, 842, words), [])
    assert line.text == "部岭人民政府2020年政府信息公开工作年度报告" and line.confidence == 0.49
    [text_line] = running_lines(PageLayout(1, 595, 842, [Word("2020年", BBox(0, 0, 30, 10))]), [])
    assert text_line.confidence == 1.0


def test_a_title_ending_misread_by_one_character_is_found_and_doubted(to_lines) -> None:
    # 年 read as 午 on a scan: the organization is still the one printed, and flagged
    meta = read_metadata(to_lines(["經開區教育局2019年政府信息公開工作午度報告", "一、总体情况"]))
    assert (meta.organization, meta.year) == ("經開區教育局", 2019)
    assert meta.title_confidence == MISREAD_TITLE_CONFIDENCE
    meta = read_metadata(to_lines(["經開區教育局2019年政府信息公開工作年度報告", "一、总体情况"]))
    assert meta.title_confidence == 1.0
    assert read_metadata(to_lines(["2019年工作总结", "一、总体情况"])).title is None


def test_a_title_organization_the_body_names_otherwise_is_reported(seed_lines) -> None:
    # seed 003 scanned at 150 DPI: "吴忠市" read "吴南" at full confidence in the title
    lines = seed_lines("003")
    title = next(i for i, line in enumerate(lines) if line.text == "吴忠市生态环境局盐池分局")
    lines[title] = replace(lines[title], text="吴南生态环境局盐池分局")
    meta = read_metadata(lines)
    assert meta.organization == "吴南生态环境局盐池分局"  # reported, never corrected
    assert meta.organization_in_body == "吴忠市生态环境局盐池分局"
    assert read_metadata(seed_lines("003")).organization_in_body is None


@pytest.mark.parametrize(("body", "named"), [
    ("本局2021年主动公开信息120条。", None),  # a body that names no one proves nothing
    ("某某区商务局认真贯彻落实《条例》。", None),  # named as printed
    ("某某市商务局认真贯彻落实《条例》。", "某某市商务局"),
    ("某某市人民政府认真贯彻落实《条例》。", None),  # two characters off a five-character name
])
def test_the_body_is_searched_for_a_name_near_the_title_organization(
        to_lines, body, named) -> None:
    meta = read_metadata(to_lines(["某某区商务局2021年政府信息公开工作年度报告", "一、总体情况",
                                   body]))
    assert meta.organization_in_body == named


def test_a_statistics_period_of_another_year_than_the_title_is_reported(to_lines) -> None:
    lines = ["某某区商务局2021年政府信息公开工作年度报告",
             "本报告统计期限自2020年1月1日至2020年12月31日。", "一、总体情况"]
    meta = read_metadata(to_lines(lines))
    assert (meta.year, meta.year_source, meta.year_in_body) == (2021, YEAR_FROM_TITLE, 2020)
    lines[1] = lines[1].replace("2020", "2021")
    assert read_metadata(to_lines(lines)).year_in_body is None


@pytest.mark.parametrize(("organization", "doubted"), [
    ("安吉县市场监管理局", True),  # 督 dropped by the recogniser
    ("某某区人民攻府", True),
    ("安吉县市场监督管理局", False),
    ("安吉县市场监管局", False),  # the common short form
    ("某某区发展改革局", False),  # 和 left out, as short forms do
    ("科技和工业信息化局", False),
    ("上海市人民政府办公厅", False),
    ("某某区体育局", False),
])
def test_a_standard_department_name_one_character_off_doubts_the_title(
        to_lines, organization, doubted) -> None:
    meta = read_metadata(to_lines([f"{organization}2021年政府信息公开工作年度报告", "一、总体情况"]))
    assert meta.organization == organization
    assert meta.title_confidence == (MISREAD_TITLE_CONFIDENCE if doubted else 1.0)
