"""Giving each body its headline by evidence, and joining headline-less frames to articles."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from ..text import (
    LEAD_START_RE, SPACES, bigrams, ends_sentence, han_count, han_pairs, is_han, open_brackets,
    rarity_weights, text_width,
)
from .patterns import BOX_LABEL_RE, LABEL_RE, MAX_HEAD_UNITS, NEAR, SPEECH_VERB_RE, TAG_END_RE
from .recover import grouped_sections, headline_from_heading, share, split_shared_body
from .types import Body, Draft, HeadUnit

# A frame without headline or byline joins the nearby article sharing most of its words, unless
# the page has several articles, it shares fewer than this with every one and it holds a clause
# or more (on the page corpus's dev split the threshold is flat from 0.2 to 0.6). Even a short
# frame joined to a story not its own spoils that story: dev, pdftotext, found exactly with
# ORPHAN_MIN_HAN at 80 / 40 / 20 / 10 / 0: 512 / 520 / 524 / 528 / 528; raw and pdfminer gain
# a little too. Under ORPHAN_OPEN_HAN, a frame after one ending mid-sentence is a story's rest
# (`…进入全面⏎⏎<headline>⏎⏎攻坚阶段，…`; 524 with that rule: joining longer ones too, or
# joining them to the frame before rather than by words, loses: 508). With one headline on
# the page every frame is that story's: the seeds' long feature has frames sharing only 7% of
# their words with its lead.
ORPHAN_SHARE = 0.3
ORPHAN_MIN_HAN = 10
ORPHAN_OPEN_HAN = 80
# ... unless it plainly prefers an article at most ORPHAN_REACH frames away whose headline, if
# it has one, stands before the frame: it shares ORPHAN_MARGIN more of its words with it than
# with any other. Once only an article with a headline was joined so, at a margin of 0.12
# (then dev, pdftotext, found exactly at 0.08 / 0.1 / 0.12 / never: 513 / 512 / 512 / 505);
# a story whose headline the extraction lost is as often the frame's own. Dev, pdftotext,
# found exactly / segmentation / titles with that rule: 542 / 0.6961 / 645; with headless
# articles too at a margin of 0.06 / 0.07 / 0.08: 542 / 0.6963 / 651, 543 / 0.6984 / 650,
# 543 / 0.6981 / 649 (raw and pdfminer: 670 / 0.8427 / 899 -> 669 / 0.8429 / 899, 219 / 0.488
# / 268 -> 218 / 0.489 / 269 at 0.07); also joining a frame to an article whose headline
# stands after it: 541 / 0.6986 / 652.
ORPHAN_MARGIN = 0.07
ORPHAN_REACH = 3
# ... or repeats at least HEADLINE_NAMED of the words of a nearby article's headline, and
# HEADLINE_MARGIN more than of any other's: a story's frame the extraction set apart from its
# headline names it, whatever else the frames share (as a long frame read before its headline,
# the headline given to a short frame after it). Dev, pdftotext, found exactly / segmentation /
# titles without: 543 / 0.6984 / 650; at 0.5 / 0.4: 543 / 0.6986 / 655, 0.6 / 0.4: 543 /
# 0.6987 / 653, 0.6 / 0.3: 543 / 0.6986 / 654, 0.8 / 0.5: 543 / 0.698 / 651 (raw 669 / 0.8427
# / 899 -> 669 / 0.8429 / 899, pdfminer 218 / 0.4884 / 269 -> 219 / 0.4883 / 270 at 0.5 / 0.4).
HEADLINE_NAMED = 0.5
HEADLINE_MARGIN = 0.4


def _placement(unit: HeadUnit, body: Body) -> float:
    """Headlines usually stand right before their body, often right after it, rarely further.
    (Half what it was before the words were weighed by rarity: dev, pdftotext titles at a
    quarter / half / the whole of it: 43.4% / 43.5% / 42.4%, none 39.6%.)"""
    if unit.position == body.position:
        return 0.15
    if unit.position == body.position + 1:
        return 0.1
    return -0.15 * min(abs(unit.position - body.position), abs(unit.position - body.position - 1))


class Evidence:
    """How well a run of headline blocks heads each body: the share of each block's words its
    text repeats, half counted plainly, half weighed by how few of the page's bodies use each
    word (a word all stories use, 疫情 or 发展, names none of them), and where it stands."""

    def __init__(self, bodies: list[Body]):
        self.bodies = bodies
        self.pairs = [bigrams(body.text()) for body in bodies]
        self.weight = rarity_weights(self.pairs)

    def words(self, unit: HeadUnit, b: int) -> float:
        """The share of the block's words body b repeats (0 to 1)."""
        own = bigrams(unit.words())
        if not own:
            return 0.0
        found = own & self.pairs[b]
        total = sum(self.weight.get(pair, 0.0) for pair in own)
        weighed = sum(self.weight[pair] for pair in found) / total if total else 0.0
        return 0.5 * len(found) / len(own) + 0.5 * weighed

    def gain(self, run: list[HeadUnit], b: int) -> float:
        # Each line of the block must earn its place: weak evidence costs.
        return 1.05 + sum(self.words(unit, b) - 0.25 for unit in run) \
            + _placement(run[0], self.bodies[b])


