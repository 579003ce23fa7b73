"""Pages whose headlines the extraction lists apart, after every story.

An extraction in the PDF's drawing order (`pdftotext -raw`, pdfminer on many producers' files)
keeps each story's text whole and in order, with no blank line between stories, and gives the
headlines, drawn in their own pass, as one list at the end of the page. No headline then stands
between two stories: the stream of text is cut where each listed headline's words are, in the
order the headlines are listed (`find_listed_headlines`, `listed_drafts`).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
from collections import Counter

from ..text import (
    CLOSERS, HAN_RE, LEAD_LABEL_RE, LEAD_START_RE, bigrams, column_width, column_widths,
    ends_sentence, han_count, han_pairs, open_brackets, text_width,
)
from . import starts as learned_starts
from .bodies import ends_sentence_or_note
from .compose import INDENT, UNSURE_WIDTH_RE
from .lines import one_line
from .patterns import (
    CAPTION_CREDIT_RE, DATELINE_HEAD_RE, DATELINE_RE, END_BYLINE_RE, PHOTO_CREDIT_RE,
    START_BYLINE_RE,
)
from .types import Body, Draft, HeadUnit, Line

# The share of a listed line's words the text before the list must hold for it to be a headline
# of that text rather than a last line of text (headlines restate their story's words). (Dev,
# raw, found exactly / titles at 0.5 / 0.4 / 0.3: 40.7% / 61.1%, 41.5% / 62.0%, 41.7% / 63.1%;
# pdftotext 37.3% / 45.0% at 0.5 and 0.4, 37.2% / 44.6% at 0.3: commentaries' headlines restate
# few of their words, and at 0.3 a page read in turn is taken for a list.)
LISTED_EVIDENCE = 0.4
MAX_LINE_WIDTH = 40       # a headline line is never wider than this (in half-width units)
MAX_TITLE_LINES = 8       # lines of one listed headline (a narrow side headline wraps often)
DRAWN_AGAIN_WITHIN = 3    # listed lines between a headline and its fake-bold copy, at most
DOUBLED_SHARE = 0.7       # of a run's characters standing next to their copy: fake bold
# The weight and costs from here to CUT_COST were set by a grid over the page corpus's dev
# split as `pdftotext -raw` reads it (found exactly 20.0% before, 21.9% at these values; the
# region around them is flat). With the learned starts (`START_WEIGHT`) the lead's weight and
# the cost of an unsupported headline went from 0.5 to 0.3 (found exactly 41.5% -> 42.3%,
# segmentation 0.776 -> 0.784; skip and merge costs at 0.3 or 0.9 lose 0.3 to 1.2 points).
# With stories of no listed headline (`HEADLESS_COST`), skipping a headline went from 0.6 to
# 0.4 (found exactly / segmentation / titles at 0.6 / 0.5 / 0.4 / 0.3 (before those stories):
# 50.9% / 0.839 / 67.0%, 50.8% / 0.838 / 67.3%, 51.0% / 0.839 / 67.7%, (48.9% / 0.822 / 68.3%);
# before those stories, merge costs at 0.4 / 0.8 gave 48.8% / 0.821 and 48.7% / 0.824 against
# 49.1% / 0.825 at 0.6).
LEAD_LINES = 3            # a story restates its headline in its first lines …
LEAD_WEIGHT = 0.3         # … and this is what the share of its words there is worth
SKIP_COST = 0.4           # a listed headline that heads no text (a label, a photo's title)
MERGE_COST = 0.6          # two listed blocks read as one headline (one wrapped, or a kicker)
UNSUPPORTED_COST = 0.3    # a headline none of whose words its story uses
CUT_COST = 0.1            # a new story at a paragraph start with nothing else to show for it
# A story none of the listed headlines heads. (Dev, raw, found exactly / segmentation / titles
# without such stories: 49.1% / 0.825 / 67.8%; at 0.3 / 0.4 / 0.5 / 0.6: 50.0% / 0.836 / 66.9%,
# 50.9% / 0.839 / 67.0%, 51.1% / 0.837 / 67.0%, 50.6% / 0.834 / 67.3%; none after the last
# headline's story, at 0.4: 50.7% / 0.836 / 67.0%.)
HEADLESS_COST = 0.4
# A story a listed headline heads holds a sentence at least: a line alone, a series banner's
# label (`融看台`) or an over-line (`商务部——`) between two stories, took the headline of the
# story under it, and each story after got the headline of the one before (120 such stories of
# 10 Han characters or fewer on dev). Dev, raw, found exactly / segmentation / titles with any
# length: 56.2% / 0.8584 / 70.6%; at 5 / 10 / 15: 56.0% / 0.8584 / 70.9%, 56.1% / 0.8590 /
# 71.3%, 55.9% / 0.8583 / 71.7%.
HEADED_HAN = 10
# A story of no listed headline holds a sentence or two at least: shorter pieces are a story's
# last line or a caption's credit set apart (dev, raw, found exactly / segmentation / titles
# with any length: 53.5% / 0.863 / 72.6%; at 5 / 10 / 15 / 20 Han characters: 54.1% / 0.865 /
# 72.4%, 54.3% / 0.864 / 72.3%, 53.8% / 0.864 / 72.1%, 53.1% / 0.861 / 71.8%; at 5 and 10 a
# page's last sentence, 13 characters, still stood alone on
# `test_a_story_the_list_has_no_headline_for…`).
HEADLESS_HAN = 15
# A story's own headline's words are at least this many times as present in it as any other
# listed headline's, or it is flagged for review when its lead repeats none of them (dev, raw:
# 47.6% of the wrong articles flagged, 13.0% of the right ones; the lead alone: 56.9%, 26.0%).
WEAK_MARGIN = 2.0
# What makes a place between two lines a likely start of a story, beyond a finished sentence.
# (A heading line was worth 0.5 until session 8: with the learned headlines a story's section
# headings drew cuts; dev, raw, at 0.0 / 0.1 / 0.2 / 0.3 / 0.5: found exactly 25.7% / 26.5% /
# 27.1% / 27.0% / 25.8%.)
START_BONUS = {"frame": 0.3, "gap": 0.1, "heading": 0.2, "byline": 0.6, "dateline": 0.3,
               "short-line": 0.1}
# A story's lines repeat its own words, and across the start of the next story the words
# change: each possible start is also weighed by how little the lines before it and after it
# share, against the page's mean (TextTiling, Hearst 1997). Dev, raw, found exactly /
# segmentation without it: 27.4% / 0.678; at 6 / 10 / 14 / 20 lines a side: 29.2% / 0.694 (weight
# 0.2), 30.6% / 0.703, 31.4% / 0.712, 31.1% / 0.711 (weight 0.3); at 14 lines and weight 0.2 /
# 0.3 / 0.4 / 0.5: 30.5% / 31.4% / 31.4% / 31.4%, titles 59.2% / 60.2% / 59.5% / 59.1%.
TILE_LINES = 14
TILE_WEIGHT = 0.3
# What the learned model's log-odds at a possible start (`starts`), against the odds at which a
# start is worth nothing, count for against the headlines' words. (Dev, raw, found exactly /
# segmentation with the rules' bonuses: 33.7% / 0.719; at weight 0.1 and even at 0.53, the
# model's threshold at 80% out-of-fold precision: 37.9% / 0.741; at 0.1 / 0.2 / 0.3 and even
# at 0.1: 39.8% / 0.760, 40.2% / 0.762, 40.1% / 0.764, titles 61.7% / 61.7% / 60.9%; even at
# 0.05 / 0.15 / 0.2 with weight 0.2: 39.9% / 40.1% / 40.0%.)
START_WEIGHT = 0.2
START_EVEN = 0.1
# A story may also end on a short line with no full stop (a brief cut short, a list, a poem);
# such a place costs this much more than the model finds it worth. (Dev, raw, found exactly /
# segmentation / titles without such places: 48.2% / 0.815 / 67.0%; at 0.5 / 0.6 / 0.7: 48.8% /
# 0.826 / 68.0%, 49.1% / 0.825 / 67.8%, 49.4% / 0.825 / 67.7%; with the stories of no listed
# headline and the list sought after a verse, at 0.4 / 0.45 / 0.5 / 0.6 / 0.7: 50.3% / 0.842 /
# 68.1%, 50.6% / 0.842 / 68.1%, 50.9% / 0.843 / 68.3%, 51.0% / 0.841 / 68.0%, 51.2% / 0.840 /
# 68.0%. Weighed with the sentences, changing their signs, at 0.3 / 0.6 / 1.0: 46.9% / 0.820,
# 48.6% / 0.822, 48.4% / 0.816; after any line not ending a clause, at 0.6 / 0.9: 45.8% /
# 0.805, 47.4% / 0.815.)
OPEN_END_COST = 0.5
OPEN_CLAUSE = "，、：；:,;"   # a line ending in these goes on in the next
# A story may also start after a line ending no sentence and no clause where the next line
# opens on when it happened (`…让群众过个安心年⏎2月10日，市政府…`: a lead's deck, a brief's
# last line with its full stop lost): such a place costs this much more than the model finds it
# worth. (Dev, raw, found exactly / segmentation / titles without such places: 55.2% / 0.8689 /
# 72.4%; at 0.3, 0.5 or 0.7: 55.7% / 0.8728 / 72.8%; at 1.0: 55.5% / 0.8718 / 72.7%.)
TIME_OPENING_COST = 0.5
KICKER_MARKS = "■□●◆◇"
# An over-line (引题) drawn after the story above and before its own story's dateline: the cut
# the words and signs choose falls on the dateline, and the over-line is moved from the story
# above to head its own. (Dev, raw, found exactly / segmentation / titles without: 53.6% / 0.864
# / 72.4%; at 1 line: 54.3% / 0.866 / 72.4%; at 2, 3 or 4 lines: 54.6% / 0.866 / 72.4%.)
OVER_LINE_LINES = 3
# A bracketed series tag closing a listed headline: its words are rarely the story's, and pages
# whose headlines all carry one were not taken for lists (dev, raw, found exactly /
# segmentation / titles with the tags' words weighed: 46.8% / 0.804 / 64.8%; without: 47.2% /
# 0.807 / 65.6%).
SERIES_TAG_RE = re.compile(r"[（(][^（(）)]*[）)]$")
# A listed line of this many Han characters or fewer before a series tag closing it is the end
# of the headline the line before began (dev, raw, found exactly / segmentation / titles
# without: 53.3% / 0.859 / 71.2%; at 3 or 4: 53.5% / 0.859 / 72.1%; at 6: 53.5% / 0.859 / 71.9%).
TAG_TAIL_HAN = 4
# A closing bracket with a headline's words after it, or a space between two runs of words:
# where two listed headlines set side by side were read as one line. (Dev, raw, found exactly /
# segmentation / titles splitting after a bracket only: 50.9% / 0.843 / 68.3%; at spaces too:
# 51.5% / 0.849 / 70.8%; reading the two parts of a line as one headline at no cost or 0.3
# rather than `MERGE_COST`: 51.6% / 0.848 / 70.2%, 51.5% / 0.849 / 70.8%.)
GLUED_AFTER_TAG_RE = re.compile(r"(?<=[）)])(?=[\u4e00-\u9fff“]{2})")
SIDE_BY_SIDE_RE = re.compile(r"\s+")
# A part of a line this short is the rest of the headline before it (`…阅读活动 受欢迎`), not a
# headline of its own (dev, raw, with the refitted start model: 53.3% / 0.858 / 71.3% without,
# 53.3% / 0.859 / 71.2% at 3 Han characters).
SIDE_PART_HAN = 3
# An author's note (`（作者为…）`, `（执笔：…）`, after a quote's closing mark read onto its
# line), a dateline closing a story in brackets (`（本报华盛顿2月2日电）`, `（本报东京电记者某某）`)
# or a photographer's credit, a series tag after it (`张三摄（影像中国）`).
CREDIT_BLOCK_RE = re.compile(r"^”?[（(](?:作者|执笔|(?:本报|新华社|中新社)[^（(）)]{0,12}电)"
                             r"|^[\u4e00-\u9fff·]{2,4}摄(?:影报道)?(?:[（(][^（(）)]*[）)])?$")
# Lines a closing credit before the listed headlines wraps over, at most (`_credit_run`). Dev,
# raw, odd / even found exactly, segmentation, titles with such credits read into the list:
# 1,324 / 0.8771 / 1,611, 1,268 / 0.8726 / 1,540; ended the story above: 1,346 / 0.8801 / 1,612,
# 1,292 / 0.8735 / 1,538 (a page whose list, a credit shorter, no longer outnumbered its
# headlines in place); pdftotext and pdfminer unchanged. At 6 lines (`（作者为某某⏎…⏎教授）`):
# 1,343 / 0.8789 / 1,612, 1,294 / 0.8736 / 1,539.
CREDIT_RUN = 3
CREDIT_LEAD = 2           # characters before a credit in its block (`”`, `本报` cut at `报`)
COLUMN_UNDER = 8          # lines under a story's first line whose widest most show its column
LINES_UNDER = 3           # lines under it, at least, to show one
FILLS_COLUMN = 1.0        # em short of (or past) its column a line filling it is, at most
WRAPPED_SHORT = 5         # em short of its column a wrapped first line is, at most
LABEL_SHARE = 0.6         # a label line in the text is at most this share of a full line
# An over-line set across the story's columns: wider than a line of its text by this much.
# (Dev, raw, found exactly at 1.25 / 1.5 / 2.0: 32.9% / 32.8% / 32.3%; 32.2% without.)
WIDE_KICKER = 1.5
LABEL_PUNCT = "、：:？！?!…“”（）()《》—"
NO_START = "”’）)」』》，。、；：！？,.;:!?"
# An over-line or subtitle drawn with its story's text, not with the listed headlines
# (`_over_line_run`): at most this many lines, one line `RUN_WIDER` times as wide as the text's
# next `MEASURE_UNDER` lines, or wrapped lines the last of which is `RUN_MARGIN` em shorter than
# the lines before it. Read into the story's first paragraph, it made its first sentence wrong.
# (Dev, raw, odd / even found exactly, segmentation, titles without: 1,270 / 0.87236 / 1,609,
# 1,218 / 0.86844 / 1,540; with: 1,291 / 0.87483 / 1,607, 1,236 / 0.86942 / 1,538; pdftotext and
# pdfminer unchanged.) Also an over-line ending in a dash (`代表热议全国人大常⏎委会工作报告——`),
# which ends no sentence there, and up to 4 lines (`——广西落实习⏎近平总书记全国⏎两会重要讲话精⏎
# 神纪实`), list items (`●…`) left out: odd / even 1,291 / 0.87480 / 1,607, 1,236 / 0.86941 /
# 1,538 -> 1,299 / 0.87482 / 1,607, 1,242 / 0.86979 / 1,538.
OVER_LINE_RUN = 4
MEASURE_UNDER = 3
RUN_MARGIN = 2
RUN_WIDER = 1.2           # a one-line over-line is this many times as wide as the text
SENTENCE_TAIL = 4         # characters of the next line within which a broken sentence ends
SENTENCE_MARKS = "。；！？!?"
FULL_STOPS = "。！？!?"      # a section heading follows one (a semicolon goes on in a deck)
ITEM_MARKS = "●◆"         # marks opening the items of a list
FIGURE_RE = re.compile(r"^\d[\d.,]*(?:%|[多余]?[万亿千百]?[^\W\d年月日时分]?)$")
WRAP_TAIL = 5             # characters of a headline's wrapped line in a narrow column
WRAP_OPENERS = "（(《“‘·"
WRAP_CLOSERS = "）)》”’、，：:"


def find_listed_headlines(lines: list[Line | None]
                          ) -> tuple[int, list[list[Line]], list[Line]] | None:
    """Where a list of headlines closes the page: (its index in `lines`, its headlines, each a
    run of lines, and the lines a fake-bold typesetter drew twice), or None. The list is the
    run of short lines ending no sentence after the page's last finished sentence; two of its
    headlines or more repeat words of the text before it."""
    start = _list_start(lines, len(lines), exclaims=False)
    # A headline may end in ！ or ？: the list then reaches back to the blank or furniture
    # line before it, across a few such lines (a last paragraph has a full stop somewhere);
    # a fake-bold headline drawn a character or two a line is one of them (dev, raw, found
    # exactly / segmentation / titles counting its lines: 47.5% / 0.810 / 66.2%; as one:
    # 47.6% / 0.813 / 67.0%).
    earlier = _list_start(lines, start, exclaims=True)
    if earlier < start and lines[earlier - 1] is None and len(_undouble_wrapped(
            [line for line in lines[earlier:start] if line is not None], [])) <= 2 * MAX_TITLE_LINES:
        start = earlier
    # A story ending in short lines with no full stop (a poem, a list) reads into the list; the
    # blank or furniture line (`责任编辑：…`) after it is then where the list starts (dev, raw,
    # found exactly / segmentation / titles before: 51.0% / 0.839 / 67.7%; after: 51.0% / 0.841 /
    # 68.0%).
    for begin in [start] + [k + 1 for k in range(start, len(lines)) if lines[k] is None]:
        found = _read_list(lines, begin)
        if found is not None:
            return found
    return None


def _read_list(lines: list[Line | None], start: int
               ) -> tuple[int, list[list[Line]], list[Line]] | None:
    """The list of headlines from `start` to the page's end, as `find_listed_headlines` gives
    it, or None where two of them or a third do not repeat words of the text before it."""
    listed: list[Line] = []
    doubled: list[Line] = []
    for line in (part for line in lines[start:] if line is not None for part in _split_glued(line)):
        # A fake-bold typesetter draws a headline again right after it (lines read in between).
        again = any(line.text == earlier.text for earlier in listed[-DRAWN_AGAIN_WITHIN:])
        (doubled if again else listed).append(line)
    listed = _undouble_wrapped(_undouble_blocks(listed, doubled), doubled)
    if len(listed) < 2:
        return None
    before = Counter(han_pairs("".join(line.text for line in lines[:start] if line is not None)))
    if not before:
        return None
    heads = _group_lines(listed, before)
    backed = [head for head in heads if _evidence(head, before) >= LISTED_EVIDENCE]
    # A story's own last headline (headlines printed after their text) is one block, not a list;
    # a list has two backed headlines at least, and a third of it backed (labels, series tags
    # and lines the extraction garbled have no words in the text).
    if len(heads) < 2 or len(backed) < 2 or len(backed) * 3 < len(heads):
        return None
    return start, heads, doubled


def _list_start(lines: list[Line | None], end: int, exclaims: bool) -> int:
    """Where the run of possible headline lines ending at `end` starts: short lines with no
    full stop, no byline, ending no sentence (`exclaims`: or ending in ！ or ？)."""
    start = end
    while start > 0:
        line = lines[start - 1]
        if line is None:
            if exclaims:
                return start
            start -= 1
            continue
        text = line.text
        # An over-line ends in a dash (`某某部——`), as does a series tag wrapped at one; a
        # series tag may read like a closing credit (`_closing_credit`). Dev, raw, found exactly
        # / segmentation / titles with the list stopped at either: 2,413 / 0.85901 / 3,071; at
        # neither: 2,420 / 0.86197 / 3,091 (odd and even pages both gain; the page's list read
        # whole, its stories no longer run into one another).
        ends = ends_sentence(text) and not text.endswith("—") \
            and not (exclaims and text.rstrip(CLOSERS)[-1:] in "！？!?")
        if ends or text_width(text) > MAX_LINE_WIDTH or any(c in text for c in "。；") \
                or START_BYLINE_RE.match(text) or _closing_credit(text):
            break
        start -= 1
    while count := _credit_run(lines, start, end):
        start += count
    return start


def _credit_run(lines: list[Line | None], start: int, end: int) -> int:
    """How many lines from `start` (before `end`) are a closing credit, wrapped over up to
    `CREDIT_RUN` lines (`（本报华盛顿 2⏎月2日电）`, `（作者为某大学⏎教授）`), or a photographer's
    (`张三摄（影像中国）`): 0 if none. They end the story above, with no full stop after them,
    and the list of headlines after it took them for one of its own."""
    texts: list[str] = []
    count = 0
    for line in lines[start:min(end, start + CREDIT_RUN)]:
        if line is None:
            break
        texts.append(SIDE_BY_SIDE_RE.sub("", line.text))
        joined = "".join(texts)
        # The longest such run: a photographer's name may be a credit before its agency's tag.
        if open_brackets(joined) == 0 and (_closing_credit(joined) or _credit_block(joined)):
            count = len(texts)
    return count


def _closing_credit(text: str) -> bool:
    """Whether a line ends on a closing credit (`…。（记者 王琼）`, `（据新华社）`): after a
    sentence's end or alone. A headline's series tag may read like one (`（记者观察）`) after
    words ending no sentence."""
    credit = END_BYLINE_RE.search(text)
    return credit is not None and (credit.start() == 0 or ends_sentence(text[:credit.start()]))


def _split_glued(line: Line) -> list[Line]:
    """Two headlines side by side read as one line: a series tag in brackets ends the first
    (`…（统筹抓好各项工作）点对点包车接返岗员工`)."""
    parts = [part for piece in SIDE_BY_SIDE_RE.split(line.text.strip())
             for part in GLUED_AFTER_TAG_RE.split(piece) if part]
    return [Line(line.number, part) for part in parts]


def _undouble_blocks(listed: list[Line], doubled: list[Line]) -> list[Line]:
    """A fake-bold headline of several lines drawn again whole right after itself (`“脱欧”⏎，⏎
    一样挥手两⏎样心情（环⏎球走笔）` twice): the second run of lines goes to `doubled`. (Dev,
    raw, found exactly / segmentation / titles without: 53.8% / 0.8637 / 72.1%; with: 53.7% /
    0.8641 / 72.4%.)"""
    out: list[Line] = []
    texts = [line.text for line in listed]
    index = 0
    while index < len(listed):
        size = next((n for n in range(MAX_TITLE_LINES, 1, -1) if len(out) >= n
                     and texts[index:index + n] == [line.text for line in out[-n:]]), 0)
        if size:
            doubled.extend(listed[index:index + size])
            index += size
            continue
        out.append(listed[index])
        index += 1
    return out


def _undouble_wrapped(listed: list[Line], doubled: list[Line]) -> list[Line]:
    """A fake-bold headline in a narrow column comes out a character or two a line, each
    character twice (`人性⏎性底⏎底线⏎线（`): such a run of lines is one line, read once; the
    second copies go to `doubled`."""
    out: list[Line] = []
    index = 0
    while index < len(listed):
        end = index
        while end < len(listed) and len(listed[end].text) <= 3:
            end += 1
        joined = "".join(line.text for line in listed[index:end])
        repeats = sum(1 for a, b in zip(joined, joined[1:]) if a == b)
        # A short line whose last character the next line does not repeat is not the run's
        # first: the end of a headline wrapped before it (`…经费遭⏎批评⏎不⏎不能⏎能以…`).
        if end - index >= 4 and listed[index].text[-1] != listed[index + 1].text[0]:
            out.append(listed[index])
            index += 1
            continue
        if end - index >= 3 and repeats * 2 >= DOUBLED_SHARE * len(joined):
            kept, dropped = [joined[0]], []
            for char in joined[1:]:
                (dropped if char == kept[-1] else kept).append(char)
            out.append(Line(listed[index].number, "".join(kept)))
            doubled.append(Line(listed[index].number, "".join(dropped)))
            index = end
            continue
        out.append(listed[index])
        index += 1
    return out


def _evidence(head: list[Line], pairs: Counter) -> float:
    """The share of a headline's words the text holds; a series tag in brackets closing the
    headline (`（新春走基层·脱贫攻坚一线见闻）`) names a column, not the story, and is left out."""
    text = "".join(line.text for line in head)
    words = bigrams(SERIES_TAG_RE.sub("", text)) or bigrams(text)
    return sum(1 for word in words if pairs[word]) / len(words) if words else 0.0


def _group_lines(listed: list[Line], pairs: Counter) -> list[list[Line]]:
    """The listed lines as headlines: a line joins the one before when the headline is plainly
    not finished (an open bracket or quote, a series tag or closing mark to come, a comma
    before the break: `春运出行，⏎旅客请错峰`), the word across the break occurs in the text, or the
    line is a wrapped headline's last character or two, after no closing bracket (a two-character
    label, `速览`, follows a tag: `（民生关注）⏎速览`). (Dev, raw, found exactly / segmentation /
    titles without the comma and the bracket: 54.6% / 0.8661 / 72.4%; with the bracket: 54.6% /
    0.8664 / 72.9%; with both: 54.7% / 0.8674 / 73.3%.)"""
    heads: list[list[Line]] = []
    for line in listed:
        if heads:
            so_far = "".join(part.text for part in heads[-1])
            unclosed = open_brackets(so_far) > 0 or so_far.count("“") > so_far.count("”")
            # What is left of a bracket or quote is short, or closes it; a headline of its own
            # after one left open (the extraction lost its end) is not the rest of it.
            unclosed = unclosed and (len(line.text) <= WRAP_TAIL
                                     or any(c in line.text for c in "）)”"))
            across = so_far[-1:] + line.text[:1]
            if unclosed or _ends_untagged(so_far, line.text) or so_far[-1] in WRAP_OPENERS + "，、" \
                    or line.text[0] in WRAP_CLOSERS \
                    or line.text[0] in "（(" or (han_count(across) == 2 and pairs[across]) \
                    or len(heads[-1]) < MAX_TITLE_LINES and han_count(line.text) <= 2 \
                    and line.text[0] not in "“（(" and so_far[-1] not in "）)" \
                    or line.number == heads[-1][-1].number and han_count(line.text) <= SIDE_PART_HAN:
                heads[-1].append(line)
                continue
        heads.append([line])
    return heads


def listed_drafts(heads: list[HeadUnit], units: list[HeadUnit], bodies: list[Body],
                  set_aside: set[int], candidates: list | None = None
                  ) -> tuple[list[Draft], list[str]]:
    """Cut the page's text into one story per listed headline, in order, where each headline's
    words are; headline blocks found within the text (kickers, labels) head the story they
    open. `set_aside`: the lines read as captions, notes or furniture, which stand between
    frames; `candidates`, when given, collects the possible story starts with their signs
    (`_start_bonuses`). Returns the articles and the warnings (listed headlines that head no
    text)."""
    stream = [(b, line) for b, body in enumerate(bodies) for line in body.text_lines()]
    if not stream:
        return [], []
    column = column_width([text_width(line.text) for _, line in stream])
    starts = _start_bonuses(stream, units, bodies, set_aside, column, heads, candidates)
    choice, totals = _best_cuts(heads, stream, starts)
    choice, over_lines = _over_lines_to_their_story(choice, [line.text for _, line in stream])
    warnings = [f"line {head.lines[0].number}: headline with no article: {head.words()}"
                for index, head in enumerate(heads) if not any(index in run for run, _ in choice)]
    drafts = []
    pairs = Counter(han_pairs("".join(line.text.strip() for _, line in stream)))
    cut_lines = [stream[k][1].number for _, k in choice[1:]]
    pieces = _cut_bodies_at(bodies, set(cut_lines))
    bounds = [stream[k][1].number for _, k in choice] + [float("inf")]
    # A headline block within the text heads the story that starts after it.
    opened = [bisect.bisect_right(bounds, unit.lines[-1].number) for unit in units]
    ends = [k for _, k in choice[1:]] + [len(stream)]
    for index, ((run, a), b, low, high) in enumerate(zip(choice, ends, bounds, bounds[1:])):
        frames = [body for body in pieces if low <= _first_number(body) < high]
        if not frames:
            continue
        title = [heads[i] for i in run]
        own = [unit for unit, part in zip(units, opened) if part == index]
        if a in over_lines:
            kicker = _take_over_line(frames, over_lines[a])
        else:
            kicker = _take_kicker(frames, column)
        if not frames[0].parts:
            pieces.remove(frames[0])
            frames = frames[1:]
        _set_figure_apart(frames[0])
        for frame in frames:
            _set_items_apart(frame)
            _set_headings_apart(frame, pairs)
        if kicker:
            own.append(HeadUnit([one_line(kicker)], group=-1, position=frames[0].position,
                                over_line=True))
        if not run:
            drafts.append(Draft.headless(frames, own))
            continue
        draft = Draft(own + title, frames,
                      ["headline placed by its words: the page listed its headlines apart"])
        # Doubtful where another listed headline's words are as much in the story as its
        # own, or nearly so while its lead repeats none of its own.
        own = sum(totals[i][b] - totals[i][a] for i in run)
        other = max((totals[i][b] - totals[i][a] for i in range(len(heads)) if i not in run),
                    default=0.0)
        if own <= other or (own < WEAK_MARGIN * other and not _lead_evidence(title, frames)):
            draft.flag("headline-weak")
        drafts.append(draft)
    # Before the first listed headline's story: text whose headline the list does not hold.
    first = [body for body in pieces if _first_number(body) < bounds[0]]
    if first:
        drafts.insert(0, Draft.headless(first))
    return drafts, warnings


def _start_bonuses(stream: list[tuple[int, Line]], units: list[HeadUnit], bodies: list[Body],
                   set_aside: set[int], column: float, heads: list[HeadUnit],
                   candidates: list | None = None) -> dict[int, float]:
    """Where a story may start (index into the stream, > 0) and how likely it is: after a
    finished sentence or note, a frame boundary (a byline, a caption, a note) or a headline block;
    the rules' bonus, or where the learned model is shipped its worth (`starts`).
    `column`: the width of a full line of text; `candidates`, when given, collects (lines
    before, lines from, signs) of every possible start (for fitting the model)."""
    head_before = {unit.position for unit in units}
    starts: dict[int, float] = {}
    marks: dict[int, dict[str, float]] = {}
    apart: dict[int, float] = {}   # places weighed apart, with their cost
    texts = [line.text for _, line in stream]
    # Per line, whether it is a closing credit alone, and alone or with the next line read on.
    credit_alone = [learned_starts.closing_credit(text) for text in texts]
    credit_from = [alone or k + 1 < len(texts) and learned_starts.closing_credit(text, texts[k + 1])
                   for k, (text, alone) in enumerate(zip(texts, credit_alone))]
    # A story set wider than the page's columns (a box, a commentary across two of them) ends
    # on a line short for its own measure: the widest the lines around it are set at
    # (`text.column_widths`), where that is wider than the page's column. (Dev, raw, odd / even
    # found exactly, segmentation, titles at the page's column: 1,262 / 0.86951 / 1,597, 1,204
    # / 0.86279 / 1,528; at the lines' own measure: 1,266 / 0.87079 / 1,597, 1,214 / 0.86711 /
    # 1,538, but pdfminer's segmentation fell on odd pages; at the wider of the two: 1,269 /
    # 0.87197 / 1,598, 1,214 / 0.86711 / 1,538, pdftotext and pdfminer unchanged.) A line
    # short for that measure is also what the `short` mark weighs (at the page's column: as
    # above; at the wider: 1,269 / 0.87233 / 1,599, 1,218 / 0.86844 / 1,536, pdftotext and
    # pdfminer unchanged).
    measures = column_widths([text_width(text) for text in texts])
    for k in range(1, len(stream)):
        (b0, previous), (b1, line) = stream[k - 1], stream[k]
        # A closing quote or a comma read onto the next line still belongs to the sentence.
        if line.text[0] in NO_START:
            continue
        # A closing credit (`starts.CREDIT_LINE_RE`) ends the story above: no story starts on
        # it, and one may start after it as after a finished sentence (not as after an open
        # end). Dev, raw, found exactly / segmentation / titles before: 2,431 / 0.8632 / 3,114;
        # no start on a credit only (and `——编者` taken for one): 2,440 / 0.8618 / 3,111; both:
        # 2,462 / 0.8653 / 3,116, odd and even pages both gaining.
        if credit_from[k]:
            continue
        after_credit = credit_alone[k - 1] or k > 1 and credit_from[k - 2]
        # Something stood between the two lines (a caption, a note, furniture) or a byline or
        # headline block cut the text there.
        between = range(previous.number + 1, line.number)
        frame, aside = b1 != b0, any(number in set_aside for number in between)
        # (A closing quote read onto a line of its own ends the sentence above it.) A story
        # also ends on a note in brackets with no full stop after it (`（作者为…院长）`,
        # `（影像中国）`, `（本报华盛顿5月6日电）`) or on an open end (`_open_end`): such places
        # are weighed apart (see below). Dev, raw, found exactly / segmentation after sentences
        # only: 42.9% / 0.790; after notes too: 46.8% / 0.804; with the repairs of the listed
        # headlines since, notes weighed with the sentences: 47.6% / 0.813, apart: 48.2% / 0.815.
        ended = (stream[k - 2][1].text if k > 1 else "") + previous.text
        if not (frame or aside or after_credit) and not ends_sentence(ended):
            if ends_sentence_or_note(ended):
                apart[k] = 0.0
            # A frame's first line is short where its byline was taken from it
            # (`本报讯（记者 周丽）记者从市城管⏎局获悉…`), not where a story ended (with the
            # refitted start model, dev raw 53.0% / 0.857 / 71.3% -> 53.3% / 0.858 / 71.3%).
            elif _open_end(previous.text, max(column, measures[k - 1])) and not (
                    bodies[b0].starts_with_byline and (k == 1 or stream[k - 2][0] != b0)):
                apart[k] = OPEN_END_COST
            elif learned_starts.TIME_OPENING_RE.match(line.text) \
                    and previous.text[-1] not in OPEN_CLAUSE:   # (`TIME_OPENING_COST`)
                apart[k] = TIME_OPENING_COST
            else:
                continue
        mark = {"frame": float(frame), "heading": float(frame and b1 in head_before),
                "aside": float(aside), "gap": float(bool(between)),
                "kicker": float(_kicker_line(line, column)),
                "byline": float(frame and (bodies[b1].starts_with_byline
                                           or bodies[b1].led_by_byline)),
                "dateline": float(bool(DATELINE_RE.search(line.text[:20])
                                       or START_BYLINE_RE.match(line.text))),
                "short": float(text_width(previous.text) < max(column, measures[k - 1]) - 2)}
        bonus = START_BONUS["frame"] * (frame or aside) \
            + START_BONUS["heading"] * (mark["heading"] + mark["kicker"]) \
            + START_BONUS["gap"] * (bool(between) and not (frame or aside)) \
            + (START_BONUS["byline"] if mark["byline"]
               else START_BONUS["dateline"] * mark["dateline"]) \
            + START_BONUS["short-line"] * mark["short"]
        starts[k] = bonus - CUT_COST
        marks[k] = mark
    lines = [line for _, line in stream]
    page = learned_starts.StartSigns(lines, [bigrams(head.words()) for head in heads], [])
    worth = _worth(page, {k: v for k, v in starts.items() if k not in apart}, marks, column,
                   candidates)
    # A note's end or an open end is weighed among all the places, the others among the
    # places after finished sentences, frames and headlines only (its signs compare a place
    # with the others: the cohesion dips, the lines since the last one). The model is fitted
    # on both, each weighed as here: fitted on the others only, it had never seen a place after
    # an unfinished line (refitted with them, out-of-fold AUC over all places 0.9653; dev, raw,
    # found exactly / segmentation / titles 56.5% / 0.876 / 73.5% -> 56.8% / 0.877 / 73.7%;
    # at no cost for such places, `OPEN_END_COST` and `TIME_OPENING_COST` at 0, 56.1% / 0.875 /
    # 72.4%). Dev scored with the model fitted on dev flatters it: scored out of fold, each
    # page with the model fitted on the other four folds' pages, 50.6% / 0.842 / 71.2% ->
    # 53.0% / 0.855 / 72.5%, both halves gaining (300 trees or depth 4: 0.890 and 0.892 in
    # sample, but 0.850 and 0.854 out of fold; depth 2 or 80 trees: 0.843, 0.849 out of fold).
    # Those are on the 320-page corpus; refitted on 960 pages (session 16): AUC 0.9675.
    if apart:
        everywhere = _worth(page, starts, marks, column, candidates, wanted=set(apart))
        worth.update({k: everywhere[k] - cost for k, cost in apart.items()})
    return worth


def _over_lines_to_their_story(choice: list[tuple[tuple[int, ...], int]], texts: list[str]
                               ) -> tuple[list[tuple[tuple[int, ...], int]], dict[int, int]]:
    """The parts, each story that opens on its dateline or byline (or on a lead's label after
    a line ending in `——`) starting instead at the over-line read in before it (`市政府部署春运
    工作⏎本报西宁1月10日电…`): up to `OVER_LINE_LINES` lines after a finished sentence, ending
    none, no credit; a part of no listed headline holding only those lines goes with the story
    it stands over. Returns the parts and, per part start moved, the over-line's count of
    lines."""
    out: list[tuple[tuple[int, ...], int]] = []
    over: dict[int, int] = {}
    for run, a in choice:
        start = _over_line_start(texts, a) if a > 0 else a
        if out and start <= out[-1][1]:
            if start < out[-1][1] or out[-1][0]:
                start = a
            else:
                out.pop()
        if start < a:
            over[start] = a - start
        out.append((run, start))
    return out, over


def _over_line_start(texts: list[str], a: int) -> int:
    """Where the over-line before a story starting at stream index `a` starts (`a` if none)."""
    for size in range(1, OVER_LINE_LINES + 1):
        start = a - size
        if start < 1 or not _over_line_part(texts[start]):
            return a
        # (A closing quote read onto a line of its own ends the sentence above it.)
        before = (texts[start - 2] if start > 1 else "") + texts[start - 1]
        if not ends_sentence_or_note(before) or before.endswith("—"):
            continue
        run = texts[start:a]
        joined = "".join(run)
        opener = texts[a]
        # A lead's label (`编者按`) opens a story after an over-line ending in a dash only: a
        # credit line (`张三图 李四文`) stands before it too.
        opens = START_BYLINE_RE.match(opener) or DATELINE_HEAD_RE.match(opener) \
            or DATELINE_RE.search(opener[:20]) \
            or LEAD_START_RE.match(opener) and joined.endswith("——")
        # A subtitle opening on a dash (`——某某主持`) heads its story as an over-line does
        # (dev, raw, odd / even found exactly, segmentation, titles with such lines left to the
        # story above: 1,357 / 0.8804 / 1,612, 1,303 / 0.8743 / 1,540; moved: 1,360 / 0.8805 /
        # 1,613, 1,306 / 0.8744 / 1,540; the same with signatures, `——编者`, of 4 Han or fewer left).
        if opens and run[0][0] not in NO_START \
                and all(not ends_sentence(text) for text in run[:-1]) \
                and (joined.endswith("——") or not ends_sentence_or_note(joined)):
            return start
    return a


def _over_line_part(text: str) -> bool:
    """Whether a line may be (part of) an over-line: no full stop or semicolon inside it, no
    colon before its end (`本版制图：张三` is a credit), no photo or caption credit."""
    return not any(c in text for c in "。；摄") and not any(c in text[:-1] for c in "：:") \
        and not PHOTO_CREDIT_RE.search(text) and not CAPTION_CREDIT_RE.search(text) \
        and not END_BYLINE_RE.search(text)


def _worth(page: learned_starts.StartSigns, starts: dict[int, float],
           marks: dict[int, dict[str, float]], column: float, candidates: list | None = None,
           wanted: set[int] | None = None) -> dict[int, float]:
    """What each possible start (of the `wanted` ones, if given) is worth, weighed among all
    of `starts`: from the rules' bonus and the cohesion dips, or where the learned model is
    shipped its log-odds; `candidates`, when given, collects (lines before, lines from,
    signs) of each."""
    starts = dict(starts)
    reader = page.at(sorted(starts))
    lines = reader.lines
    for k, dip in _cohesion_dips(reader).items():
        starts[k] += TILE_WEIGHT * dip
    model = learned_starts.shipped_model()
    if not starts or (model is None and candidates is None):
        return starts
    for k, place in reader.signs(starts, marks, column, wanted).items():
        if candidates is not None:
            candidates.append((lines[max(0, k - 3):k], lines[k:k + 3], place))
        if model is not None:
            starts[k] = START_WEIGHT * learned_starts.log_odds(model, place, START_EVEN)
    return starts


def _open_end(text: str, column: float) -> bool:
    """A short line ending no sentence and no clause (`积极调配物资做好市场保供`, `毫不动摇`): a
    brief's text, a list or a poem may end there, with no full stop; so may a deck (a lead set
    over a story) whose last character wrapped alone (`…保障毫不松⏎懈`). (Dev, raw, found
    exactly / segmentation / titles with two Han characters at least: 55.7% / 0.8728 / 72.8%;
    with one: 56.0% / 0.8756 / 73.0%.)"""
    return text_width(text) < column - 2 and text[-1] not in OPEN_CLAUSE and han_count(text) >= 1


def _cohesion_dips(reader: learned_starts.StartSigns) -> dict[int, float]:
    """Per possible start, how much less the `TILE_LINES` lines before it and after it share
    than the page's possible starts do on average (-1 to 1); Han pairs are weighed by how few
    of the page's stretches of lines hold them (a word every story uses tells no two apart)."""
    return {k: max(-1.0, min(1.0, dip)) for k, (_, dip) in reader.cohesion_dips(TILE_LINES).items()}


