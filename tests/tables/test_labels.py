from giar.canonical import APPLICATION_ROWS, Generation
from giar.chinese import label_core, to_simplified
from giar.tables.labels import Candidate, align, similarity
from giar.tables.read_applications import _best_generation

LEAVES = [
    Candidate("state_secret", ("1.属于国家秘密",)),
    Candidate("law_prohibited", ("2.其他法律行政法规禁止公开",)),
    Candidate("security", ("3.危及“三安全一稳定”",)),
]


def test_label_core_drops_numbering_parentheticals_and_punctuation():
    assert label_core("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "部分公开"
    assert label_core("(二) 部分公开(区分处理的,只计这一情") == "部分公开"
    assert label_core("本年收费金额（单位：万元）") == "本年收费金额"
    assert label_core("1、申请人无正当理由逾期不补正") == "申请人无正当理由逾期不补正"


def test_traditional_labels_match():
    assert to_simplified("規範性檔案") == "规范性文件"
    assert similarity("(七)總計", "（七）总计") == 1.0


def test_typo_still_identifies_its_row():
    matches = align(["1.属于国家秘密", "2.其他法律行政止公开", "3.危及“三安全一 稳定”"], LEAVES)
    assert [(m.key, m.by_label) for m in matches] == [
        ("state_secret", True), ("law_prohibited", True), ("security", True)]


def test_damaged_labels_fall_back_to_order_and_say_so():
    matches = align(["1.属于国家秘密", "??", "##"], LEAVES)
    assert [(m.observed, m.key, m.by_label) for m in matches] == [
        (0, "state_secret", True), (1, "law_prohibited", False), (2, "security", False)]


def test_extra_row_is_skipped_not_shifted():
    matches = align(["1.属于国家秘密", "其他主动公开文件", "2.其他法律行政法规禁止公开"], LEAVES[:2])
    assert [(m.observed, m.key) for m in matches] == [(0, "state_secret"), (2, "law_prohibited")]


def test_truncated_labels_are_ambiguous():
    cols = [Candidate("made", ("本年新制作数量",)), Candidate("published", ("本年新公开数量",))]
    matches = align(["本年新", "本年新"], cols)
    assert [(m.key, m.by_label) for m in matches] == [("made", False), ("published", False)]


def _printed_row_labels(generation: Generation) -> list[str]:
    return [row.label for row in APPLICATION_ROWS[generation]]


def test_a_header_row_read_as_data_does_not_turn_a_2019_table_into_a_2021_one():
    corner = "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)"
    labels = [corner, corner, *_printed_row_labels(Generation.G2019)]
    labels[2] = "一、本年新收请数量"  # damaged enough to bring the two alignments level
    labels[3] = "?公开申请数量"
    generation, matches, told = _best_generation(labels)
    assert (generation, told) == (Generation.G2019, True)
    assert "other_processing" in {m.key for m in matches}


def test_a_generation_guessed_without_its_own_rows_says_so():
    labels = [label for label in _printed_row_labels(Generation.G2021)
              if "申请人" not in label and label != "3.其他"]
    generation, _, told = _best_generation(labels)
    assert told is False


def test_a_faded_other_processing_label_fitting_both_generations_tells_neither():
    # Hongze 150 heavy bitonal (seed 3): the 2019-style single （六）其他处理 row faded to
    # "（六）其他处", which is 2021's 3.其他 about as well, and a blank sub-label in (五) gave
    # 2021 the better alignment by a hair: the 2021 rows must not count as told
    labels = _printed_row_labels(Generation.G2019)
    six = next(i for i, label in enumerate(labels) if "其他处理" in label)
    labels[six] = "（六）其他处"
    labels[six - 1] = "(五)不予处理"  # 5.要求行政机关确认或重新出具已获取信息, faded
    generation, matches, told = _best_generation(labels)
    assert told is False
    # a clean label of either generation's own rows still tells it
    assert _best_generation(_printed_row_labels(Generation.G2019))[2] is True
    assert _best_generation(_printed_row_labels(Generation.G2021))[2] is True


def test_a_table_as_long_as_one_generation_is_that_one_when_its_labels_tell_neither():
    # Hongze 150 mild bitonal (seed 8), its labels as read: the lines from (五)4 to (七) faded,
    # those labels run together in one cell and （六）其他处理 lost; too few labels read to
    # tell the generation, and 2021's alignment, skipping two of its （六） rows, scored a
    # hair better than 2019's with all its rows
    merged_2 = "2.1他法律行政止公析关”安全稳定”4方合法权益5410共夫法案在8文查询事项"
    merged_4 = "4.と下当洋由大星技女申请15. 1表关确以或重新出具七总计"
    labels = ["年新收政府信息公开申请数量", "年结转政府信息公开申请数量",
              *[")予以公开了公开区分处理的，只计这情形。不R，"] * 2, "1. 属于国家秘密",
              *[merged_2] * 7, "（四）无法提供车中人本享握相关政府信息",
              *["2.次看现成信息高要另行制作3. 补中请内容仍不明确"] * 2,
              "1.信访举报投诉类申请", "2.中Q申请", "3.要求提供公开出版物", *[merged_4] * 4,
              "四、结转下年度继续办理"]
    assert len(labels) == len(APPLICATION_ROWS[Generation.G2019])
    generation, matches, told = _best_generation(labels)
    assert generation is Generation.G2019 and told is False
    assert [m.key for m in matches if m.observed == 20] == ["other_processing"]