def _assign(units: list[HeadUnit], bodies: list[Body]) -> dict[int, list[HeadUnit]]:
    """Assignment of runs of headline units to bodies that maximises the evidence: the best
    monotone one (`_assign_in_order`), or, where headlines and bodies were read in different
    orders (stories set side by side), the same runs matched to bodies by evidence alone when
    that holds more of it."""
    evidence = Evidence(bodies)
    in_order = _assign_in_order(units, evidence)
    runs = list(in_order.values())
    # Best first: the strongest pair of a run and a body is surely right, and takes both.
    ranked = sorted(((evidence.gain(run, b), r, b) for r, run in enumerate(runs)
                     for b in range(len(bodies))), key=lambda c: (-c[0], c[1], c[2]))
    matched: dict[int, list[HeadUnit]] = {}
    taken: set[int] = set()
    for gain, r, b in ranked:
        if gain > 0 and r not in taken and b not in matched:
            matched[b] = runs[r]
            taken.add(r)
    if sum(evidence.gain(run, b) for b, run in matched.items()) \
            > sum(evidence.gain(run, b) for b, run in in_order.items()):
        return matched
    return in_order


def _assign_in_order(units: list[HeadUnit], evidence: Evidence) -> dict[int, list[HeadUnit]]:
    """Monotone assignment of runs of headline units to bodies that maximises the evidence.

    Dynamic programming over the units; a state is the last body given a headline. Only bodies
    within a few places of a unit are candidates, so long pages stay linear.
    """
    bodies = evidence.bodies
    positions = [body.position for body in bodies]
    layers: list[dict[int, tuple[float, tuple | None]]] = [{} for _ in range(len(units) + 1)]
    layers[0][-1] = (0.0, None)
    for u, unit in enumerate(units):
        low = bisect.bisect_left(positions, unit.position - NEAR)
        high = bisect.bisect_right(positions, unit.position + NEAR)
        layer = _prune(layers[u], low)
        for last, (score, node) in layer.items():
            # Skipping a headline costs more than leaving a body without one (a photo or box
            # can lose its headline to the extraction; a headline always has an article).
            _offer(layers[u + 1], last, score - 0.6, node)
            for end in range(u, min(len(units), u + MAX_HEAD_UNITS)):
                if units[end].group != unit.group:
                    break
                run = units[u:end + 1]
                # A box label heads the box with the title under it, never the story before;
                # a kicker ending in `——` leads into the title under it.
                if _label_over(units, end) or _leads_into(units, end):
                    continue
                for b in range(max(low, last + 1), high):
                    _offer(layers[end + 1], b, score + evidence.gain(run, b),
                           (node, (u, end + 1, b)))
    assignment: dict[int, list[HeadUnit]] = {}
    node = max(layers[-1].values(), key=lambda state: state[0])[1]
    while node is not None:
        node, (start, end, b) = node
        assignment[b] = units[start:end]
    return assignment


