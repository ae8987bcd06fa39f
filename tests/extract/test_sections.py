from __future__ import annotations

import pytest

from giar.extract.sections import (
    SECTION_KEYS,
    SectionTexts,
    find_headings,
    heading_section,
    is_page_furniture,
    split_sections,
)
from giar.geometry import BBox
from giar.layout import TextLine

# ---------------------------------------------------------------- heading whitelist


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("一、总体情况", "overview"),
        ("一、總體情況", "overview"),
        ("一、年度信息公开总体情况", "overview"),
        ("一．总体情况", "overview"),
        ("一.总体情况", "overview"),
        ("一 、 总体情况", "overview"),
        ("二、主动公开政府信息情况", "active_disclosure"),
        ("二、主動公開政府信息情況", "active_disclosure"),
        ("三、收到和处理政府信息公开申请情况", "applications"),
        ("三、收到和處理政府信息公開申請情況", "applications"),
        ("四、政府信息公开行政复议、行政诉讼情况", "review_litigation"),
        ("四、因政府信息公开工作被申请行政复议提起行政诉讼情况", "review_litigation"),
        ("四、政府信息公開行政復議、行政訴訟情況", "review_litigation"),
        ("五、存在的主要问题及改进情况", "problems"),
        ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
        ("五、我局當前政務公開工作存在的問題", "problems"),
        ("五、存在问题及改进情况", "problems"),
        ("六、其他需要报告的事项", "other"),
    ],
)
def test_heading_variants_are_recognised(text: str, key: str) -> None:
    assert heading_section(text) == key


@pytest.mark.parametrize(
    "text",
    [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果",
        "四、结转下年度继续办理",
        "四、結轉下年度繼續辦理",
        "(四)因政府信息公開申請行政復議、提起行政訴訟的情況",
        "（二）主动公开情况",
        "一是加强主动公开。",
        "五、我局将进一步解决存在的问题，提高公开质量，做好各项工作。",
        "四、政府信息公开行政复议、行政诉讼情况 | 0 |",
    ],
)
def test_numeral_alone_never_makes_a_heading(text: str) -> None:
    assert heading_section(text) is None


def test_headings_are_taken_in_order(to_lines) -> None:
    lines = to_lines([
        "二、主动公开政府信息情况",  # stray heading before 一 (e.g. from a table of contents)
        "一、总体情况", "正文。", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    ])
    found = find_headings(lines)
    assert [(h.key, h.line_index) for h in found] == [
        ("overview", 1), ("active_disclosure", 3), ("applications", 4),
    ]


# ---------------------------------------------------------------- furniture


@pytest.mark.parametrize(
    "text",
    ["- 3 -", "— 12 —", "3", "第3页", "第 3 页 共 6 页", "3/6", "瀏覽次數:次", "相关文章", "  "],
)
def test_page_furniture(text: str) -> None:
    assert is_page_furniture(text)


@pytest.mark.parametrize("text", ["2024 年", "无", "一、总体情况", "第三页的内容很重要。"])
def test_prose_is_not_furniture(text: str) -> None:
    assert not is_page_furniture(text)


# ---------------------------------------------------------------- present/missing/empty


def test_missing_heading_is_none_and_empty_heading_is_empty_string(to_lines) -> None:
    sections = split_sections(to_lines([
        "一、总体情况", "2021年，我局认真落实条例。", "二、主动公开政府信息情况",
        "五、存在的主要问题及改进情况", "存在问题。",
    ]))
    assert sections.overview == "2021年，我局认真落实条例。"
    assert sections.active_disclosure == ""
    assert sections.applications is None
    assert sections.review_litigation is None
    assert sections.problems == "存在问题。"
    assert sections.other is None


def test_no_heading_gives_all_none(to_lines) -> None:
    sections = split_sections(to_lines(["随便一段文字。"]))
    assert all(getattr(sections, key) is None for key in SECTION_KEYS)
    assert sections.headings == ()


