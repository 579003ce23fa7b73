"""Article metadata from text: publication date, page label, places, topics, tags, versions.

Pure functions of their arguments (the keyword extractor is loaded lazily and cached).

Date rule (`infer_date`, used when the manifest gives no date; whitespace is ignored so that a
header split over lines still matches). A wrong date files articles under the wrong day in the
calendar, the feed and the search filters, which is worse than none, so only strong evidence
counts:
1. a printed page header: a date whose weekday agrees (`2024年12月22日 星期日`), or a line of
   the running head or foot that is nothing but a full date (`2024年12月22日`);
2. with the year from the manifest (`year:`), `今日（M月D日）` is the date and `昨日（M月D日）`
   the day before it.
Anything else (the latest day a text names, a dateline's `本报北京1月19日电`) is what the news is
about, not the day it was printed: the page stays undated and is listed for review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from functools import lru_cache

from .config import Place, Topic
from .text import HAN_RE

DATE_LINE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
HEADER_DATE_RE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日星期([一二三四五六日天])")
HEAD_LINES = 4        # lines of a page's running head (and foot)
TODAY_RE = re.compile(r"([今昨])[日天][（(](\d{1,2})月(\d{1,2})日[）)]")
WEEKDAYS = "一二三四五六日"
MIN_YEAR, MAX_YEAR = 1800, 2199
PAGE_LABEL_RES = (re.compile(r"第(\d{1,3})版"), re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,2}\d{1,2})版"))
HEADER_LABEL_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z]\d{2})(?![A-Za-z0-9])")
MAX_HEADER_LINE = 40
# Short forms that begin a longer ordinary word: 城中村 is an urban village, not 城中区.
NOT_PLACES = ("城中村", "城中心", "大通道", "大通关", "城东西")
# Words every city-news article uses (and this paper's home names): as tags they would link
# everything to everything.
STOP_TERMS = frozenset("""
工作 发展 建设 推进 推动 开展 持续 全面 进一步 实施 群众 我市 本报 记者 今年 去年 以来 活动 相关
提升 加强 问题 项目 服务 通过 坚持 落实 进行 实现 全市 市委 市政府 西宁 西宁市 青海 青海省 同时
有效 积极 不断 重要 一批 一系列 方面 部门 单位 地区 全区 全省 目前 据介绍 据了解 表示 其中 此外
成为 围绕 聚焦 突出 扎实 深入 打造 强化 完善 优化 创新 体系 机制 能力 水平 质量 高质量 工作者
解决 中心 文化 同比 城市 合作 产业 落地 考察 调研 转化 表率 所在 部署 成果 企业 优势 责任
意识 常态 作风 改革 主题 教育 负责同志 有关 方式 情况 力量 基础 实效 成效 举措 措施 要求 任务
各项 加快 见效 学习 重点 有限公司 股份有限公司 集团 材料 开栏 国际 运用
""".split())
# Fragments cut from set phrases (之冰 from 思想之冰) are not words.
FUNCTION_CHARS = "之的了和与及或在于其"
MAX_TERMS = 5
# Versions: share of the shorter text's 4-character shingles found in the longer one.
SHINGLE = 4
MIN_SHINGLES = 40
VERSION_CONTAINMENT = 0.5
MAX_POSTINGS = 50


def _date(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:  # 0000年 or 9999年 is a number, not a newspaper's year
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def infer_date(page_text: str, year: int | None = None) -> dt.date | None:
    """The page's publication date by the rule in the module docstring, or None."""
    compact = re.sub(r"\s+", "", page_text)
    for match in HEADER_DATE_RE.finditer(compact):
        day = _date(*map(int, match.groups()[:3]))
        if day and WEEKDAYS[day.weekday()] == match.group(4).replace("天", "日"):
            return day
    # A bare date counts only in the running head or foot: a body line wrapped around a date
    # (`…于⏎2008 年 10 月 18 日⏎成立`) looks the same.
    lines = [line for line in page_text.splitlines() if line.strip()]
    for line in lines[:HEAD_LINES] + lines[-HEAD_LINES:]:
        match = DATE_LINE_RE.match(re.sub(r"\s+", "", line))
        day = match and _date(*map(int, match.groups()))
        if day:
            return day
    if year is None:
        return None
    for word, month, day_of_month in TODAY_RE.findall(compact):
        named = _date(year, int(month), int(day_of_month))
        if named:
            return named if word == "今" else named + dt.timedelta(days=1)
    return None


def infer_page_label(page_text: str) -> str | None:
    """A page label printed in the page's header or footer line (`A03版`, `第3版`), or None."""
    for line in page_text.splitlines():
        line = line.strip()
        # 转/接: （下转A04版） names the page a story goes to, not this one.
        if not line or len(line) > MAX_HEADER_LINE or "转" in line or "接" in line:
            continue
        compact = re.sub(r"\s+", "", line)
        for pattern in PAGE_LABEL_RES:
            match = pattern.search(compact)
            if match:
                return match.group(1)
        if "星期" in line:
            match = HEADER_LABEL_RE.search(line)
            if match:
                return match.group(1)
    return None


