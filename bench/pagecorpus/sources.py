"""Source articles: three People's Daily months from a crawler's git history, or `content/*.md`.

Both sources give the same thing: a `SourceSet` of cleaned `Article`s grouped by the page they
were printed on, plus pools the page planner draws page furniture from (photo captions, series
labels, names for `责任编辑`).
"""

from __future__ import annotations

import io
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HAN_RE = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
DEFAULT_PEOPLE_DAILY_REPO = Path("/work/.mirror/caspiankexin+people-daily-crawler-date/repo")
# The only months this generator may read: the rest of the archive is kept back for an
# independent evaluation. (month, commit, path in the repository)
PEOPLE_DAILY_MONTHS: tuple[tuple[str, str, str], ...] = (
    ("2019-02", "0e607dd825f0cf709bc751a575af426c30f5f67a", "2019年数据/2019年2月.7z"),
    ("2020-02", "d3f8f1444b45855502443207187996f858516c74", "2020年数据/2020年2月.7z"),
    ("2020-05", "d3f8f1444b45855502443207187996f858516c74", "2020年数据/2020年5月.7z"),
)
MAX_HAN = 3000          # longer articles are cut at a paragraph boundary ...
TRUNCATE_HAN = 2500     # ... to at most this many Han characters
MIN_HAN = 40            # shorter ones are headline-only stubs (a photo page's "等你凯旋")
MIN_HAN_SHARE = 0.5     # of non-space characters; below it an article is mostly Latin or figures

# A byline at the head of the first paragraph: `本报北京2月3日电　（记者张三）…`, `本报讯（记者 X）…`.
DATELINE_RE = re.compile(
    r"^((?:本报|新华社|中新社)[^\s，。（）]{0,12}?\d{1,2}月\d{1,2}日电|本报讯|本报电|据新华社电|据新华社[^\s，。（）]{2,8}电)\s*"
    r"(（[^（）]{1,40}）)?\s*")
# A byline paragraph of its own: `本报记者　张三　李四`.
STAFF_RE = re.compile(r"^(本报记者|新华社记者|本报特约记者|特约记者)\s*(\S.{0,30})$")
ROLE_RE = re.compile(r"本报记者|新华社记者|特约记者|见习记者|记者|通讯员|实习生")
NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
PHOTO_CREDIT_RE = re.compile(r"^.{0,24}摄$")
# Lines a text-only archive keeps but a page would print elsewhere or not at all.
DROPPED_LINE_RE = re.compile(r"^(版式设计|制图|图片来源|数据来源|本版责编|责任编辑)[：:]")
SERIES_TAG_RE = re.compile(r"（([\u4e00-\u9fff ]{2,10})）$")


@dataclass(frozen=True)
class Byline:
    text: str                    # exactly as the page prints it
    reporters: tuple[str, ...]
    inline: bool                 # printed at the head of the first paragraph (a dateline)


@dataclass(frozen=True)
class Article:
    key: str                     # `20200203-04-01`, or a content file's stem
    origin: str                  # the truth's "source": `people-daily 2020-02 <commit>`
    date: str | None             # ISO publication date
    page: str | None             # the page it was printed on: `04`, `A01`
    kicker: str | None
    title: str
    subtitle: str | None         # without a leading ——
    subtitle_dash: bool          # the source prints the subtitle with a leading ——
    byline: Byline | None
    paragraphs: tuple[str, ...]
    truncated: bool = False      # cut to TRUNCATE_HAN: the rest would be on another page


@dataclass
class SourceSet:
    name: str                                  # `people-daily` or `seeds`
    paper: str                                 # the masthead
    groups: list[list[Article]]                # articles printed on one source page, in order
    by_date: dict[str | None, list[Article]]   # where briefs for a page come from
    captions: list[str]
    series_labels: list[str]
    names: list[str]
    commits: list[dict[str, str]] = field(default_factory=list)

    def brief_pool(self, date: str | None) -> list[Article]:
        """Articles a page of this date may cut briefs from: the same day's paper."""
        return self.by_date.get(date) or self.by_date.get(None) or [a for g in self.groups for a in g]


def han_count(text: str) -> int:
    return len(HAN_RE.findall(text))


def clean_line(line: str) -> str:
    """One line as HTML will print it: every run of whitespace (NBSP, ideographic space) one space."""
    return re.sub(r"[\s\u00a0\u3000]+", " ", line).strip()