def _best_cuts(heads: list[HeadUnit], stream: list[tuple[int, Line]],
               starts: dict[int, float]) -> tuple[list[tuple[tuple[int, ...], int]], list]:
    """The parts (headline indices, none for a story the list holds no headline for; first
    stream index) that best fit the headlines' words: dynamic programming over the headlines in
    order and the possible story starts."""
    texts = [line.text for _, line in stream]
    # A line's words, with the one across its end; a word counts once per story, however often
    # it recurs: each line holding it gets a share.
    line_words = [bigrams(text + (texts[index + 1][:1] if index + 1 < len(texts) else ""))
                  for index, text in enumerate(texts)]
    lines_with = Counter(word for words in line_words for word in words)
    # Each headline's evidence per line, as running totals; a headline in several listed
    # blocks sums its blocks', so that reading two blocks as one headline costs nothing.
    totals = []
    for head in heads:
        words = {word for word in bigrams(head.words()) if lines_with[word]}
        total = [0.0]
        for present in line_words:
            # fsum: a plain float sum over a set depends on its order, which differs from run
            # to run (string hashes are seeded per process), and so would the cuts.
            total.append(total[-1] + math.fsum(1 / lines_with[w] for w in words & present)
                         / max(1, len(words)))
        totals.append(total)
    # A credit drawn with the headlines heads no story and is part of none's headline.
    credits = [_credit_block(head.words()) for head in heads]
    # A headline carries one series tag: two blocks each closed by one are two headlines.
    # (Dev, raw, odd / even found exactly, segmentation, titles with such blocks read as one
    # headline: 1,262 / 0.86913 / 1,594, 1,204 / 0.86279 / 1,523; never: 1,262 / 0.86951 /
    # 1,596, 1,204 / 0.86279 / 1,525; with a dateline in brackets a credit: titles 1,597, 1,528.)
    tagged = [_own_tag(head.words()) for head in heads]
    runs = [tuple(range(i, j)) for i in range(len(heads))
            for j in range(i + 1, min(len(heads), i + 3) + 1)
            if not any(credits[i:j]) and sum(tagged[i:j]) < 2]
    prefix = {run: [sum(values) for values in zip(*(totals[i] for i in run))] for run in runs}
    # The share of a headline's words in the first lines from a start: a story restates its
    # headline in its lead, which is what makes two listed headlines two stories.
    candidates = [0] + sorted(starts)
    word_sets = [bigrams(head.words()) for head in heads]
    lead = {}
    for run in runs:
        lead[run] = {}
        for a in candidates:
            near = set().union(*line_words[a:a + LEAD_LINES])
            lead[run][a] = max(len(word_sets[i] & near) / len(word_sets[i]) if word_sets[i] else 0.0
                               for i in run)
    end = len(stream)
    targets = candidates + [end]
    han_before = list(itertools.accumulate((han_count(text) for text in texts), initial=0))
    # best[(i, a)]: the best score with headlines before i placed and a story starting at a.
    best: dict[tuple[int, int], tuple[float, object]] = {(0, 0): (0.0, None)}
    for i in range(len(heads) + 1):
        _offer_headless(best, i, targets, starts, han_before)
        if i == len(heads):
            break
        states = [(a, best[(i, a)]) for a in candidates if (i, a) in best]
        for run in (r for r in runs if r[0] == i):
            _offer_run(best, run, states, targets, prefix[run], lead[run],
                       [_evidence_after(totals[h]) for h in run], starts, han_before,
                       sum(0.0 if _tag_tail(heads[h], heads[h + 1]) else MERGE_COST
                           for h in run[:-1]))
        # A credit is passed over at the text's end too, where a headline is not: skipping any
        # headline listed after the last story's (dev, raw, odd / even found exactly,
        # segmentation, titles: 1,244 / 0.86617 / 1,594, 1,184 / 0.85976 / 1,520 -> 1,245 /
        # 0.86657 / 1,596, 1,187 / 0.85950 / 1,518) took segmentation from the even pages.
        for a in targets if credits[i] else candidates:
            if (i, a) in best:
                score, node = best[(i, a)]
                _offer(best, (i + 1, a), score - (0.0 if credits[i] else SKIP_COST), node)
    final = best.get((len(heads), end))
    if final is None:
        return [], totals
    parts, node = [], final[1]
    while node is not None:
        node, part = node
        parts.append(part)
    return parts[::-1], totals


