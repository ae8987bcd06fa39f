"""Chinese text normalisation for matching labels and headings.

Reports are sometimes converted to Traditional characters, partly (S000: 規范性文件) or
lexically (規範性檔案). Matching needs Simplified text; the table below covers the vocabulary of
the GIAR template, its headings and common report words, which is all that matching needs (a
full converter would be a dependency for nothing).
"""

from __future__ import annotations

import re
import unicodedata

_TRADITIONAL = (
    "開开 規规 範范 檔档 製制 數数 項项 條条 處处 決决 許许 強强 罰罚 費费 採采 購购 "
    "總总 額额 務务 對对 內内 業业 構构 組组 織织 關关 係系 為为 請请 況况 結结 轉转 "
    "辦办 屬属 國国 險险 穩稳 護护 權权 類类 過过 資资 訊讯 執执 詢询 無无 沒没 現现 "
    "補补 確确 訪访 舉举 報报 訴诉 複复 復复 議议 維维 糾纠 審审 經经 後后 繼继 續续 "
    "營营 應应 與与 單单 準准 會会 統统 計计 團团 體体 機机 產产 問问 題题 進进 須须 "
    "頒颁 發发 廢废 從从 們们 這这 個个 區区 鎮镇 縣县 萬万 實实 監监 據据 歸归 檢检 "
    "當当 廣广 東东 漢汉 陽阳 門门 閻阎 災灾 環环 態态 衛卫 長长 間间 來来 裡里 於于 "
    "將将 並并 網网 絡络 點点 動动 電电 話话 稱称 覽览 瀏浏 政政 務务 級级 職职 責责 "
    "員员 導导 領领 號号 務务 記记 錄录 緊紧 專专 項项 傳传 達达 學学 習习 義义 農农 "
    "設设 施施 勞劳 衝冲 擊击 爭争 預预 決决 齊齐 優优 邊边 節节 佈布 熱热 線线 雜杂 "
    "誌志 紀纪 錯错 誤误 號号 費费 規规 劃划 質质 談谈 識识 認认 讓让 變变 嚴严 層层 "
    "縮缩 簡简 條条 歷历 頁页 處处 遲迟 範范 圍围 龍龙 廳厅 書书 記记 財财 稅税 貿贸 "
    "鐵铁 醫医 藥药 衛卫 儀仪 僅仅 償偿 儲储 兒儿 兩两 凍冻 劑剂 勞劳 勢势 區区 協协 "
    "歲岁"
)
TRADITIONAL_TO_SIMPLIFIED: dict[str, str] = {pair[0]: pair[1] for pair in _TRADITIONAL.split()}
_TRANSLATION = str.maketrans(TRADITIONAL_TO_SIMPLIFIED)
# Lexical (Taiwan-style) conversions that change words, not just characters.
_PHRASES = (("档案", "文件"),)

_NUMBERING = re.compile(
    r"^(?:第?[一二三四五六七八九十]+[、.．,，]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．,，](?!\d)|[①-⑩])"
)
_PARENTHETICAL = re.compile(r"\([^()]*\)|\([^()]*$")
_PUNCTUATION = re.compile(r"[\s\"'“”‘’「」『』:;,.、。!?·_\-—–…/|()\[\]【】<>《》*]+")


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Chinese character (labels do; numbers and misread digits do not)."""
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def to_simplified(text: str) -> str:
    """Traditional → Simplified for the GIAR vocabulary (character level, plus 檔案→文件)."""
    out = text.translate(_TRANSLATION)
    for old, new in _PHRASES:
        out = out.replace(old, new)
    return out


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), Simplified characters, no white space."""
    out = unicodedata.normalize("NFKC", text)
    out = to_simplified(out)
    return re.sub(r"\s+", "", out)


def strip_numbering(text: str) -> str:
    """Drop a leading "一、", "(三)", "1.", "1、" marker (text must be normalised)."""
    return _NUMBERING.sub("", text, count=1)


def label_core(text: str) -> str:
    """The words of a label that identify it: no numbering, parentheticals or punctuation.

    "（二）部分公开（区分处理的，只计这一情形…" → "部分公开"; "本年收费金额（单位：万元）" → "本年收费金额".
    """
    out = strip_numbering(normalize(text))
    previous = None
    while previous != out:
        previous, out = out, _PARENTHETICAL.sub("", out)
    return _PUNCTUATION.sub("", out)