def test_prose_between_heading_and_table_is_kept(to_lines) -> None:
    sections = split_sections(to_lines([
        "四、政府信息公开行政复议、行政诉讼情况",
        "2020 年,我单位未出现申请行政复议、提起行政诉讼的情况。",
        "行政复议", "行政诉讼", "结果维持", "总计", "0", "0", "0",
        "五、存在的主要问题及改进情况", "无",
        "六、其他需要报告的事项", "无",
    ]))
    assert sections.review_litigation == "2020 年,我单位未出现申请行政复议、提起行政诉讼的情况。"
    assert sections.other == "无"


# ---------------------------------------------------------------- paragraphs from geometry


def _line(text: str, x0: float, x1: float, top: float, page: int = 1) -> TextLine:
    return TextLine(text, page, BBox(x0, top, x1, top + 16))


def test_paragraphs_from_geometry() -> None:
    lines = [
        _line("一、总体情况", 106, 202, 100),
        _line("2024 年，本机关坚持以习近平新时代中国特色社会主义思想为", 106, 518, 128),
        _line("指导，全面推进政务公开。", 74, 300, 156),            # short: paragraph ends
        _line("第二段不缩进也换段，因为上一行很短，这一行一直写到右边", 74, 518, 184),
        _line("界继续写。", 74, 160, 212),
        _line("（一）主动公开情况。主要通过门户网站公开信息，一直写到右", 106, 518, 240),
        _line("边界为止并且以句号结束本行的文字内容都在这里了。", 74, 518, 268),
        _line("1.列表项紧跟在句号之后，是新的一段，且写满一整行的文字。", 74, 518, 296),
        _line("- 2 -", 464, 486, 790),
        _line("跨页接续的文字没有缩进，属于上一段。", 74, 330, 80, page=2),
    ]
    sections = split_sections(lines)
    assert sections.overview == "\n".join([
        "2024年，本机关坚持以习近平新时代中国特色社会主义思想为指导，全面推进政务公开。",
        "第二段不缩进也换段，因为上一行很短，这一行一直写到右边界继续写。",
        "（一）主动公开情况。主要通过门户网站公开信息，一直写到右边界为止并且以句号结束本行的文字内容都在这里了。",
        "1.列表项紧跟在句号之后，是新的一段，且写满一整行的文字。跨页接续的文字没有缩进，属于上一段。",
    ])


def test_enumeration_wrapped_after_semicolon_stays_in_paragraph() -> None:
    lines = [
        _line("五、存在的主要问题及改进情况", 106, 330, 100),
        _line("主要问题：一是政策解读形式较为单一；二是部分栏目更新不够", 106, 518, 128),
        _line("及时；三是工作人员业务水平有待提高，对新条例理解不够深入；", 74, 518, 156),
        _line("四是公开载体较少。", 74, 230, 184),
        _line("下一步，我局将加强培训。", 106, 330, 212),
    ]
    assert split_sections(lines).problems == (
        "主要问题：一是政策解读形式较为单一；二是部分栏目更新不够及时；三是工作人员业务水平有待提高，"
        "对新条例理解不够深入；四是公开载体较少。\n下一步，我局将加强培训。"
    )


def test_heading_wrapped_over_two_lines() -> None:
    lines = [
        _line("三、收到和处理政府信息公开申请情况", 106, 400, 100),
        _line("四、因政府信息公开工作被申请行政复议提起行政诉", 106, 518, 128),
        _line("讼情况", 74, 122, 156),
        _line("本年度未发生行政复议。", 106, 300, 184),
    ]
    sections = split_sections(lines)
    review = sections.heading("review_litigation")
    assert review is not None
    assert (review.text, review.line_count) == (
        "四、因政府信息公开工作被申请行政复议提起行政诉讼情况", 2
    )
    assert sections.review_litigation == "本年度未发生行政复议。"
    assert sections.applications == ""