def _offer_run(best: dict, run: tuple[int, ...], states: list, targets: list[int],
               total: list[float], lead: dict[int, float], evidence_after: list[list[int]],
               starts: dict[int, float], han_before: list[int], merge_cost: float) -> None:
    """Offer every story (a, b) headed by `run`, from each state's start a to every later
    start b, as best[(after the run, b)]. A story's worth is what its lines hold of the run's
    words, its lead's worth, the next start's bonus, less a cost per headline whose words it
    lacks; it holds `HEADED_HAN` Han characters at least (`han_before`: per stream index, those
    of the lines before it). Sweeping b upwards, the starts a are kept in one heap per count of
    such headlines (a count only falls as b grows), so the pairs are not all tried: a page of
    many briefs has hundreds of possible starts."""
    heaps: list[list] = [[] for _ in range(len(run) + 1)]
    level: dict[int, int] = {}
    entries: dict[int, tuple] = {}
    events: list[tuple[int, int]] = []    # (where a start's count falls, the start)
    waiting = iter(states)
    pending = next(waiting, None)
    for b in targets:
        while pending is not None and pending[0] < b \
                and han_before[pending[0]] <= han_before[b] - HEADED_HAN:
            a, (score, node) = pending
            entries[a] = (-(score - total[a] + LEAD_WEIGHT * lead[a]), a, node)
            level[a] = sum(b < after[a] for after in evidence_after)
            heapq.heappush(heaps[level[a]], entries[a])
            for after in evidence_after:
                if b < after[a]:
                    heapq.heappush(events, (after[a], a))
            pending = next(waiting, None)
        while events and events[0][0] <= b:
            _, a = heapq.heappop(events)
            level[a] -= 1
            heapq.heappush(heaps[level[a]], entries[a])
        found = None
        for count, heap in enumerate(heaps):
            while heap and level[heap[0][1]] != count:   # moved to a lower count since
                heapq.heappop(heap)
            if heap:
                value = -heap[0][0] - UNSUPPORTED_COST * count
                better = found is None or value > found[0] \
                    or (value == found[0] and heap[0][1] < found[1])   # the earlier start
                if better:
                    found = (value, heap[0][1], heap[0][2])
        if found is not None:
            value, a, node = found
            gain = total[b] + starts.get(b, 0.0) - merge_cost
            _offer(best, (run[-1] + 1, b), value + gain, (node, (run, a)))


