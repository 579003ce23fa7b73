"""What bylines, credits, captions, page furniture and headline lines look like in print."""

from __future__ import annotations

import re

# Who is credited: 记者, 通讯员, with the ranks papers put before them.
CREDIT = r"(?:首席|特约|见习|实习)?(?:记者|通讯员|实习生|摄影记者)"
# Opens an article: 本报讯（记者 施翔）, 本报北京1月19日电 （记者吴秋余）, 新华社西宁1月3日电,
# 本报西宁讯（记者 张三）, 据新华社电（记者 李四）: without a date only with the credit, as
# `本报记者从市供电…` is text.
START_BYLINE_RE = re.compile(
    r"^(?:本报讯|据[\u4e00-\u9fff]{2,6}(?:社|报|台|网)(?:[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日)?电"
    r"|(?:本报|新华社|中新社|[\u4e00-\u9fff]{2,6}(?:社|报|台|网))"
    r"(?:[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日(?:电|讯)|[\u4e00-\u9fff]{2,4}(?:电|讯)(?=\s*[（(])))"
    r"\s*(?:[（(][^（）()]{1,40}[）)])?")
# A dateline anywhere in a text (a second story read into one), and the credit of a dateline
# whose bracket a wrap put at the start of the next line: `（记者罗晨、闵尊涛）`.
DATELINE_RE = re.compile(r"(?:本报|新华社|中新社)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日电")
DATELINE_START_RE = re.compile(r"^(?:本报|新华社|中新社)")
# The head of a dateline wrapped over lines, alone on its line (`本报北京2月10⏎日电（记者…）`):
# it opens a story's text and never stands in a headline.
DATELINE_HEAD_RE = re.compile(r"^(?:本报|新华社|中新社)[\u4e00-\u9fff]{0,8}\d{1,2}(?:月(?:\d{1,2}日?)?)?$")
# The head of a dateline opening a line, whatever the extraction read on after it (`本报北京2月
# 23日`, or another column's text beside it): the first line of a story's text.
DATELINE_OPEN_RE = re.compile(r"^(?:本报|新华社|中新社)[\u4e00-\u9fff]{0,8}\d{1,2}月")
# The tail of a dateline whose head the extraction read elsewhere (into a line of the next
# column): `日电（记者王亮）`, `月1日电（记者周舟）`.
DATELINE_TAIL_RE = re.compile(
    rf"^(?:\d{{0,2}}月)?(?:\d{{0,2}}日)?电\s*[（(]\s*(?:本报|新华社)?{CREDIT}[^（）()]{{1,40}}[）)]")
CREDIT_OPEN_RE = re.compile(r"^[（(]\s*(?:(?:本报|新华社)?记者|通讯员)[^（）()]{1,40}[）)]")
# Another paper named in a credit: 人民日报记者, 光明日报评论员.
PAPER = r"[\u4e00-\u9fff]{2,4}(?:日报|晚报|早报|时报)"
# A signed piece: 文/张三, 图︱李四.
AUTHOR = r"(?:文|图|文图|图文|撰文)[\s　]*[/／|｜︱][\s　]*"
# What a credited reporter did besides writing: 本报记者 张三 李四整理.
COMPILED = r"(?:整理|采写|编译|综合)"
# Stands alone under a headline: 本报记者 徐顺凯, 记者 王琼 通讯员 李红, 本报记者 张三 文/图.
# A paper's own commentator signs without a name: 本报评论员.
UNDER_BYLINE_RE = re.compile(
    rf"^[■□●◆◇]?[\s　]*(?:(?:(?:本报|新华社|{PAPER}){CREDIT}[\s　]*|{CREDIT}[\s　]+|{AUTHOR})"
    rf"[\u4e00-\u9fff·]{{2,5}}"
    rf"(?:[\s　、]+(?:(?:本报)?{CREDIT}[\s　]*|{AUTHOR})?[\u4e00-\u9fff·]{{2,5}})*"
    rf"(?:[\s　]*[文图][/／][文图]|[\s　]*{COMPILED})?"
    rf"|(?:本报|{PAPER})(?:特约)?评论员)$")
# Closes an article: （记者 王琼）, （据新华社）.
END_BYLINE_RE = re.compile(
    rf"[（(]\s*(?:(?:本报|新华社|{PAPER})?{CREDIT}[^（）()]{{1,40}}|据[^（）()]{{2,20}})[）)]$")
CREDIT_PREFIX_RE = re.compile(rf"^(?:(?:本报|新华社|{PAPER})?{CREDIT}|{AUTHOR})")
NOT_NAMES = {"报道", "摄影", "整理", "供稿"}
NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")