def merge_single_chars(tokens: list[str]) -> list[str]:
    """`朱  磊` is one two-character name padded to three cells: join single characters in pairs."""
    names: list[str] = []
    pending = ""
    for token in tokens:
        if len(token) == 1:
            pending += token
            if len(pending) == 2:
                names.append(pending)
                pending = ""
        else:
            if pending:
                names.append(pending)
                pending = ""
            names.append(token)
    if pending:
        names.append(pending)
    return names


def credit_names(credit: str) -> tuple[str, ...]:
    """Reporter names in a credit such as `（记者张三、李四）` or `（朱鸿亮、周娜）`."""
    inner = ROLE_RE.sub(" ", credit.strip("（）"))
    tokens = [t for t in re.split(r"[、，,\s]+", inner) if t]
    return tuple(n for n in merge_single_chars(tokens) if NAME_RE.match(n))


def split_dateline(paragraph: str) -> tuple[Byline | None, str]:
    match = DATELINE_RE.match(paragraph)
    if not match or not paragraph[match.end():]:
        return None, paragraph
    credit = match.group(2) or ""
    byline = Byline(match.group(1) + credit, credit_names(credit), inline=True)
    return byline, paragraph[match.end():]


def staff_byline(paragraph: str) -> Byline | None:
    match = STAFF_RE.match(paragraph)
    if not match or paragraph.endswith("摄"):
        return None
    credit = match.group(2)
    suffix = "整理" if credit.endswith("整理") else ""
    tokens = merge_single_chars(credit.removesuffix(suffix).split())
    names = tuple(t for t in tokens if NAME_RE.match(t))
    if not names or len(names) != len(tokens):
        return None
    return Byline(f"{match.group(1)} {' '.join(names)}{suffix}", names, inline=False)


def find_byline(paragraphs: list[str]) -> tuple[Byline | None, list[str]]:
    """Take the byline out of the body: a leading dateline, or a staff line near either end."""
    byline, first = split_dateline(paragraphs[0])
    if byline:
        return byline, [first, *paragraphs[1:]]
    for index in (0, 1, len(paragraphs) - 1):
        if 0 <= index < len(paragraphs):
            byline = staff_byline(paragraphs[index])
            if byline:
                return byline, paragraphs[:index] + paragraphs[index + 1:]
    return None, paragraphs


def truncate(paragraphs: list[str]) -> tuple[list[str], bool]:
    if sum(han_count(p) for p in paragraphs) <= MAX_HAN:
        return paragraphs, False
    kept: list[str] = []
    total = 0
    for paragraph in paragraphs:
        total += han_count(paragraph)
        if total > TRUNCATE_HAN:
            break
        kept.append(paragraph)
    return kept, True


def printable(text: str) -> bool:
    """Characters outside the BMP may have no glyph in Noto CJK: the page would not print them."""
    return all(ord(c) <= 0xFFFF and not 0xE000 <= ord(c) <= 0xF8FF for c in text)


def parse_people_daily(text: str, key: str, origin: str, pools: dict[str, list[str]]) -> Article | None:
    """One `YYYYMMDD-PP-NN.txt`: kicker, title, subtitle lines, then `　　`-indented paragraphs."""
    lines = text.replace("\r", "").split("\n") + ["", "", ""]
    head = lines[:3]
    rest = lines[3:]
    if head[2].startswith("\u3000\u3000"):   # no subtitle line: the body starts early
        head, rest = head[:2] + [""], lines[2:]
    kicker, title, subtitle = (clean_line(line) for line in head)
    paragraphs: list[str] = []
    for raw in rest:
        line = clean_line(raw)
        if not line or DROPPED_LINE_RE.match(line):
            continue
        if len(line) <= 30 and PHOTO_CREDIT_RE.match(line):
            pools["credits"].append(line)
            continue
        if line.startswith("图为") and len(line) <= 80:
            pools["captions"].append(line)
            continue
        paragraphs.append(line)
    whole = "".join([kicker, title, subtitle, *paragraphs])
    if not title or not paragraphs or not printable(whole):
        return None
    nonspace = len(re.sub(r"\s", "", whole))
    if han_count(whole) < MIN_HAN_SHARE * nonspace:
        return None
    byline, paragraphs = find_byline(paragraphs)
    paragraphs, truncated = truncate(paragraphs)
    if not paragraphs or sum(han_count(p) for p in paragraphs) < MIN_HAN:
        return None
    if byline:
        pools["names"].extend(byline.reporters)
    tag = SERIES_TAG_RE.search(title)
    if tag:
        pools["series"].append(tag.group(1))
    day, page, _ = key.split("-")
    return Article(
        key=key, origin=origin, date=f"{day[:4]}-{day[4:6]}-{day[6:]}", page=page,
        kicker=kicker or None, title=title,
        subtitle=subtitle.removeprefix("——").strip() or None,
        subtitle_dash=subtitle.startswith("——"),
        byline=byline, paragraphs=tuple(paragraphs), truncated=truncated)