def _tag_tail(head: HeadUnit, after: HeadUnit) -> bool:
    """Whether the listed block `after` is a few words on a line of their own and a series tag
    wrapped over the next lines (`请错峰⏎（民生⏎关注）`): the end of the headline `head`
    began, which has no tag: reading the two as one headline costs nothing. (Dev, raw, found
    exactly / segmentation / titles at `MERGE_COST`: 56.0% / 0.8756 / 73.0%; at none: 56.3% /
    0.8763 / 73.6%. Joined in `_group_lines` instead, a page's count of listed headlines fell
    below twice its headlines in place, and it was read as one with headlines in place: 56.0% /
    0.8735 / 73.7%.) Words in quotes are such an end too (`垃圾分类不是⏎“一阵风”⏎（短评）`):
    dev, raw, found exactly / segmentation / titles with a quote opening the block refused:
    2,411 / 0.85901 / 3,066; taken: 2,413 / 0.85901 / 3,071 (odd and even pages both gain)."""
    return len(after.lines) > 1 and not any(c in after.lines[0].text for c in "（(") \
        and _ends_untagged(head.words(), after.words())


def _credit_block(text: str) -> bool:
    """Whether a listed block is a story's credit drawn with the headlines, not a headline: a
    closing byline (`（本报记者 王琼整理）`), an author's note (`（作者为某大学教授）`,
    `（执笔：张三）`) or a photo credit (`张三摄（影像中国）`, `（新华社发）`). Passed over at no
    cost and never read as (part of) a headline: dev, raw, found exactly / segmentation /
    titles with such blocks read as headlines: 2,420 / 0.86197 / 3,091; passed over: 2,428 /
    0.86301 / 3,114 (odd and even pages both gain on all three; with the credit found anywhere
    in the block, a headline a tag's tail glued to it was one too: 2,426 / 0.86275 / 3,115)."""
    # The block is the credit, not a headline ending like one (a tag's tail glued to it).
    credits = [regex.search(text) for regex in (END_BYLINE_RE, PHOTO_CREDIT_RE, CAPTION_CREDIT_RE)]
    return bool(CREDIT_BLOCK_RE.search(text)) \
        or any(credit is not None and credit.start() <= CREDIT_LEAD for credit in credits)


