"""Which headline-like blocks head articles and which are section headings inside one."""

from __future__ import annotations

from ..text import bigrams, ends_sentence
from .patterns import BOX_LABEL_RE, COLUMN_TAG_RE, END_BYLINE_RE, ENUMERATOR_RE, START_BYLINE_RE
from .types import Item, ItemKind

# A block names a new item when this share of its words is in the text under it and hardly any
# in the text before it (single-line sections on the seed pages share 12% to 84% of their
# words with the text before them; brief headlines on the fixture pages 43% to 78% with theirs).
OWN_WORDS = 0.4
# … and at most this share in the text before it: a word common on the page (防控, 疫情) is no
# sign that the block belongs to the story above (0.1 on the page corpus's dev split; 0.2
# already takes a seed page's section heading for a headline).
BEFORE_WORDS = 0.1


def mark_headline_groups(items: list[Item]) -> None:
    """Turn head items that sit inside one body's text into in-article section headings."""
    index = 0
    groups: list[tuple[int, int]] = []
    while index < len(items):
        if items[index].kind != ItemKind.HEAD:
            index += 1
            continue
        end = index
        while end + 1 < len(items) and items[end + 1].kind == ItemKind.HEAD:
            end += 1
        groups.append((index, end))
        index = end + 1
    kept = 0
    for start, end in groups:
        if _is_headline_group(items, start, end):
            kept += 1
            continue
        for item in items[start:end + 1]:
            item.kind = ItemKind.INLINE_HEAD
    credits = [_item_credits(item) for item in items]
    # Between two runs of text with no boundary, a block is a section heading of a signed
    # article or of a feature (its headline has a subtitle), or else the headline of the next
    # of several unsigned short items. Text opened by a credit before it and closed by another
    # after it is two signed articles, and a block after a closing credit starts the next
    # article, the one before being finished. A block whose words are its own text's alone
    # heads the next of several short items, whatever credit closes the last, also after a
    # dateline opened the first: a section repeats words of the story around it.
    for index, item in enumerate(items):
        # A numbered heading (一、 （二）) is a section of the story it stands in.
        if item.kind != ItemKind.INLINE_HEAD or ENUMERATOR_RE.match(item.lines[0].text):
            continue
        before, after = _credit(items, credits, index, -1), _credit(items, credits, index, 1)
        if (not (before or after) and not _under_subtitled_headline(items, index)) \
                or (before == "opens" and after == "closes") or before == "closes" \
                or (before in (None, "opens") and _names_next_item(items, index)):
            item.kind = ItemKind.HEAD
            kept += 1
    # A page with no headline standing between articles still has one for its story, unless
    # the story is continued from another page (its headline is printed there).
    continued = any(line.continued_from for item in items for line in item.lines)
    if not kept and not continued:
        for item in items:
            if item.kind == ItemKind.INLINE_HEAD:
                item.kind = ItemKind.HEAD
                break


def _is_headline_group(items: list[Item], start: int, end: int) -> bool:
    """Several blocks together, a subtitle, a box label, or a block at an article boundary:
    a headline."""
    if end > start or start == 0 or end == len(items) - 1:
        return True
    if any(line.text.startswith("—") or BOX_LABEL_RE.match(line.text)
           for item in items[start:end + 1] for line in item.lines):
        return True
    # A column's name in brackets after the words (`…重复检查（权威发布）`) marks a headline; a
    # section heading stands inside its story's column.
    if COLUMN_TAG_RE.search("".join(line.text for item in items[start:end + 1]
                                    for line in item.lines)):
        return True
    before, after = items[start - 1], items[end + 1]
    if before.kind in (ItemKind.BYLINE_END, ItemKind.HEAD) \
            or after.kind in (ItemKind.BYLINE_UNDER, ItemKind.HEAD):
        return True
    # A block that cuts a sentence is no section heading: it was set beside the text.
    if before.kind == ItemKind.TEXT and (before.lines[-1].continues
                                  or not ends_sentence(before.lines[-1].text)):
        return True
    return after.kind == ItemKind.TEXT and bool(START_BYLINE_RE.match(after.lines[0].text))


def _under_subtitled_headline(items: list[Item], at: int) -> bool:
    """Whether the nearest headline before items[at] has a `——` subtitle: the mark of a
    feature or series piece, whose short headings are sections, not the next item's title."""
    index = at - 1
    while index >= 0 and items[index].kind != ItemKind.HEAD:
        index -= 1
    while index >= 0 and items[index].kind == ItemKind.HEAD:
        if any(line.text.startswith("—") for line in items[index].lines):
            return True
        index -= 1
    return False


def _credit(items: list[Item], credits: list[tuple[str | None, str | None]], at: int,
            step: int) -> str | None:
    """The first credit met going from items[at] in direction step, up to the nearest headline
    (not counting blocks still taken for section headings): "opens", "closes" or None."""
    index = at + step
    # No article runs to hundreds of blocks; the bound keeps huge pages linear.
    while 0 <= index < len(items) and abs(index - at) <= 300 \
            and items[index].kind != ItemKind.HEAD:
        found = credits[index][0 if step > 0 else 1]
        if found:
            return found
        index += step
    return None


def _item_credits(item: Item) -> tuple[str | None, str | None]:
    """The first credit in an item read forwards, and read backwards: "opens", "closes"."""
    if item.kind in (ItemKind.BYLINE_UNDER, ItemKind.BYLINE_END):
        found = "opens" if item.kind == ItemKind.BYLINE_UNDER else "closes"
        return found, found
    if item.kind != ItemKind.TEXT:
        return None, None
    marks = ["opens" if START_BYLINE_RE.match(line.text) else "closes"
             for line in item.lines
             if START_BYLINE_RE.match(line.text) or END_BYLINE_RE.search(line.text)]
    return (marks[0], marks[-1]) if marks else (None, None)


def _names_next_item(items: list[Item], at: int) -> bool:
    """Whether the block items[at] shares its words with the text under it (down to the next
    block) but with nothing before it, back to and including the previous headline."""
    after = []
    for item in items[at + 1:at + 300]:
        if item.kind != ItemKind.TEXT:
            break
        after.append(item)
    before = []
    # As in `_credit`: bounded, so that a page of many sections stays linear.
    for item in reversed(items[max(0, at - 300):at]):
        before.append(item)
        if item.kind == ItemKind.HEAD:
            break
    words = bigrams("".join(line.text for line in items[at].lines))
    if not words:
        return False
    found_after = len(words & bigrams(_text(after))) / len(words)
    found_before = len(words & bigrams(_text(before))) / len(words)
    return found_after >= OWN_WORDS and found_before <= BEFORE_WORDS


def _text(items: list[Item]) -> str:
    return "".join(line.text for item in items for line in item.lines)