# Lines of the page, not of any article: editors' credits, a bare page label, the running
# head with the date and weekday (a sentence giving a date has punctuation).
# A line that is only a paper's name is its masthead (人民日报, 西宁晚报), also with the page label
# read on in the same line; a line that is only a date is the running head's.
FURNITURE_RE = re.compile(
    r"^(?:(?:责任编辑|责编|编辑|美编|校对|组版|版式|审读|校读|值班主任|主编|视觉)[：:]"
    r"|第?[A-Z]?\d{1,2}版?$)"
    r"|^[^，。；、]{0,20}\d{4}年\d{1,2}月\d{1,2}日\s*(?:星期|周)[一二三四五六日天][^，。；、]{0,30}$"
    r"|^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$"
    r"|^[\u4e00-\u9fff]{2,6}(?:日报|晚报|早报|时报|商报|都市报)(?:\s*第?[A-Z]?\d{1,2}版?)?$")
# Wire copy closes with （完）: a mark, not text.
END_MARK_RE = re.compile(r"[（(]\s*完\s*[）)]\s*$")
CAPTION_START_RE = re.compile(r"^(?:[▲△▼▽◀▶]|图为|[（(]?图[一二三四五六七八九十\d]*[：:])")
PHOTO_CREDIT_RE = re.compile(
    r"(?:(?:记者|通讯员|摄影|图)[\s　/：:]*[\u4e00-\u9fff·]{2,4}|[\s　][\u4e00-\u9fff·]{2,4})"
    r"[\s　]*摄(?:影)?[）)]?$")
# An agency's photo or an unnamed photographer's (`新华社发`, `（新华社记者 张三发）`, `本报记者摄`):
# a caption's end, where a caption begins (a photo report's text ends so too).
CAPTION_CREDIT_RE = re.compile(r"(?:新华社|中新社)(?:记者[\s　]*[\u4e00-\u9fff·]{2,4})?发[）)]?$"
                               r"|(?:本报|新华社)?记者摄[）)]?$")

# A kicker (引题) over the title often ends with the verb that the title quotes.
SPEECH_VERB_RE = re.compile(r"(强调|指出|表示|要求|提出|时说|讲话|寄语)$")
# A column label such as 开栏的话： or 编者按：
LABEL_RE = re.compile(r"^[\u4e00-\u9fff“”]{2,8}[：:]$")
# A headline line that can only be a kicker: it introduces the title under it.
KICKER_RE = re.compile(rf"{SPEECH_VERB_RE.pattern}|{LABEL_RE.pattern}")
# The label of a boxed sidebar (链接, 相关阅读, 名词解释…): the box is an item of its own.
BOX_LABEL_RE = re.compile(
    r"^[■□●◆◇【\[]?[\s　]*(?:相关|新闻|延伸)?(?:链接|阅读|背景|资料|名词解释|小贴士|记者手记|编后语?"
    r"|短评|知多少)[\s　]*[】\]：:]?$")
# A column's name in brackets after a headline's words: `…重复检查（权威发布）`.
COLUMN_TAG_RE = re.compile(r"[\u4e00-\u9fff”》！？]{2}[（(][\u4e00-\u9fff·]{2,10}[）)]$")
# A column tag closing a headline line, or its head where the tag wraps (`…见实效(民⏎生视线)`):
# what makes a headline's last line wider than its words.
TAG_END_RE = re.compile(r"[（(][^（）()]*[）)]?$")
# A numbered section heading: 一、 （二） 3.
ENUMERATOR_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])")
NO_HEAD_PUNCT = "。，、；"
# Characters a headline does not end with, but a line broken mid-sentence often does.
DANGLING = "的之和与及对把被将为从向于而并或且其在是"

NEAR = 4              # how many bodies away from a headline its article may be
MAX_HEAD_UNITS = 5    # lines of one headline: kicker, title in two parts, subtitle, label


def reporters(byline: str | None) -> list[str]:
    """Names credited in a byline: the words after 记者/通讯员, inside its brackets if any."""
    if not byline:
        return []
    names: list[str] = []
    # Credits inside brackets (`本报北京电（记者 张三）`) and outside them (`本报记者 李四`).
    bracketed = r"[（(]([^（）()]*)[）)]"
    outside = re.sub(bracketed, " ", byline)
    # A dateline's bracket holds its reporters, with or without 记者: `电（赵永新、杨帆）`.
    dated = bool(re.search(r"[电讯]\s*$", outside.strip()))
    for inside, credit in [(False, outside), *((True, c) for c in re.findall(bracketed, byline))]:
        credited = inside and dated
        for token in re.split(r"[\s　、，]+", credit):
            # `张三 文/图` loses its space to the justification repair: `张三文/图`.
            token = re.sub(rf"(?:[文图][/／][文图]|{COMPILED})$", "",
                           token.lstrip("■□●◆◇"))
            bare = CREDIT_PREFIX_RE.sub("", token)
            # `文/本报记者`: a credit can follow an author mark.
            while CREDIT_PREFIX_RE.match(bare):
                bare = CREDIT_PREFIX_RE.sub("", bare)
            credited = credited or bare != token
            if credited and NAME_RE.match(bare) and bare not in names and bare not in NOT_NAMES:
                names.append(bare)
    return names