def _own_tag(text: str) -> bool:
    """Whether a listed block is a headline closed by its own series tag (`春运出行请错峰（民生
    关注）`): more than the few words a wrapped headline's tail holds before its tag
    (`_ends_untagged`)."""
    return bool(SERIES_TAG_RE.search(text)) \
        and han_count(SERIES_TAG_RE.sub("", text)) > TAG_TAIL_HAN


def _ends_untagged(before: str, text: str) -> bool:
    """Whether `text` is a few words and the series tag closing them, the end of a headline
    `before` began with no tag of its own (`返乡能人⏎富乡亲（新春走基层）`): a headline is
    more than a few words."""
    return bool(SERIES_TAG_RE.search(text)) and not SERIES_TAG_RE.search(before) \
        and not _own_tag(text)


def _offer_headless(best: dict, i: int, targets: list[int], starts: dict[int, float],
                    han_before: list[int]) -> None:
    """Offer every story with no listed headline, from a start a to a later start or the end
    b, as best[(i, b)]: the list lacks a headline (a brief's, or one lost in the extraction) where
    the text plainly starts a story it holds no words for. Its worth is the next start's, less
    `HEADLESS_COST`, whatever its lines, if they hold `HEADLESS_HAN` Han characters at least
    (`han_before`: per stream index, those of the lines before it): the best start that far
    before b is all that is kept."""
    best_before = None
    waiting = iter(targets)
    a = next(waiting, None)
    for b in targets:
        while a is not None and han_before[a] <= han_before[b] - HEADLESS_HAN:
            if (i, a) in best and (best_before is None or best[(i, a)][0] > best_before[0]):
                best_before = (best[(i, a)][0], a, best[(i, a)][1])
            a = next(waiting, None)
        if best_before is not None:
            score, start, node = best_before
            _offer(best, (i, b), score + starts.get(b, 0.0) - HEADLESS_COST, (node, ((), start)))