def month_texts(repo: Path, commit: str, path: str, cache: Path) -> Path:
    """The month's archive extracted under `cache` (once): `git show` the blob, unpack with py7zr."""
    import py7zr   # only this source needs it: `pip install -e '.[bench]'`

    dest = cache / f"{Path(path).stem}-{commit[:12]}"
    done = dest / ".complete"
    if not done.exists():
        blob = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"],
                              check=True, capture_output=True).stdout
        with py7zr.SevenZipFile(io.BytesIO(blob)) as archive:
            archive.extractall(path=dest)
        done.touch()
    return dest


def load_people_daily(repo: Path, cache: Path) -> SourceSet:
    pools: dict[str, list[str]] = defaultdict(list)
    groups: dict[tuple[str, str], list[Article]] = defaultdict(list)
    commits = []
    for month, commit, path in PEOPLE_DAILY_MONTHS:
        origin = f"people-daily {month} {commit}"
        commits.append({"month": month, "commit": commit, "path": path})
        for file in sorted(month_texts(repo, commit, path, cache).rglob("*.txt")):
            if not re.fullmatch(r"\d{8}-\d{2}-\d{2}", file.stem):
                continue
            text = file.read_bytes().decode("utf-8", errors="replace")
            article = parse_people_daily(text, file.stem, origin, pools)
            if article:
                groups[(article.date, article.page)].append(article)
    by_date: dict[str | None, list[Article]] = defaultdict(list)
    for (date, _), articles in sorted(groups.items()):
        by_date[date].extend(articles)
    return SourceSet(
        name="people-daily", paper="人民日报",
        groups=[groups[k] for k in sorted(groups)], by_date=dict(by_date),
        captions=sorted(set(pools["captions"])), series_labels=sorted(set(pools["series"])),
        names=sorted(set(pools["names"])), commits=commits)


def markdown_paragraphs(body: str) -> list[str]:
    """Body paragraphs of a content file; a `## ` subhead prints as a paragraph of its own."""
    blocks = [clean_line(b.removeprefix("## ")) for b in re.split(r"\n\s*\n", body)]
    return [b for b in blocks if b]


def short_sentences(paragraphs: list[str]) -> list[str]:
    """Sentences short enough for a caption: the seeds have no photo captions of their own."""
    found = []
    for paragraph in paragraphs:
        for sentence in re.findall(r"[^。！？]+[。！？]", paragraph):
            if 12 <= han_count(sentence) <= 40 and not sentence.startswith(("”", "，")):
                found.append(sentence)
    return found


def load_seeds(content_dir: Path) -> SourceSet:
    groups: dict[tuple[str, str], list[Article]] = defaultdict(list)
    captions: list[str] = []
    series: list[str] = []
    names: list[str] = []
    paper = "西宁晚报"
    for file in sorted(content_dir.glob("*.md")):
        _, front, body = file.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        paper = meta.get("paper") or paper
        paragraphs = markdown_paragraphs(body)
        byline = None
        if meta.get("byline"):
            text = clean_line(meta["byline"])
            byline = Byline(text, tuple(meta.get("reporters") or ()), inline="（" in text)
        subheads = [m.group(1) for m in re.finditer(r"^## (.+?)——", body, re.M)]
        series.extend(s for s in subheads if 2 <= han_count(s) <= 8)
        captions.extend(short_sentences(paragraphs))
        names.extend(meta.get("reporters") or ())
        subtitle = clean_line(meta.get("subtitle") or "")
        article = Article(
            key=file.stem, origin=f"seeds content/{file.name}",
            date=str(meta["date"]) if meta.get("date") else None,
            page=str(meta["page"]) if meta.get("page") else None,
            kicker=clean_line(meta.get("kicker") or "") or None,
            title=clean_line(meta["title"]),
            subtitle=subtitle.removeprefix("——") or None, subtitle_dash=subtitle.startswith("——"),
            byline=byline, paragraphs=tuple(paragraphs))
        groups[(article.date or "", article.page or file.stem)].append(article)
    by_date: dict[str | None, list[Article]] = {None: [a for k in sorted(groups) for a in groups[k]]}
    return SourceSet(
        name="seeds", paper=paper, groups=[groups[k] for k in sorted(groups)], by_date=by_date,
        captions=sorted(set(captions)), series_labels=sorted(set(series)) or ["简讯"],
        names=sorted(set(names)), commits=[])
