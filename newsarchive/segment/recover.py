"""Second looks after headlines are assigned: a body that holds two stories under a headline
run of two, a signed article left without a headline whose first heading is its title, and
section headings printed together with the headline."""

from __future__ import annotations

from ..text import bigrams, ends_sentence
from .patterns import KICKER_RE
from .types import Body, Draft, HeadUnit, Line

# How much more of a headline's words one part must hold than the other. A kicker and its
# title, or a title in two lines, recur all through one story (margins below 0 on the seed
# and fixture pages); a second story printed on under the first stands out (about 0.3).
SPLIT_MARGIN = 0.2
# A heading that is the article's own headline repeats the words of the text at large.
HEADLINE_EVIDENCE = 0.5


def share(units: list[HeadUnit], pairs: set[str]) -> float:
    """The share of the headline blocks' bigrams that occur in pairs (0 to 1)."""
    words = bigrams("".join(unit.words() for unit in units))
    return len(words & pairs) / len(words) if words else 0.0


def split_shared_body(run: list[HeadUnit], body: Body) -> tuple[int, Body] | None:
    """When a run of headline blocks given to one body names two stories, each told in one
    part of it (an unsigned item printed on under a signed one), split the body where the
    words change: (how many blocks head the first part, the second part); None otherwise."""
    if len(run) < 2 or any(kind == "head" for kind, _ in body.parts):
        return None
    lines = body.text_lines()
    heads = [bigrams("".join(unit.words() for unit in part))
             for cut in range(1, len(run)) for part in (run[:cut], run[cut:])]
    earliest_end, latest_start = _word_lines(lines, set().union(*heads))

    def found(words: set[str], before: bool, k: int) -> float:
        hits = [w for w in words if (earliest_end[w] < k if before else latest_start[w] >= k)]
        return len(hits) / len(words) if words else 0.0

    candidates: list[tuple[float, int, int]] = []
    for k in range(1, len(lines)):
        # A story starts a paragraph after a blank line, below a finished sentence.
        if lines[k].number - lines[k - 1].number < 2 or not ends_sentence(lines[k - 1].text):
            continue
        for cut in range(1, len(run)):
            # `市委书记调研时指出` over `统筹发展和安全`: a kicker names the event of the lead
            # and the title quotes a later paragraph; that is one story.
            if KICKER_RE.search(run[cut - 1].words()):
                continue
            first_words, second_words = heads[2 * cut - 2], heads[2 * cut - 1]
            first = found(first_words, True, k) - found(first_words, False, k)
            second = found(second_words, False, k) - found(second_words, True, k)
            if min(first, second) >= SPLIT_MARGIN:
                candidates.append((first + second, cut, lines[k].number))
    if not candidates:
        return None
    # Paragraphs that name neither headline stay with the story before them: the second
    # story starts where its own words do, so among near-equal cuts the last one wins.
    top = max(score for score, _, _ in candidates)
    _, cut, number = max((c for c in candidates if c[0] >= top - 0.05), key=lambda c: c[2])
    return cut, body.split_off(number)


def _word_lines(lines: list[Line], words: set[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Per word: the line where its first occurrence ends, and where its last one starts
    (inf and -inf when absent), so each possible cut is checked without rereading the text."""
    text = "".join(line.text for line in lines)
    owner = [index for index, line in enumerate(lines) for _ in line.text]
    earliest_end = dict.fromkeys(words, float("inf"))
    latest_start = dict.fromkeys(words, float("-inf"))
    for word in words:
        at = text.find(word)
        if at >= 0:
            earliest_end[word] = owner[at + 1]
        at = text.rfind(word)
        if at >= 0:
            latest_start[word] = owner[at]
    return earliest_end, latest_start


def headline_from_heading(body: Body) -> HeadUnit | None:
    """A signed article left with no headline: its first heading, when it repeats the words
    of the text, is its headline set beside the text and read in between."""
    heads = [index for index, (kind, _) in enumerate(body.parts) if kind == "head"]
    if not heads or not (body.starts_with_byline or body.led_by_byline):
        return None
    heading: Line = body.parts[heads[0]][1]
    unit = HeadUnit([heading], group=-1, position=body.position)
    if share([unit], bigrams(body.text())) < HEADLINE_EVIDENCE:
        return None
    del body.parts[heads[0]]
    # Two runs of text that the heading kept apart are one again.
    for index in range(len(body.parts) - 1, 0, -1):
        if body.parts[index][0] == body.parts[index - 1][0] == "text":
            body.parts[index - 1][1].extend(body.parts.pop(index)[1])
    return unit


def grouped_sections(draft: Draft) -> None:
    """Single-line blocks printed with the headline over a `本报记者 X` lead, whose words are
    those of a later frame and not of the lead, are section headings set apart from their
    sections: they go back into the text, where `compose` places them by their words."""
    lead = next((body for body in draft.bodies if body.led_by_byline), None)
    if lead is None or len(draft.head) < 3 or len(draft.bodies) < 2 or any(
            len(unit.lines) > 1 or unit.lines[0].text.startswith("—") for unit in draft.head):
        return
    others = [bigrams(body.text()) for body in draft.bodies if body is not lead]
    lead_pairs = bigrams(lead.text())
    # A heading paraphrases its section: a quarter of its words there, fewer in the lead.
    sections = [unit for unit in draft.head[1:]
                if max(share([unit], pairs) for pairs in others) >= 0.25
                and max(share([unit], pairs) for pairs in others) - share([unit], lead_pairs)
                >= 0.1]
    # Headings come in sets; a single such block is as likely the title's second line.
    if len(sections) < 2:
        return
    draft.head = [unit for unit in draft.head if unit not in sections]
    lead.parts[:0] = [("head", unit.lines[0]) for unit in sections]
    lead.extra_lines += [unit.lines[0].number for unit in sections]