def _evidence_after(total: list[float]) -> list[int]:
    """Per line a, the line from which a story starting at a holds some of the headline's
    words: the smallest x > a with total[x] > total[a] (past the end if none)."""
    after = [len(total)] * len(total)
    nxt = len(total)
    for x in range(len(total) - 1, 0, -1):
        if total[x] > total[x - 1]:
            nxt = x
        after[x - 1] = nxt
    return after


def _kicker_line(line: Line, column: float) -> bool:
    """An over-line or a label read in with the text: `■ 某某医院检验师某某——`, or a short
    line with no punctuation at all (`华夏幸福`; text's short lines end a sentence)."""
    text = line.text
    # A lead box's label (`核心阅读`) stays with the lead it introduces.
    if han_count(text) < 2 or any(c in text for c in "。；，") or LEAD_LABEL_RE.match(text):
        return False
    return text.endswith("——") or text[0] in KICKER_MARKS or (
        text_width(text) <= LABEL_SHARE * column and not any(c in text for c in LABEL_PUNCT)) \
        or (text_width(text) >= WIDE_KICKER * column and not ends_sentence(text))


def _offer(best: dict, key: tuple[int, int], score: float, node) -> None:
    if key not in best or score > best[key][0]:
        best[key] = (score, node)


def _cut_bodies_at(bodies: list[Body], numbers: set[int]) -> list[Body]:
    """The bodies, each cut before every line in `numbers` that is not its first."""
    pieces = []
    for body in bodies:
        cuts = sorted(line.number for line in body.text_lines()[1:] if line.number in numbers)
        tails = []
        for number in reversed(cuts):
            tails.insert(0, body.split_off(number))
        pieces.extend([body] + tails)
    return pieces