def test_ocr_jitter_in_margins_keeps_paragraphs() -> None:
    lines = [_line("一、总体情况", 105, 200, 80)]
    texts = [
        "本年度我局认真贯彻落实条例要求，全面推进政务公开工作，",
        "围绕中心工作主动公开各类政府信息，做到应公开尽公开，",
        "及时回应社会关切。",
    ]
    boxes = [(107.5, 517.2), (74.9, 519.4), (73.6, 230.0)]
    for n, ((x0, x1), text) in enumerate(zip(boxes, texts, strict=True)):
        lines.append(_line(text, x0, x1, 108 + 28 * n))
    # one line whose box overshoots the margin (an OCR box around hanging punctuation)
    lines.append(_line("第二段写满一行，最后的句号悬挂在右边界以外的位置上了。", 106.2, 546.0, 192))
    lines.append(_line("第三段。", 106.2, 170.0, 220))
    assert split_sections(lines).overview == "\n".join([
        "".join(texts), "第二段写满一行，最后的句号悬挂在右边界以外的位置上了。", "第三段。",
    ])


def test_running_header_repeated_on_three_pages_is_dropped() -> None:
    lines = [_line("一、总体情况", 106, 202, 100)]
    for page in (1, 2, 3):
        lines.append(_line("某某局2024年政府信息公开工作年度报告", 200, 400, 40, page))
        lines.append(_line(f"第{page}页的正文内容。", 106, 300, 120, page))
    sections = split_sections(lines)
    assert sections.overview == "第1页的正文内容。\n第2页的正文内容。\n第3页的正文内容。"


# ---------------------------------------------------------------- seeds (web text dumps)


def test_seed_000_traditional_without_section_six(seed_lines) -> None:
    sections = split_sections(seed_lines("000"))
    assert [h.text for h in sections.headings] == [
        "一、總體情況", "二、主動公開政府信息情況", "三、收到和處理政府信息公開申請情況",
        "四、政府信息公開行政復議、行政訴訟情況", "五、我局當前政務公開工作存在的問題",
    ]
    assert sections.overview.startswith("按照《中華人民共和國政府信息公開條例》第三章第二十條要求")
    assert sections.overview.endswith("沒有發生因政府信息公開申請行政復議、提起行政訴訟的情況。")
    # the old-style sub-heading (四) stays inside section 一
    assert "(四)因政府信息公開申請行政復議、提起行政訴訟的情況" in sections.overview
    assert sections.active_disclosure == ""
    assert sections.applications == ""
    assert sections.review_litigation == ""
    assert sections.problems.startswith("我局政府信息公開工作雖取得了一定的成效")
    assert sections.problems.endswith("推動政務公開工作常態長效、扎實深入開展。")
    assert sections.problems.count("\n") == 3
    assert sections.other is None


def test_seed_001_skips_table_label_four_before_real_heading(seed_lines) -> None:
    lines = seed_lines("001")
    sections = split_sections(lines)
    review = sections.heading("review_litigation")
    assert review is not None
    assert lines[review.line_index].text.strip() == "四、政府信息公开行政复议、行政诉讼情况"
    # after the T3 rows, not at the row label "四、结转下年度继续办理"
    assert lines[review.line_index - 1].text.startswith("0")
    assert sections.overview.startswith("(一)主动公开\n2021年,赣州经开区党政办公室认真贯彻落实")
    assert sections.overview.endswith("将整改落实情况纳入考核。")
    assert sections.active_disclosure == ""
    assert sections.applications == ""
    assert sections.review_litigation == ""
    assert sections.problems.startswith("我办在推进政务公开工作中主要存在以下问题")
    assert sections.problems.endswith("以公开促落实、促规范、促服务。")
    # "相关文章" (web page footer) is not part of section 六
    assert sections.other == (
        "按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》(国办函〔2020〕109号)"
        "规定的按件、按量收费标准,本年度没有产生信息公开处理费。"
    )


