"""Reading a page: repaired lines, then items (text, headline lines, section headings, bylines)."""

from __future__ import annotations

from collections import Counter

from ..model import Artifact
from ..text import (
    LEAD_START_RE, SPACES, bigrams, column_width, column_widths, ends_sentence, find_continuation, han_count,
    han_pairs, is_han, join_wrapped_lines, open_brackets, strip_justification_spaces, text_width, undouble_bold_text,
)
from .patterns import (
    CAPTION_CREDIT_RE, CAPTION_START_RE, COLUMN_TAG_RE, DANGLING, DATELINE_HEAD_RE, DATELINE_OPEN_RE, END_BYLINE_RE, END_MARK_RE, ENUMERATOR_RE, FURNITURE_RE, LABEL_RE,
    NO_HEAD_PUNCT, PHOTO_CREDIT_RE, START_BYLINE_RE, TAG_END_RE, UNDER_BYLINE_RE,
)
from . import head_model
from .columns import page_lines
from .types import Item, ItemKind, Line

# A headline wrapped in a narrow column beside its text: at most this many lines, each at most
# this share of the page's usual line width.
NARROW_HEAD_LINES = 9
NARROW_HEAD_SHARE = 0.7

# A headline ending in its column's tag, wrapped in a narrow column: at most this many lines.
TAGGED_HEAD_LINES = 4

# How much wider than the text's lines a headline line read on top of them is at least (1.5 on
# the page corpus's dev split finds 25.8% of its articles exactly, 1.2 finds 26.7%; 1.1 takes a
# seed page's wide body line for a headline).
WIDE_HEAD = 1.2

# The learned model is fitted on lines without a pause mark (，、) and never weighs a line with
# one in its training; such a line (`稳就业，保民生`) is mostly a paragraph's (of 11,505 dev
# pdftotext candidates, 140 headlines), so it is taken for a headline only where the model is
# this sure. Dev pdftotext, odd | even found / titles: never 900 / 1,064 | 827 / 1,059, at 0.7
# 906 / 1,066 | 828 / 1,057 (with `_paused_text`'s paragraph test for two lines or more only,
# 0.7: 907 / 1,068 | 828 / 1,057, 0.8: 905 / 1,067 | 828 / 1,058).
PAUSE_HEAD_BAR = 0.7
PAUSES = "，、"


def read_lines(text: str) -> tuple[list[Line | None], list[Artifact]]:
    """Repair each line; None stands for a blank line (a column or paragraph break). Returns
    the lines and the text the repairs set aside (furniture, notes, doubled bold text)."""
    artifacts: list[Artifact] = []
    raw = page_lines(text)
    widths = [text_width(line) for line in raw]
    lines: list[Line | None] = []
    pending_from = None   # a （上接…） note alone on its line belongs to the next line
    for number, source in enumerate(raw, start=1):
        # A paragraph's first line is indented by two em: an ideographic space or two spaces.
        # (A single space, as on the seeds' first lines, is the extraction's, not an indent.)
        lead = source[:len(source) - len(source.lstrip(SPACES))]
        indented = "\u3000" in lead or len(lead) >= 2
        source = source.strip(SPACES)
        if not source:
            lines.append(None)
            continue
        if FURNITURE_RE.match(source):
            artifacts.append(Artifact("page-furniture", source, number))
            lines.append(None)
            continue
        source, continues, continued_from, note = find_continuation(source)
        if note:
            artifacts.append(Artifact("continuation-note", note, number))
        end_mark = END_MARK_RE.search(source)
        if end_mark:
            artifacts.append(Artifact("end-mark", end_mark.group(0).strip(SPACES), number))
            source = source[:end_mark.start()].strip(SPACES)
        source, dropped = undouble_bold_text(source)
        artifacts.extend(Artifact(d.kind, d.text, number) for d in dropped)
        glued = _split_glued_headline(source, widths[number:number + 5])
        if glued:
            lines.extend([Line(number, glued[0]), None])
            source = glued[1]
        repaired = strip_justification_spaces(source)
        if repaired:
            lines.append(Line(number, repaired, continues, continued_from or pending_from,
                              indented and not glued))
            pending_from = None
            continue
        lines.append(None)
        pending_from = pending_from or continued_from
        previous = next((line for line in reversed(lines) if line is not None), None)
        if continues and previous is not None:
            previous.continues = continues
    # Where most lines are set in (a margin kept by the extraction), an indent tells nothing.
    texts = [line for line in lines if line is not None]
    if sum(line.indented for line in texts) * 2 > len(texts):
        for line in texts:
            line.indented = False
    return lines, artifacts