def find_places(text: str, places: tuple[Place, ...]) -> list[str]:
    """Canonical names of the gazetteer places the text names, in gazetteer order."""
    # Longest first, so 城东区 is one hit and not also 城东.
    spellings = sorted(((s, p.name) for p in places for s in p.spellings),
                       key=lambda pair: -len(pair[0]))
    if not spellings:
        return []
    pattern = re.compile("|".join(re.escape(s) for s, _ in spellings))
    canonical = dict(spellings)
    found = set()
    for match in pattern.finditer(text):
        if any(text.startswith(word, match.start()) for word in NOT_PLACES):
            continue
        found.add(canonical[match.group()])
    return [p.name for p in places if p.name in found]


def match_topics(headline: str, text: str, topics: tuple[Topic, ...]) -> list[str]:
    """Topics whose keywords occur `min_mentions` times in `text`, or at all in `headline`.

    Overlapping keywords count once, the longest winning (文化和旅游 is not also 旅游).
    """
    chosen = []
    for topic in topics:
        keywords = sorted(topic.rule.keywords, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(k) for k in keywords))
        if pattern.search(headline) or len(pattern.findall(text)) >= topic.rule.min_mentions:
            chosen.append(topic.name)
    return chosen


@lru_cache(maxsize=1)
def _keyword_extractor():
    """jieba's TF-IDF extractor, loaded on first use: importing it costs about a second."""
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    return jieba.analyse.extract_tags


def key_terms(text: str, exclude: frozenset[str] = frozenset(), vocabulary: tuple[str, ...] = (),
              limit: int = MAX_TERMS) -> list[str]:
    """A handful of the text's most characteristic words (jieba TF-IDF), minus stop terms.

    Words of `vocabulary` (topic keywords) are kept whole: jieba would split 围炉煮茶 in two.
    """
    extract = load_key_terms(vocabulary)
    terms = []
    for word in extract(text, topK=limit * 4):
        if (len(word) >= 2 and HAN_RE.search(word) and word not in STOP_TERMS
                and word[0] not in FUNCTION_CHARS and word[-1] not in FUNCTION_CHARS
                and word not in exclude and not any(word in t or t in word for t in terms)):
            terms.append(word)
        if len(terms) == limit:
            break
    return terms


def load_key_terms(vocabulary: tuple[str, ...] = ()):
    """jieba's extractor, loaded, with the words of `vocabulary` in its dictionary."""
    extract = _keyword_extractor()
    for word in vocabulary:
        _add_word(word)
    return extract


@lru_cache(maxsize=None)
def _add_word(word: str) -> None:
    import jieba

    jieba.add_word(word)


def key_terms_cache_key(text: str, exclude: frozenset[str], vocabulary: tuple[str, ...]) -> str:
    """Key under which `key_terms(...)` may be cached: changes with its inputs and the rules."""
    rules = "|".join((str(MAX_TERMS), " ".join(sorted(STOP_TERMS)), " ".join(sorted(exclude)),
                      " ".join(sorted(vocabulary))))
    return hashlib.sha256(f"{rules}\n{text}".encode()).hexdigest()[:32]


def make_tags(places: list[str], terms: list[str]) -> list[str]:
    """Tags: the places, then the key terms, without repeats."""
    return list(dict.fromkeys([*places, *terms]))


def _shingles(text: str) -> set[str]:
    # Han characters only: two edits of a story differ in punctuation, spacing and numbers.
    han = "".join(HAN_RE.findall(text))
    return {han[i:i + SHINGLE] for i in range(len(han) - SHINGLE + 1)}


def link_versions(texts: dict[str, str]) -> dict[str, list[str]]:
    """For each id, the sorted ids of other texts that print the same story (near-duplicates).

    Symmetric by construction: two texts are versions when most of the shorter one's
    4-character shingles occur in the longer one.
    """
    import numpy as np

    keys = sorted(texts)
    shingles = [_shingles(texts[key]) for key in keys]
    postings: dict[str, list[int]] = {}
    for number, own in enumerate(shingles):
        for shingle in own:
            postings.setdefault(shingle, []).append(number)
    # Pairs are counted through shared shingles, not compared all against all: 1,000 pages
    # hold thousands of articles. Shingles in very many texts are set phrases, not a story.
    # Each pair of texts sharing a shingle is one number (first * n + second), counted with
    # numpy: a page archive of recombined sentences shares millions of them.
    n = len(keys)
    pairs = [np.array(numbers, dtype=np.int64)[_upper(len(numbers))]
             for numbers in postings.values() if 2 <= len(numbers) <= MAX_POSTINGS]
    links: dict[str, list[str]] = {key: [] for key in keys}
    if not pairs:
        return links
    joined = np.concatenate(pairs, axis=1)
    codes, counts = np.unique(joined[0] * n + joined[1], return_counts=True)
    sizes = np.array([len(own) for own in shingles], dtype=np.int64)
    first, second = codes // n, codes % n
    small = np.minimum(sizes[first], sizes[second])
    linked = (small >= MIN_SHINGLES) & (counts >= VERSION_CONTAINMENT * small)
    for a, b in zip(first[linked].tolist(), second[linked].tolist()):
        links[keys[a]].append(keys[b])
        links[keys[b]].append(keys[a])
    return {key: sorted(value) for key, value in links.items()}


@lru_cache(maxsize=None)
def _upper(length: int):
    """Index pairs (i < j) of a list of `length`, as one array of rows then columns."""
    import numpy as np

    return np.vstack(np.triu_indices(length, 1))