def _label_over(units: list[HeadUnit], end: int) -> bool:
    """Whether units[end] is a box label with another block of its group under it."""
    return end + 1 < len(units) and units[end + 1].group == units[end].group \
        and bool(BOX_LABEL_RE.match(units[end].words()))


def _leads_into(units: list[HeadUnit], end: int) -> bool:
    """Whether units[end] is an over-line (ending in a dash, `…精准施策——`, or known as one) or
    has a `——` subtitle right under it, in its group: either way the block under it is the same
    headline's."""
    return end + 1 < len(units) and units[end + 1].group == units[end].group \
        and (units[end].over_line or units[end].lines[-1].text.endswith("—")
             or units[end + 1].lines[0].text.startswith("—"))


def _offer(layer: dict, last: int, score: float, node) -> None:
    """Keep the better of two ways to reach the same state."""
    if last not in layer or score > layer[last][0]:
        layer[last] = (score, node)


def _prune(layer: dict, low: int) -> dict:
    """States whose last body lies before every candidate collapse into the best of them."""
    near = {last: state for last, state in layer.items() if last >= low - 1}
    far = [(last, state) for last, state in layer.items() if last < low - 1]
    if far:
        last, state = max(far, key=lambda item: item[1][0])
        _offer(near, last, *state)
    return near


def headline_parts(run: list[HeadUnit], text: str = "", column: float = 0.0
                   ) -> tuple[str, str | None, str | None]:
    """(title, kicker, subtitle) from a headline's lines in page order; text is the article's,
    where a title broken over two lines is read whole (`…工业互联网⏎标识解析…`), and column
    the width of its text's column (0.0: not known)."""
    # Two blocks, the first at most half as long as the second: the first is a kicker or a
    # column label set in a block of its own over the title (`福建厦门` over `政府靠前服务企业有序
    # 复产`), though its words are the text's and it is short (dev titles: pdftotext 637 -> 643,
    # raw 849 and pdfminer 268 unchanged; kickers: pdftotext 982 -> 983, raw 933 -> 924 and
    # pdfminer 861 -> 845, on titles already wrong: fragments of a title or its text set apart).
    # Any shorter first block: pdftotext titles 647, but raw kickers 914, pdfminer 828, and a
    # title broken after its first words (`境外游客点赞` / `我市冬日暖阳人文底蕴`) is cut. Only a
    # whole headline of two blocks: under an over-line, two blocks are as often the title in two
    # pieces (any number of blocks, under over-lines too: pdftotext kickers 971).
    if len(run) == 2 and _short_block_over(run):
        title, kicker, subtitle = _headline_parts(run[1:], text, column)
        label = _kicker_text(run[0].words())
        return title, f"{label} {kicker}" if kicker else label, subtitle
    return _headline_parts(run, text, column)