def _take_kicker(frames: list[Body], column: float) -> list[Line]:
    """A story's first line when it is an over-line: taken out of the text for the headline
    (the first frame is left empty when that line was all it held)."""
    body = frames[0]
    lines = body.text_lines()
    # An over-line may be a frame of its own, over a story opening on its byline (`商务部——⏎
    # 本报北京2月21日电（记者…）…`). (Dev, raw, found exactly / segmentation / titles without:
    # 55.9% / 0.8580 / 70.7%; with: 56.2% / 0.8584 / 70.6%.)
    if len(lines) == 1 and len(frames) > 1 and not body.starts_with_byline \
            and _kicker_line(lines[0], column):
        return _take_over_line(frames, 1)
    # What a byline leaves of its line is the start of the text, however short.
    if len(lines) < 2 or body.starts_with_byline or _wide_text(lines[0].text, lines[1:], column):
        return []
    # A series banner over items set wider than the page's columns is short for the items'
    # lines, not for the page's: it is a label by the width of the line under it (dev, raw,
    # found exactly / segmentation / titles by the page's column only: 55.5% / 0.8562 / 70.7%;
    # by the line under it too: 55.9% / 0.8580 / 70.7%). An indented first line is nearly as
    # wide as the next.
    if not (_kicker_line(lines[0], column)
            or _kicker_line(lines[0], max(column, text_width(lines[1].text)))):
        return _take_lines(body, _over_line_run([line.text for line in lines], column))
    # A short first line opening on a mark or on when it happened is a paragraph's, narrow in a
    # narrow column or for its digits (`2月21日召开⏎的中共中央…`, `■《中导条约》⏎对于缓和大国
    # 关系…`); an over-line opening on a mark ends in a dash. (Dev, raw, odd / even found
    # exactly, segmentation, titles with such lines taken: 1,299 / 0.87482 / 1,607, 1,242 /
    # 0.86979 / 1,538; left unless the line under them is indented, the first line of a
    # paragraph under a label: 1,315 / 0.87699 / 1,611, 1,259 / 0.87212 / 1,540; left: 1,316 /
    # 0.87702 / 1,611, 1,260 / 0.87223 / 1,540.)
    first = lines[0].text
    if (first[0] in KICKER_MARKS or learned_starts.TIME_OPENING_RE.match(first)) \
            and not first.endswith("——"):
        return []
    if _wraps_on(lines):
        return []
    return _take_lines(body, 1)


def _wraps_on(lines: list[Line]) -> bool:
    """Whether a story's short first line is its first paragraph's, wrapped (in a narrow column:
    `12岁的⏎蒙古族小朋友⏎…`, `马尼拉消⏎息：由…`): the line under it fills the column of the
    lines under it (within `FILLS_COLUMN` em), where the first line of a paragraph under a
    label is indented, and the line is short of that column by an indent and a little (within
    `WRAPPED_SHORT` em; dev, raw: such lines 2 to 4.5 em short, series labels over a story 7 em
    or more). An over-line ending in a dash or opening on a mark is one whatever is under it.
    (Dev, raw, odd / even found exactly, segmentation, titles with such lines taken: 1,346 /
    0.8801 / 1,612, 1,292 / 0.8735 / 1,538; left: 1,357 / 0.8804 / 1,612, 1,303 / 0.8743 /
    1,540; without `WRAPPED_SHORT`, series labels left in the text: 1,342 / 0.8768 / 1,612,
    1,294 / 0.8712 / 1,540.)"""
    first = lines[0].text
    if first.endswith("——") or first[0] in KICKER_MARKS or len(lines) < LINES_UNDER + 1:
        return False
    column = column_width([text_width(line.text) for line in lines[1:1 + COLUMN_UNDER]])
    return column - WRAPPED_SHORT <= text_width(first) < column \
        and abs(column - text_width(lines[1].text)) <= FILLS_COLUMN


def _left_open(text: str) -> bool:
    """Whether text leaves a bracket, a book title or a quotation open."""
    return open_brackets(text) > 0 or text.count("“") > text.count("”") \
        or text.count("《") > text.count("》")


def _over_line_run(texts: list[str], column: float) -> int:
    """How many of a story's first lines are an over-line or a subtitle drawn with its text
    (0 if none): lines ending no sentence, with no full stop in them, set at a measure of their
    own: one line wider than the page's column and the text under it (`举国同庆的节日里，他们时刻
    坚守战位⏎对多数人来说，春⏎…`), or wrapped lines the last of which is short (`——把握我国发
    展重⏎要战略机遇新内涵述⏎评之一`), a paragraph's end with no full stop, which in text is a
    heading's; or lines ending in a dash (`全国人大代表刘家⏎奇——`), an over-line's end. The extraction also breaks a line of text at a quotation mark or a
    bracket (`…将有⏎力打击“港独”⏎“黑暴”等…`, `…介绍：⏎“根据…`, `…唐⏎古拉山，⏎“钢铁巨龙”`,
    `…以7∶5、6∶⏎7（3）`), and a sentence the extraction broke ends soon after (`…“导师”骤⏎
    然大增。`): a run ending in no word, holding such a break, or whose sentence ends within
    the next line's first characters is text; so is a line holding columns read across
    (`…队员从海 助力复工稳经济`), or wider than a headline's (`MAX_LINE_WIDTH`). Wrapped lines of
    a heading are as wide as one another: a first line narrower than the next is a paragraph's,
    indented (`中白工业园打造白⏎俄罗斯首个无人车试验⏎区`, an item's heading in a column of
    briefs, a paragraph of its text). A sentence opening on when it happened (`日前，…`), or
    leaving a bracket or a quotation open, is a lead's: the extraction broke its line."""
    widths = [text_width(text) for text in texts]
    for count in range(1, min(OVER_LINE_RUN, len(texts) - 2) + 1):
        run = texts[:count]
        dashed = run[-1].endswith("——")
        if any(c in text for text in run for c in SENTENCE_MARKS) \
                or any(START_BYLINE_RE.match(text) or LEAD_LABEL_RE.match(text) for text in run) \
                or texts[count][0] in NO_START or widths[count - 1] > MAX_LINE_WIDTH \
                or _left_open("".join(run)) or learned_starts.TIME_OPENING_RE.match(run[0]):
            return 0
        if dashed:
            return count
        # A list's items open on a mark (`●酒精必须…`), as a dashed over-line may.
        if run[0][0] in KICKER_MARKS:
            return 0
        if ends_sentence(run[-1]) or not run[-1][-1].isalnum() \
                or any(text[:1] == "“" for text in run[1:]) \
                or any(c in texts[count][:SENTENCE_TAIL] for c in SENTENCE_MARKS):
            return 0
        under = max(widths[count:count + MEASURE_UNDER])
        wrapped = widths[:count - 1]
        if count == 1 and widths[0] >= RUN_WIDER * max(column, under) and " " not in run[0] \
                or count > 1 and widths[count - 1] <= min(wrapped) - RUN_MARGIN \
                and max(wrapped) - min(wrapped) < 1:
            return count
    return 0