def test_seed_002_pipe_tables_are_stripped(seed_lines) -> None:
    sections = split_sections(seed_lines("002"))
    assert sections.overview.startswith("2021年,上城区应急管理局认真贯彻落实")
    assert sections.overview.endswith("落实专人不定期对政务公开情况进行督查。")
    assert sections.overview.count("\n") == 11
    assert (sections.active_disclosure, sections.applications, sections.review_litigation) == (
        "", "", ""
    )
    assert sections.problems.startswith("2021年,我局政务公开工作虽然取得了一定成效")
    assert sections.problems.split("\n")[3].startswith("三是完善内部管理机制。")
    assert sections.other == "本年度无收取政府信息处理费情况。"


def test_seed_003_tab_tables_are_stripped(seed_lines) -> None:
    sections = split_sections(seed_lines("003"))
    assert sections.overview.startswith("2020 年，在县委、政府的坚强领导")
    assert sections.overview.endswith("清理已失效文件2份。")
    assert (sections.active_disclosure, sections.applications, sections.review_litigation) == (
        "", "", ""
    )
    assert sections.problems.startswith("在肯定成绩的同时,我局政务信息公开工作中存在")
    assert sections.problems.endswith("创造透明、公开、廉洁的政务环境。")
    assert sections.other == "无"


def test_seed_004_single_line_title_report(seed_lines) -> None:
    sections = split_sections(seed_lines("004"))
    assert sections.overview.startswith("(一) 政府信息公开主动公开情况。一是加强主动公开。")
    assert sections.overview.endswith("2020年,共公布各类文件5件,实现了应公开尽公开。")
    assert sections.overview.count("\n") == 3
    assert sections.active_disclosure == ""
    assert sections.applications == ""
    assert sections.review_litigation == ""
    assert sections.problems.startswith("2020年,我镇还存在着公开时间不够及时")
    assert sections.other == "暂无其它需要报告的事项。"


# ---------------------------------------------------------------- real PDF and HTML


def test_hongze_pdf_sections(hongze_lines) -> None:
    sections: SectionTexts = split_sections(hongze_lines)
    assert [(h.key, h.page) for h in sections.headings] == [
        ("overview", 1), ("active_disclosure", 2), ("applications", 3),
        ("review_litigation", 4), ("problems", 4), ("other", 5),
    ]
    overview = sections.overview.split("\n")
    assert len(overview) == 6
    assert overview[0].startswith("2024年，淮安市洪泽区人民政府坚持以习近平新时代")
    assert overview[0].endswith("有力服务保障我区经济社会高质量发展。")
    assert overview[1].startswith("（一）主动公开情况。主要通过政府门户网站主动公开政府文件")
    assert "我区在政府网站平台主动发布各类政府信息2428条" in overview[1]
    assert overview[5].endswith("及时转载党中央、国务院重大方针政策。")
    assert sections.active_disclosure == ""
    assert sections.applications == ""
    assert sections.review_litigation == ""
    problems = sections.problems.split("\n")
    assert len(problems) == 2
    # the paragraph crosses the page 4/5 break, with "- 5 -" removed
    assert "答复书模板，使各行政机关答复的方式" in problems[1]
    assert problems[1].endswith("思想认识和业务工作水平。")
    assert sections.other == (
        "2024年，区政府严格落实《政府信息公开信息处理费管理办法》，"
        "全年收取政府信息公开信息处理费0元。"
    )
    all_text = "".join(getattr(sections, key) for key in SECTION_KEYS)
    assert "- 3 -" not in all_text and "- 5 -" not in all_text and "- 2 -" not in all_text


def test_shanghai_html_cells_one_per_line_are_stripped(shanghai_lines) -> None:
    sections = split_sections(shanghai_lines)
    assert sections.overview.startswith("2019年，上海市人民政府办公厅坚持以习近平")
    assert sections.overview.endswith("不断提升全市政府信息公开工作人员的工作能力和水平。")
    assert sections.overview.count("\n") == 21
    assert sections.active_disclosure == ""
    assert sections.applications == ""
    assert sections.review_litigation == ""
    assert sections.problems.split("\n")[0] == "（一）主要问题"
    assert sections.other == "无。"