def _headline_parts(run: list[HeadUnit], text: str = "", column: float = 0.0
                    ) -> tuple[str, str | None, str | None]:
    """The same, read line by line: over-lines, then the kicker, title and subtitle lines."""
    # A block ending in the verb the title quotes (`…推进会⏎上强调`) is a kicker whole, however
    # it wrapped (a wrapped kicker over a dateline is read whole since `lines._over_dateline`).
    if len(run) > 1 and (run[0].over_line or SPEECH_VERB_RE.search(run[0].words())):
        title, kicker, subtitle = _headline_parts(run[1:], text, column)
        over_line = _kicker_text("".join(line.text for line in run[0].lines))
        return title, f"{over_line} {kicker}" if kicker else over_line, subtitle
    lines = [line.text for unit in run for line in unit.lines]
    in_subtitle = [flag for unit in run
                   for flag in _subtitle_lines([line.text for line in unit.lines])]
    subtitle_lines = [line.lstrip("—").strip(SPACES) for line, sub in zip(lines, in_subtitle) if sub]
    lines = [line for line, sub in zip(lines, in_subtitle) if not sub]
    subtitle = "".join(subtitle_lines) or None
    kicker = None
    # A long first line is a kicker, and so is the first of two lines over a subtitle (引题,
    # 主题, 副题), unless the word across the line break is in the text: one title in two lines.
    join = lines[0][-1:] + lines[1][:1] if len(lines) >= 2 else ""
    # One title wrapped: the word across the break is in the text, or the break falls inside
    # brackets or before a series tag (`中非经贸合作潜力巨⏎大(国际视点)`).
    wrapped = len(lines) >= 2 and ((han_count(join) == 2 and join in text)
                                   or bool(re.match(r"^[^（(]{0,2}[（(]", lines[1]))
                                   or lines[1][:1] in "）)》”’" or lines[0][-1:] in "（(《“‘·"
                                   # a short tail under a full line: `株洲：生活必需品量⏎足价稳`
                                   or (len(lines) == 2
                                       and text_width(lines[1]) <= 0.5 * text_width(lines[0]))
                                   or _wrapped_in_column(lines, text, column, subtitle)
                                   or _leaves_open(lines[0]) or _parallel_halves(lines, subtitle))
    kicker_like = len(lines) >= 2 and (han_count(lines[0]) >= 8 or bool(subtitle)
                                       or " " in lines[0] or _label_without_words(lines, text))
    if len(lines) >= 2 and (LABEL_RE.match(lines[0]) or BOX_LABEL_RE.match(lines[0])
                            or SPEECH_VERB_RE.search(lines[0]) or lines[0].endswith("—")
                            or (kicker_like and not wrapped)):
        kicker = _kicker_text(lines[0])
        lines = lines[1:]
    title = "".join(lines).rstrip("：:") if len(lines) == 1 else "".join(lines)
    return title, kicker, subtitle


def _leaves_open(line: str) -> bool:
    """A line that opens a bracket and leaves it open: the title goes on in the next line
    (`…走在前（在实干⏎中看变化 见新风貌）`); a kicker is whole on its own line. (Not an open
    quotation mark: counted too, a line of text quoting someone was glued onto a title, dev
    pdftotext titles one fewer.)"""
    return open_brackets(line) > 0 or line.count("《") > line.count("》")


def _parallel_halves(lines: list[str], subtitle: str | None) -> bool:
    """Two lines of as many Han characters over a subtitle, neither with a pause mark: one
    title in two parallel phrases wrapped at the space between them (`扛牢责任⏎真抓实干`). In
    the dev truth, 540 of the 734 titles of two spaced phrases have halves of one length, and
    36 of the 742 kickers are as long as their titles; without a subtitle asked for, such
    kickers were read into their titles (dev pdftotext titles 1,063 / 1,053 -> 1,062 / 1,049,
    odd / even)."""
    return len(lines) == 2 and bool(subtitle) \
        and han_count(lines[0]) == han_count(TAG_END_RE.sub("", lines[1])) >= 3 \
        and not any(c in line for line in lines for c in "，、：:；— ")


def _subtitle_lines(lines: list[str]) -> list[bool]:
    """Which of a block's lines are its subtitle: its first `——` line and every line after it,
    the subtitle wrapped (`——海外华侨华人倾情支援祖（籍）国抗击⏎疫情`), not a tail of the title.
    (Dev subtitles: pdftotext 1150 -> 1156, raw 1217 -> 1219, pdfminer 1069 -> 1072; titles:
    pdftotext 643 -> 645. Across blocks, raw titles 849 -> 841: the blocks of a raw headline
    may come subtitle first; only a narrower line after it, pdftotext subtitles 1153.)"""
    start = next((k for k, line in enumerate(lines) if line.startswith("—")), len(lines))
    return [k >= start for k in range(len(lines))]