def _set_figure_apart(body: Body) -> None:
    """A figure on a line of its own opening a story (`99.1%`, `5765亿元`, `826门`: the
    number a box of figures sets over its note) stands as a paragraph of its own: the
    paragraphs' rebuilding would run it on into the sentence under it. (Dev, raw, odd / even
    found exactly, segmentation, titles without: 1,316 / 0.87702 / 1,611, 1,260 / 0.87223 /
    1,540; with: 1,321 / 0.87711 / 1,611, 1,264 / 0.87223 / 1,540.)"""
    first = body.parts[0] if body.parts else None
    if first is not None and first[0] == "text" and len(first[1]) > 1 \
            and FIGURE_RE.match(first[1][0].text.strip()):
        body.parts[:1] = [("text", first[1][:1]), ("text", first[1][1:])]


def _set_items_apart(body: Body) -> None:
    """Each item of a list whose items open on a mark (`●居家观察须独居一室，出房间须戴口罩⏎
    ●接触…`) stands as a paragraph of its own: items often end with no full stop, and the
    paragraphs' rebuilding would run them on into one another. (Dev, raw, odd / even found
    exactly, segmentation, titles without: 1,321 / 0.877107 / 1,611, 1,264 / 0.872227 / 1,540;
    with: 1,324 / 0.877108 / 1,611, 1,268 / 0.872629 / 1,540.)"""
    parts = []
    for kind, value in body.parts:
        if kind != "text":
            parts.append((kind, value))
            continue
        starts = [0] + [k for k, line in enumerate(value) if k and line.text[:1] in ITEM_MARKS]
        parts.extend(("text", value[a:b]) for a, b in zip(starts, starts[1:] + [len(value)]))
    body.parts = parts


def _set_headings_apart(body: Body, pairs: Counter) -> None:
    """Each section heading within a story's text (`…志愿者队伍。⏎社区治理有新招⏎　　近日，…`)
    stands as a paragraph of its own: the paragraphs' rebuilding ends a paragraph only after a
    sentence's end, and would run it on into the paragraph under it. Its width tells a heading
    from a paragraph's first line: shorter than an indented line, over an indented one.
    `pairs`: the page's Han pairs, counted across line breaks too. (Dev, raw, odd / even found
    exactly, segmentation, titles without: 1,360 / 0.88053 / 1,613, 1,306 / 0.87444 / 1,540;
    with: 1,363 / 0.88052 / 1,613, 1,312 / 0.87486 / 1,540; pdftotext and pdfminer unchanged.
    A story's own first line so set apart too, over an indented line: 10 found exactly gained,
    8 lost, the first lines of leads narrowed by their initial's indent.)"""
    parts = []
    for kind, value in body.parts:
        if kind != "text":
            parts.append((kind, value))
            continue
        texts = [line.text.strip() for line in value]
        widths = [text_width(text) for text in texts]
        # (Most lines fill the part's widest measure: the rules are not asked about those.)
        widest = max(widths, default=0.0)
        runs = [(start, end) for end in range(1, len(value))
                if widths[end - 1] < widest - INDENT[1]
                and (start := _heading_start(texts, end, pairs)) is not None]
        measures = column_widths(widths) if runs else []
        cuts = {bound for start, end in runs for bound in (start, end)
                if measures[end - 1] - widths[end - 1] > INDENT[1]
                and INDENT[0] <= measures[end] - widths[end] <= INDENT[1]}
        bounds = sorted(cuts | {0, len(value)})
        parts.extend(("text", value[a:b]) for a, b in zip(bounds, bounds[1:]))
    body.parts = parts


def _heading_start(texts: list[str], end: int, pairs: Counter) -> int | None:
    """Where the section heading ending before line `end` starts, or None if none does: up to
    `OVER_LINE_RUN` lines after a full stop, holding no sentence mark, the last ending on a word
    or a closing mark, leaving nothing open. The line after does not go on with it: no closing
    mark, note in brackets or sentence's end it completes (`为“六稳”⏎“六保”…`, `赵某、周⏎
    某出席。`), no credit it wraps (`张某⏎某摄影报道`), no word across the break found elsewhere
    on the page (`《通知》鼓励各⏎级预算单位…`: `pairs`). Digits and Latin letters make widths
    unsure: no such line is weighed."""
    last, after = texts[end - 1][-1:], texts[end]
    if not (HAN_RE.match(last) or last in "”）)》") or after[:1] in NO_START + "（(" \
            or (last in "”》" and after[:1] in "“《") or ends_sentence(after):
        return None
    for start in range(end - 1, max(-1, end - 1 - OVER_LINE_RUN), -1):
        text = texts[start]
        if any(c in text for c in SENTENCE_MARKS) or ends_sentence(text) \
                or text[0] in NO_START or UNSURE_WIDTH_RE.search(text):
            return None
        before = "".join(texts[max(0, start - 2):start]).rstrip(CLOSERS)
        if before and before[-1] in FULL_STOPS:
            run = "".join(texts[start:end])
            heading = han_count(run) >= 2 and not _left_open(run) \
                and not UNSURE_WIDTH_RE.search(after) and pairs[last + after[:1]] <= 1 \
                and not learned_starts.closing_credit(texts[end - 1], after)
            return start if heading else None
    return None


def _wide_text(first: str, rest: list[Line], column: float) -> bool:
    """Whether a first line wider than the page's column (`WIDE_KICKER`) is the text of a story
    set wider, not an over-line across its columns: items stacked under a series banner run
    across two or three of the page's columns. An over-line is wider than the text under it;
    this line is as wide as the next (an indented first line is a little narrower), or the
    next ends the story (`国家副主席…会见某国第⏎一副总理…。`). (Dev, raw, found exactly /
    segmentation / titles without: 54.5% / 0.8494 / 70.3%; with: 55.5% / 0.8562 / 70.7%;
    banner items 676 -> 717 of 1,216 found exactly, 0.787 -> 0.810.)"""
    width = text_width(first)
    return width >= WIDE_KICKER * column and not first.endswith("——") \
        and first[0] not in KICKER_MARKS \
        and (len(rest) == 1 or text_width(rest[0].text) >= width - 2)


def _take_lines(body: Body, count: int) -> list[Line]:
    """A story's first `count` text lines, taken out of the text (for the headline), or none
    where its first block of text is no longer than that."""
    first = body.parts[0] if body.parts else None
    if first is None or first[0] != "text" or len(first[1]) <= count:
        return []
    taken = first[1][:count]
    del first[1][:count]
    return taken


def _take_over_line(frames: list[Body], count: int) -> list[Line]:
    """The over-line of `count` lines opening a story's first frame, taken out of its text; it
    may be all that frame holds (the story's text, under its dateline, is a frame of its own):
    the frame is then left empty."""
    first = frames[0]
    if len(frames) > 1 and first.parts and not first.extra_lines and len(first.parts) == 1 \
            and first.parts[0][0] == "text" and len(first.parts[0][1]) == count:
        taken = first.parts[0][1]
        first.parts = []
        return taken
    return _take_lines(first, count)


def _first_number(body: Body) -> int:
    """A frame's first text line (a byline printed over it goes with it)."""
    numbers = [line.number for line in body.text_lines()] or body.extra_lines
    return min(numbers) if numbers else 0


def _lead_evidence(title: list[HeadUnit], frames: list[Body]) -> bool:
    """Whether the story's first lines repeat any word of its headline."""
    lead = "".join(line.text for line in frames[0].text_lines()[:LEAD_LINES * 2]) if frames else ""
    return bool(bigrams("".join(unit.words() for unit in title)) & bigrams(lead))