def _split_glued_headline(line: str, next_widths: list[float]) -> tuple[str, str] | None:
    """A headline the extraction glued to the first line of a body: `标题 “正文…`."""
    if " " not in line:
        return None
    head, rest = line.split(" ", 1)
    rest = rest.strip(SPACES)
    column = sorted(w for w in next_widths if w)
    if not rest or not column or len(head) > 24 or han_count(head) < 4:
        return None
    # A column's tag closes headlines only: after the space is the headline's second phrase
    # (`扛牢责任 真抓实干（快评）`), however wide. (Also over a blank line: dev, pdftotext
    # titles 2082 -> 2088 but segmentation on even pages 0.66999 -> 0.66939.)
    if COLUMN_TAG_RE.search(rest):
        return None
    if any(c in head for c in NO_HEAD_PUNCT + "（(）)！？") or head.count("“") != head.count("”") \
            or not (is_han(rest[0]) or rest[0] in "“‘《"):
        return None
    width = column[len(column) // 2]
    # The giveaway is length: the line is far wider than its column, and what follows the
    # space is exactly one column line.
    if text_width(line) < 1.35 * width or abs(text_width(rest) - width) > 3:
        return None
    return head, rest


def _chunks(lines: list[Line | None]) -> list[list[Line]]:
    """Runs of lines between blank lines; a byline also starts a run (and an end byline closes
    one), since the extraction does not always set a headline apart from the text under it."""
    chunks: list[list[Line]] = [[]]
    for line in lines:
        if line is None:
            chunks.append([])
            continue
        # A photo caption (`图为…`) read on from the text above is a run of its own.
        if START_BYLINE_RE.match(line.text) or UNDER_BYLINE_RE.match(line.text) \
                or CAPTION_START_RE.match(line.text) or LEAD_START_RE.match(line.text):
            chunks.append([])
        elif line.indented:
            chunks.extend(_headline_over_indent(chunks.pop()))
        chunks[-1].append(line)
        end = END_BYLINE_RE.search(line.text)
        # A caption of one line ends with its sentence; the text read on after it is not its.
        if UNDER_BYLINE_RE.match(line.text) or _photo_credited(chunks[-1]) or \
                (end and (end.start() == 0 or ends_sentence(line.text[:end.start()]))) or \
                (len(chunks[-1]) == 1 and CAPTION_START_RE.match(line.text)
                 and ends_sentence(line.text)):
            chunks.append([])
    chunks = [chunk for chunk in chunks if chunk]
    # A headline line right over a byline, after a finished sentence, is a run of its own.
    for index in range(len(chunks) - 2, -1, -1):
        chunk, following = chunks[index], chunks[index + 1][0].text
        if len(chunk) >= 2 and ends_sentence(chunk[-2].text) \
                and not chunk[-2].text.endswith("—") and _heads_a_byline(chunk[-1:], following):
            chunks[index:index + 1] = [chunk[:-1], chunk[-1:]]
    return chunks


def _photo_credited(lines: list[Line]) -> bool:
    """Whether the lines end in a photo's credit; a caption's also wrapped, an agency's or an
    unnamed photographer's (`图为…草莓。新⏎华社发`, `图为…黄河。本报记者摄`)."""
    if not lines:
        return False
    if not CAPTION_START_RE.match(lines[0].text):
        return bool(PHOTO_CREDIT_RE.search(lines[-1].text))
    tail = "".join(line.text for line in lines[-2:])
    return bool(PHOTO_CREDIT_RE.search(tail) or CAPTION_CREDIT_RE.search(tail))


def _headline_over_indent(chunk: list[Line]) -> list[list[Line]]:
    """Before an indented first line: headline lines set after a finished sentence become a run
    of their own, and the indented line starts another (`…提升。⏎标题⏎　　12月20日，…`)."""
    for size in (1, 2):
        head, rest = chunk[len(chunk) - size:], chunk[:len(chunk) - size]
        if len(chunk) > size and ends_sentence(rest[-1].text) and all(map(_headingish, head)):
            return [rest, head, []]
    return [chunk, []] if chunk else [[]]


def _headingish(line: Line) -> bool:
    """Could this line be (part of) a headline: short, no full stop, not ending mid-clause."""
    text = line.text
    if han_count(text) < 2 or text_width(text) > 40 or any(c in text for c in "。；") \
            or _lead_label(text):
        return False
    # Headlines avoid commas; the first line of a section heading pair may have one.
    if LABEL_RE.match(text):
        return True
    if any(c in ENUMERATOR_RE.sub("", text) for c in "，、") and not text.endswith("—"):
        return False
    return not (text[-1] in "，、：:" or (ends_sentence(text) and not text.endswith("—")))


def _lead_label(text: str) -> bool:
    """A lead's label (`核心阅读`, `编者按：春节临近…`) is the first line of its article's text;
    only alone with a colon (`编者按：`) is it a label over a piece of its own (`LABEL_RE`)."""
    return bool(LEAD_START_RE.match(text)) and not LABEL_RE.match(text)


def _over_subtitle(chunk: list[Line], following: str) -> bool:
    """A short block standing right over a `——` subtitle is its headline, commas and all
    (`闻令而动，同时间赛跑⏎⏎——医用物资保障行业在行动`): text never runs on into a dash line."""
    return following.startswith("—") and len(chunk) <= 3 and not chunk[0].text.startswith("—") \
        and all(han_count(line.text) >= 2 and not any(c in line.text for c in "。；")
                and line.text[-1] not in "，、：:" for line in chunk)


def _heads_a_byline(chunk: list[Line], following: str) -> bool:
    """Headline lines with a comma or ending in ？！ (`稳中求进，以进促稳`, `你准备好了吗？`):
    taken for a headline only right over a byline or a lead's label (`核心阅读`), since a short
    text line looks the same."""
    return bool(START_BYLINE_RE.match(following) or UNDER_BYLINE_RE.match(following)
                or LEAD_START_RE.match(following)) \
        and len(chunk) <= 2 and all(
            han_count(line.text) >= 2 and text_width(line.text) <= 30
            and not any(c in line.text for c in "。；：:") and line.text.count("，") <= 2
            and line.text[-1] not in "，、" for line in chunk)


def _is_section_pair(first: Line, second: Line) -> bool:
    """`“每月一题”，缘何而来——` over `专啃基层难点“硬骨头”`; not a run-in lead over its text."""
    return (first.text.endswith("—") and _headingish(first) and _headingish(second)
            and not any(c in second.text for c in NO_HEAD_PUNCT)
            and second.text[-1] not in DANGLING + "—")


def read_items(lines: list[Line | None], learned: bool = True,
               candidates: list[tuple[list[Line], dict[str, float]]] | None = None) -> list[Item]:
    """Classify the page's runs of lines; a headline can only start where a sentence ended.
    Where the rules take no headline from a block, the learned model (`head_model`) may take
    its first lines (`learned`); `candidates`, when given, collects each such possible
    headline with its signs (for fitting the model)."""
    model = head_model.shipped_model() if learned else None
    all_lines = [line for line in lines if line is not None]
    column = dict(zip((id(l) for l in all_lines),
                      column_widths([text_width(l.text) for l in all_lines])))
    page_pairs = Counter(han_pairs("".join(line.text for line in all_lines)))
    widths = sorted(text_width(line.text) for line in all_lines)
    page_column = widths[len(widths) // 2] if widths else 0.0
    chunks = _chunks(lines)
    items: list[Item] = []
    for index, chunk in enumerate(chunks):
        under = chunks[index + 1] if index + 1 < len(chunks) else []
        following = under[0].text if under else ""
        taken = len(items)
        # After text cut mid-sentence the next block is that sentence's next column, whatever
        # it looks like; after a finished sentence it may be a headline.
        opens = not items or items[-1].kind != ItemKind.TEXT \
            or ends_sentence(items[-1].lines[-1].text) \
            or bool(END_BYLINE_RE.search(items[-1].lines[-1].text))
        first = chunk[0].text
        block = _headline_block(chunk, under)
        over_subtitle = _over_subtitle(chunk, following)
        # The text before reads on into this block: its sentence's next line, not a headline.
        reads_on = bool(items) and items[-1].kind == ItemKind.TEXT \
            and _runs_on(items[-1].lines[-1], first, page_pairs, column)
        if len(chunk) <= 3 and (CAPTION_START_RE.match(first)
                                or _photo_credited(chunk)):
            items.append(Item(ItemKind.CAPTION, chunk))
            continue
        if len(chunk) == 1 and UNDER_BYLINE_RE.match(first):
            items.append(Item(ItemKind.BYLINE_UNDER, chunk))
            continue
        end_byline = END_BYLINE_RE.search(first)
        if len(chunk) == 1 and end_byline and end_byline.start() == 0:
            items.append(Item(ItemKind.BYLINE_END, chunk))
            continue
        if _narrow_headline(chunk, page_column) and not reads_on:
            items.append(Item(ItemKind.HEAD, [one_line(chunk)]))
            continue
        tagged = 0 if reads_on else _tagged_head(chunk)
        if tagged:
            start = _wrap_start(chunk[:tagged], "".join(
                line.text for part in [chunk[tagged:], *chunks[index + 1:index + 4]]
                for line in part)[:head_model.NEAR_CHARS])
            if start:
                items.append(Item(ItemKind.HEAD, chunk[:start]))
            items.append(Item(ItemKind.HEAD, [one_line(chunk[start:tagged])]))
            chunk = chunk[tagged:]
            if not chunk:
                continue
        # The pair stands apart: text under it in the same run starts a paragraph.
        if len(chunk) >= 2 and _is_section_pair(chunk[0], chunk[1]) \
                and not (len(chunk) == 2 and _runs_on(chunk[1], following, page_pairs, column)) \
                and (len(chunk) == 2 or chunk[2].indented):
            items.append(Item(ItemKind.SECTION, chunk[:2]))
            chunk = chunk[2:]
        elif opens or _set_beside(chunk, following, column) \
                or (under and _large_type_after_cut(chunk, block, items, page_pairs, column)) \
                or (_wide_head(chunk) and not reads_on) or over_subtitle:
            head = _leading_head(chunk)
            if not head and (block or over_subtitle):
                head = len(chunk)
            if not head:
                head = _wide_head(chunk)
            # An over-line ending in `——` always has its title under it, even where the text
            # follows that title with no blank line and its indent is lost.
            if not head and items and items[-1].kind == ItemKind.HEAD \
                    and items[-1].lines[-1].text.endswith("—") and len(chunk) > 1 \
                    and _headingish(chunk[0]) and not START_BYLINE_RE.match(chunk[0].text):
                head = 1
            if head == len(chunk) and _runs_on(chunk[-1], following, page_pairs, column):
                head = 0
            if not head and opens and _heads_a_byline(chunk, following):
                head = len(chunk)
            if head:
                head = max(head, _over_dateline(chunk, page_pairs))
                items.append(Item(ItemKind.HEAD, chunk[:head]))
                chunk = chunk[head:]
        if chunk and len(items) == taken and (model or candidates is not None) \
                and not _restates_headline(chunk, items):
            head = _learned_head(chunk, chunks[index + 1:index + 3], items, column, opens,
                                 reads_on, block, model, candidates)
            if head:
                head += _wrapped_tail(chunk[head:])
                items.append(Item(ItemKind.HEAD, chunk[:head], learned=True))
                chunk = chunk[head:]
        if chunk:
            items.append(Item(ItemKind.TEXT, chunk))
    _mark_wide_kickers(items, column)
    return _datelines_out_of_heads(items)


def _datelines_out_of_heads(items: list[Item]) -> list[Item]:
    """Headline blocks without the head of a wrapped dateline that a column split or a missing
    blank line put at their end (`辽宁：免费开放教育资源⏎本报沈阳2月6日`): it opens the text
    under them, where `bodies` reads it whole with its tail."""
    out: list[Item] = []
    carried: list[Line] = []
    for index, item in enumerate(items):
        if carried:
            item, carried = Item(item.kind, carried + item.lines), []
        following = items[index + 1] if index + 1 < len(items) else None
        if item.kind == ItemKind.HEAD and DATELINE_HEAD_RE.match(item.lines[-1].text) \
                and following is not None and following.kind == ItemKind.TEXT:
            carried = item.lines[-1:]
            item = Item(ItemKind.HEAD, item.lines[:-1], item.over_line, item.learned)
        if item.lines:
            out.append(item)
    return out


def _learned_head(chunk: list[Line], next_chunks: list[list[Line]], items: list[Item],
                  column: dict[int, float], opens: bool, reads_on: bool, block: bool,
                  model, candidates: list | None) -> int:
    """How many first lines of a block the rules left as text the model takes for a headline
    (0: none): the likeliest of 1 to `head_model.MAX_LINES`, if likely enough. (Headlines
    inside such a block, after a line ending a sentence, were tried too: on the dev split they
    cost more stories than they found.)"""
    before = "".join(line.text for item in items[-3:] for line in item.lines)
    following = "".join(line.text for part in next_chunks for line in part)
    wide, leading = _wide_head(chunk), _leading_head(chunk)
    best, best_p = 0, 0.0
    for count in range(1, min(head_model.MAX_LINES, len(chunk)) + 1):
        head = chunk[:count]
        # What is certain stays with the rules: no full stop, no credit, no long line.
        if not _could_head(head[-1]):
            break
        # A headline ending in a pause mark goes on in its next line (`稳就业，⏎保民生`).
        if head[-1].text[-1] in PAUSES:
            continue
        paused = _has_pause(head)
        if paused and _paused_text(head, chunk[count:], column):
            continue
        rules = {"headingish": all(map(_headingish, head)), "block": block,
                 "reads_on": reads_on, "wide": wide >= count, "leading": leading == count}
        signs = head_model.head_signs([line.text for line in head],
                                      [line.text for line in chunk[count:]],
                                      column[id(head[0])], before, following, opens, rules)
        # The model's training stays what it was: lines without a pause mark only.
        if candidates is not None and not paused:
            candidates.append((head, signs))
        if model is not None:
            p = model.probability(signs)
            if p > max(best_p, PAUSE_HEAD_BAR if paused else model.threshold):
                best, best_p = count, p
    return best


def _wrapped_tail(rest: list[Line]) -> int:
    """1 when all that is left of a block under the headline lines the model took is one line
    of one or two Han characters: the headline's last characters, wrapped in its narrow column
    (`满江红·武汉战⏎疫`); 0 otherwise. Too short for the model to weigh, and never text alone."""
    return int(len(rest) == 1 and 1 <= han_count(rest[0].text) == len(rest[0].text) <= 2)


def _restates_headline(chunk: list[Line], items: list[Item]) -> bool:
    """A block right under a headline whose first line is that headline's start: text that
    opens by restating its headline (`长江流域首艘千吨⏎级纯电动货船` over `长江流域首艘千⏎吨级纯
    电动货船“中天电运001”…`), not a second headline."""
    return bool(items) and items[-1].kind == ItemKind.HEAD and han_count(chunk[0].text) >= 2 \
        and "".join(line.text for line in items[-1].lines).startswith(chunk[0].text)


def _has_pause(lines: list[Line]) -> bool:
    return any(c in line.text for line in lines for c in PAUSES)


def _paused_text(head: list[Line], under: list[Line], column: dict[int, float]) -> bool:
    """Lines holding a pause mark that are text whatever the model says: a line with a space
    (two columns' lines read as one), a pause inside brackets (a remark in a sentence:
    `（174人，按姓名笔划为序）`), lines about as wide as their column or wider, two or more or
    with lines of their block `under` them (a paragraph's, justified or ragged as on the seeds;
    a page of 3,000 such paragraphs took them all for headlines), and lines over a last line
    shorter than half a column that ends a sentence (a paragraph's tail: `…、朱向峰参⏎加。`).
    (Dev pdftotext, odd | even found / titles without the first three: 903 / 1,062 | 827 /
    1,058; without the two after the first: 906 / 1,065 | 827 / 1,055; with them: 906 / 1,066
    | 828 / 1,057.)"""
    return any(" " in line.text for line in head) \
        or any(c in PAUSES and open_brackets(line.text[:at]) > 0
               for line in head for at, c in enumerate(line.text)) \
        or ((len(head) >= 2 or bool(under))
            and all(text_width(line.text) >= column[id(line)] - 2 for line in head)) \
        or (len(under) == 1 and ends_sentence(under[0].text)
            and text_width(under[0].text) < column[id(under[0])] / 2)


def _could_head(line: Line) -> bool:
    """A line the model may weigh as a headline's: two Han characters or more, no sentence
    mark, no credit, no wider than a headline line. A pause mark (，、) only raises the bar
    (`PAUSE_HEAD_BAR`). Questions and over-lines ending in a dash are the rules' to find: in
    text they look like a paragraph's lines and section headings too often."""
    text = line.text
    return han_count(text) >= 2 and text_width(text) <= 40 and not _lead_label(text) \
        and not any(c in text for c in "。；？?！!") and text[-1] not in DANGLING + "—" \
        and not (START_BYLINE_RE.match(text) or UNDER_BYLINE_RE.match(text)
                 or END_BYLINE_RE.search(text))


def _mark_wide_kickers(items: list[Item], column: dict[int, float]) -> None:
    """A block of one or two lines wider than the page's text columns, ending no sentence,
    standing between finished text and a headline, is that headline's over-line, commas and
    all (`湖南汨罗升级再生资源行业，整治环⏎境污染` over `“破烂王”变干净了`): a block of one
    line known to lead into that headline, so that no story before takes it for its own. So
    is such a block with a pause mark the learned model took for a headline of its own; not
    one without (a title of its own: dev pdftotext, odd | even found / titles, learned blocks
    without pause marks read so too: 900 / 1,064 | 827 / 1,059 -> 899 / 1,065 | 826 / 1,060)."""
    for index in range(len(items) - 1):
        lines, before = items[index].lines, items[index - 1] if index else None
        if (items[index].kind == ItemKind.TEXT or (items[index].learned and _has_pause(lines))) \
                and items[index + 1].kind == ItemKind.HEAD \
                and len(lines) <= 2 and not ends_sentence(lines[-1].text) \
                and not any(c in line.text for line in lines for c in "。；") \
                and text_width(lines[0].text) >= WIDE_HEAD * column[id(lines[0])] \
                and (before is None or before.kind != ItemKind.TEXT
                     or ends_sentence(before.lines[-1].text)):
            items[index] = Item(ItemKind.HEAD, [one_line(lines)], over_line=True,
                                learned=items[index].learned)


def one_line(lines: list[Line]) -> Line:
    """A headline part wrapped over several lines, as the one line it was meant to be."""
    return Line(lines[0].number, join_wrapped_lines([line.text for line in lines]))


def _runs_on(line: Line, following: str, page_pairs: Counter, column: dict[int, float]) -> bool:
    """Whether a line reads on into the next block (a sentence cut by a column break): it ends
    on a word that cannot end a headline, or it fills its column and the two characters across
    the break form a word that occurs elsewhere on the page (`典型⏎⏎案例`)."""
    last = line.text
    if not following or not is_han(last[-1]) or not is_han(following[0]) \
            or START_BYLINE_RE.match(following):
        return False
    if last[-1] in DANGLING:
        return True
    return text_width(last) >= column[id(line)] - 3 and page_pairs[last[-1] + following[0]] >= 2


def _set_beside(chunk: list[Line], following: str, column: dict[int, float]) -> bool:
    """A headline set beside the text, read in between two of its columns: a short block of
    headline lines that do not fit the column, with text going on after it. Text cut by a
    column break never looks like that: its short lines are last lines, ending a sentence."""
    return bool(following) and len(chunk) <= 3 and all(
        _headingish(line) and abs(text_width(line.text) - column[id(line)]) >= 2
        for line in chunk)


def _large_type_after_cut(chunk: list[Line], block: bool, items: list[Item],
                          page_pairs: Counter, column: dict[int, float]) -> bool:
    """After text cut mid-sentence, a block of two or more lines in larger type, or of headline
    lines over a `——` subtitle, that does not read on from that text is still a headline: the
    extraction read another frame in between (`…近日，美国⏎⏎株洲：生活必需品量⏎足价稳⏎⏎一大早，…`).
    `block`: whether `_headline_block` found the chunk in larger type over the text under it;
    called only where some text follows."""
    if len(chunk) < 2 or not items or items[-1].kind != ItemKind.TEXT:
        return False
    # A block of headline lines ending in a `——` subtitle is as plain a headline.
    subtitled = chunk[-1].text.startswith("—") and _leading_head(chunk) == len(chunk)
    return (subtitled or block) and not _runs_on(
        items[-1].lines[-1], chunk[0].text, page_pairs, column)


def _narrow_headline(chunk: list[Line], page_column: float) -> bool:
    """A headline set in a narrow column beside its text and read as a block of its own, a few
    characters a line (`侦查破案 冲⏎锋在前（为⏎了民族复兴⏎·英雄烈士⏎谱）`): three lines or more
    with no sentence end, at most one comma, brackets closed, nothing left hanging. Text of a
    narrow column runs into a comma or a full stop within a few lines."""
    texts = [line.text for line in chunk]
    joined = "".join(texts)
    # A `——` line makes a kicker, title and subtitle: a headline of several parts, not one.
    if not 3 <= len(chunk) <= NARROW_HEAD_LINES or any(han_count(text) < 1 for text in texts) \
            or any(text.startswith("—") or text.endswith("—") for text in texts) \
            or max(text_width(text) for text in texts) > NARROW_HEAD_SHARE * page_column \
            or any(c in joined for c in "。；！？!?：:") or sum(joined.count(c) for c in "，、") > 1 \
            or START_BYLINE_RE.match(joined) or END_BYLINE_RE.search(joined):
        return False
    return open_brackets(joined) == 0 and joined.count("“") == joined.count("”") \
        and joined[-1] not in "，、" + DANGLING


def _tagged_head(chunk: list[Line]) -> int:
    """How many leading lines of a block are a headline ending in its column's tag
    (`运动，融入孩子生活（体育大看台）`, `知识产权保护不是⏎“独角戏”⏎（快评）`), commas and all: the
    tag is set after headlines only. 0: none."""
    for count in range(1, min(TAGGED_HEAD_LINES, len(chunk)) + 1):
        joined = "".join(line.text for line in chunk[:count])
        if any(c in joined for c in "。；") or han_count(joined) > 40 \
                or START_BYLINE_RE.match(joined) or END_BYLINE_RE.search(joined):
            return 0
        # A bracket inside the words is text's (`建立党委（党组）会集中议、党委（党组）`).
        if COLUMN_TAG_RE.search(joined) and joined.count("（") + joined.count("(") == 1:
            return count
    return 0


def _wrap_start(lines: list[Line], under: str) -> int:
    """Where the one headline wrapped over the last of these lines starts: after the last line
    narrower than the line under it whose words the text under the headline (`under`) does not
    use. A wrapped line fills the headline's width, so a narrower line over a wider one is a
    block of its own read on with no blank line: a banner over a stack of items or another
    item's headline (`社区新风貌` over `垃圾分类 人人参与⏎（快评）`), unless it is the first
    half of a title set in two (`扛牢责任⏎垃圾分类见实效（快评）`), whose words the text
    repeats. A column tag wrapped to a line of its own (`美国⏎（国际视点）`) or inside its
    brackets (`见实效(民⏎生视线)`) is the headline's."""
    # Widths without a column tag or its head: a tag makes its line wider than a line of the
    # words alone (`扛牢责任⏎真抓实干（快评）`, `社区新风⏎垃圾分类(民⏎生视线)`).
    widths = [text_width(TAG_END_RE.sub("", line.text)) for line in lines]
    return max((k + 1 for k in range(len(lines) - 1) if widths[k] < widths[k + 1]
                and open_brackets("".join(line.text for line in lines[:k + 1])) == 0
                and not bigrams("".join(line.text for line in lines[:k + 1])) & bigrams(under)),
               default=0)


def _headline_block(chunk: list[Line], under: list[Line]) -> bool:
    """A block between blank lines over a column of text, set in larger type: its lines hold
    fewer characters than the text's (a headline wrapped in a narrow column breaks where it
    fills it, `努力提高农⏎民工就业质⏎量（多棱镜）`), or it is one line shorter than the text's,
    and it ends no sentence. Commas are no evidence against it here: the type size is the
    evidence (`运动，融入孩子生活`)."""
    if len(chunk) > 6 or len(under) < 3 or START_BYLINE_RE.match(chunk[0].text):
        return False
    texts = [line.text for line in chunk]
    # A wrapped headline's last line may hold one character: `镜）`.
    if any(han_count(text) < (1 if n == len(texts) - 1 else 2) or any(c in text for c in "。；")
           for n, text in enumerate(texts)) \
            or texts[-1][-1] in "，、：:" or texts[-1][-1] in DANGLING \
            or (ends_sentence(texts[-1]) and not texts[-1].endswith(("？", "！", "?", "!"))):
        return False
    # A question with a clause before it is a paragraph of the text (`如何进一步用好…，让其…？`).
    if texts[-1].endswith(("？", "?")) and any("，" in text for text in texts):
        return False
    widths = [text_width(text) for text in texts]
    column = column_width([text_width(line.text) for line in under])
    if len(chunk) == 1:
        return widths[0] <= column - 2 and texts[0].count("，") <= 2
    # Wrapped lines fill the block's width, and larger type puts fewer characters in it.
    return max(widths) <= column - 1 and all(abs(w - max(widths)) <= 1 for w in widths[:-1])


def _wide_head(chunk: list[Line]) -> int:
    """How many leading lines of a chunk are a headline set across the columns of the text
    under it, read with no blank line between (`贵阳 探索新时代…之路⏎坚持高标准要求、加快…
    ⏎建设内陆开放型经⏎…`): each a fifth again as wide as the text's lines (justified lines of
    one column differ by less), ending no sentence, with at most one space (a line read across
    columns has more)."""
    for count in range(1, min(3, len(chunk) - 3) + 1):
        column = column_width([text_width(line.text) for line in chunk[count:]])
        head = chunk[:count]
        if any(text_width(line.text) < WIDE_HEAD * column or any(c in line.text for c in "。；")
               or line.text.count(" ") > 1 or START_BYLINE_RE.match(line.text) for line in head):
            return count - 1
        if text_width(chunk[count].text) < WIDE_HEAD * column:
            # A tail that closes the headline's bracket wrapped under it: `…红包吗？（说⏎道）`.
            tail = chunk[count].text
            if open_brackets("".join(line.text for line in head)) > 0 \
                    and tail.endswith(("）", ")")) and not any(c in tail for c in "（(") \
                    and han_count(tail) <= 4:
                return count + 1
            return count
    return 0


def _over_dateline(chunk: list[Line], page_pairs: Counter) -> int:
    """How many leading lines of a chunk, all headline-like, stand right over a line opening a
    dateline, wrapped or read on with another column's text (`城东推进垃圾分类见⏎实效⏎本报
    西宁3月2日⏎电（记者…）…`): 0 where none do. A headline taken from the chunk's first lines
    runs down to there: its last line, wrapped, looks like text alone. Each line under the
    first goes on with the one over it: the word across the break is found on the page, or the
    two are as wide as each other (a title in two halves); a line narrower than the one over
    it and naming no word across the break, or a wider one, is another part of the headline (a
    subtitle under its kicker), which the rules took apart already. (Dev, pdftotext found
    exactly / titles: 1669 / 2066 -> 1671 / 2073; with no test of widths and words, raw titles
    3024 -> 3022, a kicker joined with its subtitle; stopping any headline at such a line,
    not only extending one the rules took, pdftotext 1675 / 2077 but three raw pages then
    read as headlines in place, not listed: raw titles 3011.)"""
    for count in range(1, min(3, len(chunk) - 1) + 1):
        line = chunk[count - 1]
        if not _headingish(line):
            return 0
        if count > 1:
            over = chunk[count - 2].text
            width, over_width = text_width(line.text), text_width(over)
            if width > over_width or (width < over_width
                                      and page_pairs[over[-1] + line.text[0]] < 2):
                return 0
        if DATELINE_OPEN_RE.match(chunk[count].text):
            return count
    return 0


def _leading_head(chunk: list[Line]) -> int:
    """How many leading lines of a chunk form a headline (0: none): the whole chunk when it is
    short and all headline-like, or the lines down to a `——` subtitle or an indented first
    line of text."""
    if START_BYLINE_RE.match(chunk[0].text):
        return 0
    for count, line in enumerate(chunk[:4], start=1):
        if line.indented and count > 1:
            return count - 1
        if not _headingish(line):
            return 0
        if line.text.startswith("—") and count > 1:
            return count
    return len(chunk) if len(chunk) <= 3 else 0