def _short_block_over(run: list[HeadUnit]) -> bool:
    """A first block with at most half the Han characters of the second's without its series
    tag: one title in two parallel halves is two blocks as long as each other (`保持距离` /
    `保护美（说道）`). A first block with a `——` line is a title with its subtitle (without this,
    raw subtitles where the truth has one 23 -> 7)."""
    first, rest = run[0].words(), re.sub(r"[（(][^（）()]*[）)]", "", run[1].words())
    return 2 * han_count(first) <= han_count(rest) \
        and not any(line.text.startswith("—") for line in run[0].lines)


def _wrapped_in_column(lines: list[str], text: str, column: float, subtitle: str | None
                       ) -> bool:
    """A headline set in its text's own column (a brief's), broken at the column's edge: two
    lines, the first no wider than the text's lines, the second narrower than the first
    (`有序恢复外贸生产⏎运营秩序`). A kicker stands over the whole frame, wider than a column of
    its text; over a subtitle, two lines are a kicker and a title (引题, 主题, 副题)."""
    return len(lines) == 2 and not subtitle and column > 0 \
        and text_width(lines[1]) < text_width(lines[0]) <= column \
        and not _label_without_words(lines, text)


def _kicker_text(line: str) -> str:
    """A kicker without the box mark or label bracket set around it."""
    return line.rstrip("：:】]").lstrip("■□●◆◇【[").strip(SPACES)


def _label_without_words(lines: list[str], text: str) -> bool:
    """A short first line none of whose words the text uses, over a line whose words it does:
    a column or series label (`干部状态新观察` over `鼻子不舒服`), not part of the title."""
    pairs = bigrams(text)
    first, rest = bigrams(lines[0]), bigrams("".join(lines[1:]))
    # A label of three Han characters or more, and nothing else, set narrower than the title
    # under it (a wrapped title's first line fills the headline's width): then any word of the
    # title in the text will do, as under a banner over a stack of briefs, whose titles the
    # text hardly repeats (dev titles: pdftotext 2056 -> 2066; for any first line of Han
    # characters only, 2065 but raw 3024 -> 3022: a wrapped title's first line cut off).
    found = len(rest & pairs) > 0 if 3 <= han_count(lines[0]) == len(lines[0]) \
        and text_width(lines[0]) < text_width(TAG_END_RE.sub("", lines[1])) \
        else len(rest & pairs) >= 0.5 * len(rest)
    return han_count(lines[0]) <= 8 and bool(first) and bool(rest) and not first & pairs and found


def make_drafts(units: list[HeadUnit], bodies: list[Body]) -> tuple[list[Draft], list[str]]:
    """Articles: bodies with their headlines; frames with neither headline nor byline of their
    own join the nearby article whose words they share most. Also returns the page's
    warnings (headlines no article took)."""
    warnings: list[str] = []
    assignment = _regroup_over_byline(_assign(units, bodies), bodies)
    assigned = {id(unit) for run in assignment.values() for unit in run}
    # Keys (body index, part): a body holding two stories becomes parts 0 and 1.
    drafts: dict[tuple[int, int], Draft] = {}
    for b, run in assignment.items():
        shared = split_shared_body(run, bodies[b])
        if shared:
            drafts[(b, 0)] = Draft(run[:shared[0]], [bodies[b]], review=["body-split"])
            drafts[(b, 1)] = Draft(run[shared[0]:], [shared[1]], review=["body-split"])
        else:
            drafts[(b, 0)] = Draft(run, [bodies[b]])
    orphans = []
    for index, body in enumerate(bodies):
        if (index, 0) in drafts:
            continue
        heading = headline_from_heading(body)
        if heading:
            drafts[(index, 0)] = Draft([heading], [body])
        elif body.starts_with_byline or body.continued_from or not drafts:
            drafts[(index, 0)] = Draft.headless([body])
        else:
            orphans.append((index, body))
    vocabularies = {id(draft): _vocabulary(draft) for draft in drafts.values()}
    page_pairs = Counter(pair for body in bodies for pair in han_pairs(body.text()))
    open_ends = [(body, body.text()[-1]) for body in bodies
                 if not ends_sentence(body.text_lines()[-1].text)]
    # Frames with no headline and no byline are the rest of some story on the page.
    for index, body in orphans:
        text = body.text()
        mine = bigrams(text)
        # An article's frames sit near each other on the page: look at the nearest articles.
        near = [d for d in drafts.values() if abs(d.bodies[0].position - body.position) <= 2 * NEAR]
        ranked = sorted(((len(mine & vocabularies[id(d)]) / len(mine) if mine else 0.0, d)
                         for d in near or drafts.values()),
                        key=lambda pair: (-pair[0], abs(pair[1].bodies[0].position
                                                        - body.position)))
        shared, target = ranked[0]
        # A short frame finishing the sentence its page predecessor leaves open is a story's
        # rest, not a story.
        before = bodies[index - 1].text_lines() if index else []
        open_before = bool(before) and not ends_sentence(before[-1].text)
        length = han_count(text)
        # A frame finishing the open sentence of one other frame (the word across the break
        # found on the page) goes on with that frame's story, whatever words it shares: dev,
        # pdftotext, found exactly 539 -> 542, titles 633 -> 637 (the word found twice on the
        # page: 540 and 635, also when asked only for frames otherwise kept apart).
        joined = _sentence_before(body, open_ends, drafts.values(), page_pairs)
        if joined is None and shared < ORPHAN_SHARE:
            joined = _named_by(mine, near or list(drafts.values()))
        if joined is not None:
            target = joined
        # A frame of some length sharing few words with every article nearby is a story whose
        # headline the extraction lost, not the rest of another one: kept apart, it is one
        # article to check, not a stranger inside another.
        elif len(drafts) >= 2 and shared < ORPHAN_SHARE and length >= ORPHAN_MIN_HAN \
                and not (open_before and length < ORPHAN_OPEN_HAN) \
                and not _prefers(body, ranked):
            alone = drafts[(index, 0)] = Draft.headless([body])
            vocabularies[id(alone)] = _vocabulary(alone)
            continue
        target.bodies.append(body)
        target.flag("frames-joined")
    for unit in units:
        if id(unit) not in assigned:
            warnings.append(f"line {unit.lines[0].number}: headline with no article: "
                            f"{unit.words()}")
    result = [drafts[key] for key in sorted(drafts)]
    for draft in result:
        grouped_sections(draft)
        _order_frames(draft)
    return result, warnings


def _prefers(body: Body, ranked: list[tuple[float, Draft]]) -> bool:
    """Whether a frame sharing few words with every article still plainly belongs to the best
    of them: an article a few frames away, whose headline (if the extraction kept one) stands
    before the frame, and with which it shares clearly more than with the runner-up (a frame
    the headline reaches is its story's; the stories of one page share the page's topic words
    alike, so what counts is the difference)."""
    shared, target = ranked[0]
    runner = ranked[1][0] if len(ranked) > 1 else 0.0
    return shared - runner >= ORPHAN_MARGIN \
        and (not target.head or target.head[0].position <= body.position) \
        and abs(target.bodies[0].position - body.position) <= ORPHAN_REACH


def _named_by(mine: set[str], drafts: list[Draft]) -> Draft | None:
    """The article whose headline a frame of the words `mine` repeats (HEADLINE_NAMED of its
    words or more, and HEADLINE_MARGIN more than any other article's headline), if one does."""
    shares = []
    for draft in drafts:
        words = bigrams("".join(unit.words() for unit in draft.head))
        if words:
            shares.append((len(words & mine) / len(words), draft))
    shares.sort(key=lambda pair: -pair[0])
    if not shares or shares[0][0] < HEADLINE_NAMED:
        return None
    runner = shares[1][0] if len(shares) > 1 else 0.0
    return shares[0][1] if shares[0][0] - runner >= HEADLINE_MARGIN else None


def _sentence_before(body: Body, open_ends: list[tuple[Body, str]], drafts, page_pairs: Counter
                     ) -> Draft | None:
    """The article holding the one frame whose open sentence this frame finishes: of the frames
    ending mid-sentence (`open_ends`, with their last characters), the one whose last Han
    character and this frame's first make a word found on the page (`…抗击疫⏎⏎情发生以来，…`).
    None if no frame or several do."""
    first = body.text()[:1]
    before = [other for other, last in open_ends if other is not body
              and is_han(first) and is_han(last) and last + first in page_pairs]
    if len(before) != 1:
        return None
    return next((draft for draft in drafts if any(b is before[0] for b in draft.bodies)), None)


def _regroup_over_byline(assignment: dict[int, list[HeadUnit]],
                         bodies: list[Body]) -> dict[int, list[HeadUnit]]:
    """A headline group standing over a `本报记者 X` lead, whose first block the assignment gave
    to an earlier frame though its words are the lead's: the whole group is the lead's (the
    blocks between cannot belong to bodies before it), its other blocks maybe sections."""
    for b in sorted(assignment):
        run = assignment.get(b)
        if not run or not bodies[b].led_by_byline or run[-1].position != bodies[b].position:
            continue
        lead_pairs = bigrams(bodies[b].text())
        earlier = sorted(e for e in assignment if e < b and assignment[e][0].group == run[0].group)
        if earlier and share(assignment[earlier[0]][:1], lead_pairs) - share(
                assignment[earlier[0]][:1], bigrams(bodies[earlier[0]].text())) >= 0.3:
            assignment[b] = [unit for e in earlier for unit in assignment.pop(e)] + run
    return assignment


def _vocabulary(draft: Draft) -> set[str]:
    """The bigrams of an article's headline and text: what an orphan frame is matched against."""
    return bigrams("".join(u.words() for u in draft.head)
                   + "".join(body.text() for body in draft.bodies))


def _order_frames(draft: Draft) -> None:
    """Reading order of an article's text frames: the lead (see _opens_story), then the frames
    after the headline in page order, then the frames printed before it (they wrap around)."""
    if len(draft.bodies) == 1:
        return
    # Frames are boxes read in column order; the extraction reads them in another order, but
    # a headline sits over the start of its story and a dateline or byline opens it.
    head_at = draft.head[0].position if draft.head else 0
    page_order = sorted(draft.bodies, key=lambda b: b.position)
    leads = [b for b in page_order if _opens_story(b)]
    rest = [b for b in page_order if not _opens_story(b)]
    draft.bodies = leads + [b for b in rest if b.position >= head_at] \
        + [b for b in rest if b.position < head_at]
    if [id(b) for b in draft.bodies] != [id(b) for b in page_order]:
        first_lines = ", ".join(str(_first_line(b)) for b in draft.bodies)
        draft.warnings.append(f"text frames put in reading order by their byline and headline "
                              f"(frames starting at lines {first_lines})")
        draft.flag("frames-reordered")
    elif not leads:
        draft.warnings.append("text frames without their own headline kept in page order")


def _opens_story(body: Body) -> bool:
    """A frame under its byline, opening with one, or opening with a lead's label (`核心阅读`):
    the start of its story wherever the extraction put it."""
    first = next((value[0] for kind, value in body.parts if kind == "text" and value), None)
    return body.led_by_byline or body.starts_with_byline \
        or (first is not None and bool(LEAD_START_RE.match(first.text)))


def _first_line(body: Body) -> int:
    numbers = [line.number for kind, value in body.parts if kind == "text" for line in value]
    return min(numbers + body.extra_lines) if numbers or body.extra_lines else 0
