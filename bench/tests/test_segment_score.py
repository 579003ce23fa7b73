"""The segmenter's scorer: each metric on tiny hand-made truth/segment pairs (it must be able to
fail and to pass), the CLI on a hand-made corpus, and the committed CI corpus if there is one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bench import segment_score as ss
from newsarchive.model import PageSplit, Segment

ROOT = Path(__file__).resolve().parents[2]
CI_CORPUS = ROOT / "tests" / "fixtures" / "pagecorpus"

A = {"n": 1, "title": "去年我国GDP增长5.2%", "kicker": "国家统计局发布数据显示",
     "subtitle": "经济回升向好高质量发展扎实推进", "byline": "本报北京1月19日电（记者吴秋余）",
     "reporters": ["吴秋余"], "continues": None, "continued_from": None,
     "kinds": ["kicker-dash", "dateline"],
     "paragraphs": ["国家统计局17日发布数据，初步核算，国内生产总值比上年增长5.2%。",
                    "分季度看，一季度增长4.5%，二季度增长6.3%。四季度增长5.2%。",
                    "有关负责人表示，“今年经济有望保持回升向好态势。”"]}
B = {"n": 2, "title": "上海口岸出入境人员突破千万人次", "kicker": None, "subtitle": None,
     "byline": "本报上海1月19日电（记者谢卫群）", "reporters": ["谢卫群"], "continues": None,
     "continued_from": None, "kinds": ["dateline"],
     "paragraphs": ["记者从上海边检总站获悉，出入境人员突破1000万人次！",
                    "据介绍，上海边检总站推出多项举措？旅客平均候检时间不超过30分钟。"]}
TRUTH = {"name": "t0001", "split": "dev", "date": "2024-01-20", "date_printed": True,
         "page_label": "04", "articles": [A, B], "banners": [], "furniture": [], "captions": []}


def page_text(truth: dict = TRUTH) -> str:
    """A page text as an extractor might give it: headline lines, byline, lines cut at 16."""
    out = []
    for art in truth["articles"]:
        out += [x for x in (art["kicker"], art["title"],
                            "——" + art["subtitle"] if art["subtitle"] else None) if x]
        out.append("")
        text = art["byline"] + " " + art["paragraphs"][0]
        out += [text[i:i + 16] for i in range(0, len(text), 16)]
        for para in art["paragraphs"][1:]:
            out += [""] + [para[i:i + 16] for i in range(0, len(para), 16)]
        out.append("")
    return "\n".join(out)


def seg(art: dict, paragraphs=None, **changes) -> Segment:
    """The segment a perfect segmenter gives for a true article, with some fields changed."""
    fields = dict(title=art["title"], kicker=art["kicker"], subtitle=art["subtitle"],
                  byline=art["byline"], reporters=list(art["reporters"]),
                  body="\n\n".join(paragraphs if paragraphs is not None else art["paragraphs"]))
    fields.update(changes)
    return Segment(**fields)


def score(*segments: Segment, truth: dict = TRUTH, date=None) -> ss.PageScore:
    return ss.score_split(page_text(truth), truth, PageSplit(list(segments)), date=date,
                          conservation=(10, 10))


@pytest.mark.parametrize("paragraph, expected", [
    ("一句。二句！三句？", ["一句。", "二句！", "三句？"]),
    ("他说：“好。”然后走了", ["他说：“好。”", "然后走了"]),
    ("真的？！ 是 的。", ["真的？！", "是的。"]),
    ("（完）。", ["（完）。"]),
    ("", []),
])
def test_sentences(paragraph, expected):
    assert ss.sentences(paragraph) == expected


def test_body_paragraphs_split_headings():
    body = "第一段。\n\n## 小标题\n第二段\n接着。\n\n"
    assert ss.body_paragraphs(body) == [("第一段。", False), ("小标题", True),
                                        ("第二段\n接着。", False)]


def test_perfect_split_scores_one():
    page = score(seg(A), seg(B))
    summary = ss.summarise([page], kinds=True)
    for key in ("found_exactly", "segmentation", "exact_title", "exact_kicker", "exact_subtitle",
                "exact_byline", "exact_reporters"):
        assert summary[key]["value"] == 1.0, key
    assert summary["spurious_kicker"]["count"] == 0
    assert summary["interleaved_bodies"]["count"] == 0
    assert summary["spurious_spaces"]["count"] == 0
    assert summary["mid_sentence_paragraphs"]["count"] == 0
    assert summary["unmatched_segments"]["count"] == 0
    assert summary["kinds"]["dateline"]["articles"] == 2
    assert summary["kinds"]["kicker-dash"]["found_exactly"]["value"] == 1.0


def test_merged_pair_halves_segmentation():
    merged = seg(A, A["paragraphs"] + B["paragraphs"])
    page = score(merged)
    a, b = page.articles
    assert (a.matched, b.matched) == (0, 0)
    assert a.a == 1.0 and a.b == pytest.approx(4 / 7)  # 4 of the 7 sentences are A's
    assert b.a == 1.0 and b.segmentation == pytest.approx(3 / 7)
    assert not a.found and not b.found                 # A's last sentence is now B's
    assert ss.summarise([page])["segmentation"]["value"] == pytest.approx(0.5)


def test_split_article_loses_half():
    first, second = seg(A, A["paragraphs"][:1]), seg(A, A["paragraphs"][1:], title="分季度看")
    page = score(first, second, seg(B))
    art = page.articles[0]
    assert art.matched == 1                            # 3 of its 4 sentences are in the second
    assert art.segmentation == pytest.approx(3 / 4) and not art.found
    assert page.unmatched_segments == 1


def test_ties_go_to_the_earlier_segment():
    # 2 sentences against 2: the earlier segment
    page = score(seg(A, A["paragraphs"][1:2]), seg(A, A["paragraphs"][0:1] + A["paragraphs"][2:]))
    assert page.articles[0].matched == 0
    # 1 against 3: the later one
    page = score(seg(A, A["paragraphs"][0:1]), seg(A, A["paragraphs"][1:]))
    assert page.articles[0].matched == 1


@pytest.mark.parametrize("changes, field, ok", [
    ({"title": "去年我国GDP增长 5.2%"}, "title", True),        # whitespace is ignored
    ({"title": "去年我国GDP增长5.2"}, "title", False),
    ({"subtitle": "——经济回升向好高质量发展扎实推进"}, "subtitle", True),  # leading dashes
    ({"subtitle": None}, "subtitle", False),
    ({"kicker": "国家统计局发布数据"}, "kicker", False),
    ({"byline": "本报北京1月19日电 （记者 吴秋余）"}, "byline", True),
    ({"byline": "（记者吴秋余）"}, "byline", False),
    ({"reporters": ["吴 秋余"]}, "reporters", True),
    ({"reporters": ["吴秋余", "张三"]}, "reporters", False),
])
def test_fields(changes, field, ok):
    assert score(seg(A, **changes), seg(B)).articles[0].ok[field] is ok


@pytest.mark.parametrize("changes, spurious", [
    ({}, False), ({"kicker": ""}, False), ({"kicker": "本报讯"}, True),
])
def test_spurious_kicker(changes, spurious):
    page = score(seg(A), seg(B, **changes))
    assert page.articles[1].spurious["kicker"] is spurious
    assert page.articles[1].ok["kicker"] is not spurious   # None and "" are the same
    summary = ss.summarise([page])
    assert summary["exact_kicker_when_present"]["of"] == 1
    assert summary["spurious_kicker"] == {"value": float(spurious), "count": int(spurious), "of": 1}


def test_interleaved_body_is_detected():
    body = [A["paragraphs"][0], B["paragraphs"][0], A["paragraphs"][1], A["paragraphs"][2]]
    page = score(seg(A, body), seg(B, B["paragraphs"][1:]))
    assert page.interleaved == 1
    # the same sentences, A's then B's, are merged but not interleaved
    page = score(seg(A, A["paragraphs"] + B["paragraphs"][:1]), seg(B, B["paragraphs"][1:]))
    assert page.interleaved == 0


@pytest.mark.parametrize("changes, count", [
    ({"title": "去年我国 GDP增长5.2%"}, 0),                # Han then Latin: not counted
    ({"title": "上海口岸 出入境人员突破千万人次"}, 1),
    ({"kicker": "国家统计局\u3000\u3000发布数据显示"}, 2),
    ({"body": "记者从上海边检总站获悉，出入境人员突破1000万人次！\n\n据介绍，上海边检 总站推出"
              "多项举措？旅客平均候检时间不超过30分钟。"}, 1),
    ({"body": "记者从上海边检总站获悉，出入境人员突破1000万\n人次！"}, 0),  # newline, not space
])
def test_spurious_spaces(changes, count):
    assert score(seg(A), seg(B, **changes)).spurious_spaces == count


def test_paragraph_ending_mid_sentence():
    cut = ["国家统计局17日发布数据，初步核算，", "国内生产总值比上年增长5.2%。"] + A["paragraphs"][1:]
    page = score(seg(A, cut), seg(B))
    assert (page.mid_sentence, page.paragraphs) == (1, 6)
    assert ss.summarise([page])["mid_sentence_paragraphs"]["value"] == pytest.approx(1 / 6)
    # a paragraph that ends without punctuation where the truth's does is not counted
    truth = json.loads(json.dumps(TRUTH))
    truth["articles"][1]["paragraphs"][1] = "据介绍，上海边检总站推出多项举措（下转8版"
    page = score(seg(A), seg(B, truth["articles"][1]["paragraphs"]), truth=truth)
    assert page.mid_sentence == 0
    # nor a section heading
    page = score(seg(A, ["## 分季度看"] + A["paragraphs"]), seg(B))
    assert page.mid_sentence == 0


def test_headings_in_both_match():
    truth = json.loads(json.dumps(TRUTH))
    truth["articles"][0]["paragraphs"].insert(1, "## 经济回升")
    page = score(seg(truth["articles"][0]), seg(B), truth=truth)
    assert page.articles[0].segmentation == 1.0 and page.articles[0].found


def test_unmatched_article_scores_zero():
    page = score(seg(A))
    assert page.articles[1].matched is None
    assert page.articles[1].segmentation == 0 and not page.articles[1].found
    assert not any(page.articles[1].ok.values())


def test_review_flags():
    flagged_wrong = seg(A, title="分季度看")
    flagged_wrong.review = ["title may be a section heading"]
    right = seg(B)
    right.review = []
    s = ss.summarise([score(flagged_wrong, right)])
    assert s["review_catch"] == {"value": 1.0, "count": 1, "of": 1}
    assert s["review_false_flag"] == {"value": 0.0, "count": 0, "of": 1}
    right.review = ["unsure"]
    s = ss.summarise([score(seg(A, title="x"), right)])
    assert s["review_catch"]["value"] == 0.0 and s["review_false_flag"]["value"] == 1.0


def test_review_catch_among_recovered_leaves_out_articles_no_segment_holds():
    """B comes out as no article at all (wrong, and nothing to flag); A comes out wrong, flagged."""
    flagged_wrong = seg(A, title="分季度看")
    flagged_wrong.review = ["headline-weak"]
    s = ss.summarise([score(flagged_wrong)])
    assert s["review_catch"] == {"value": 0.5, "count": 1, "of": 2}
    assert s["review_catch_recovered"] == {"value": 1.0, "count": 1, "of": 1}


def test_dates():
    pages = [score(seg(A), date=dt.date(2024, 1, 20)),
             score(seg(A), date=dt.date(2024, 1, 19)),
             score(seg(A), date=None, truth={**TRUTH, "date_printed": False})]
    d = ss.summarise(pages)["dates"]
    assert d["all"]["given"]["count"] == 2 and d["all"]["undated"]["count"] == 1
    assert d["all"]["right_when_given"]["value"] == 0.5
    assert d["printed"]["pages"] == 2 and d["not_printed"]["undated"]["value"] == 1.0


def test_score_page_runs_the_segmenter():
    page = ss.score_page(page_text(), TRUTH)
    assert page.accounted <= page.total and page.total > 0 and page.ms > 0
    assert page.segments >= 1 and len(page.articles) == 2
    summary = ss.summarise([page], kinds=True)
    for path, value in ss.values(summary):
        assert 0 <= value <= 1, path


# --- The CLI on a hand-made corpus ---

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pagecorpus")
    pages = [("p0001", "dev"), ("p0002", "dev"), ("p0003", "test")]
    for name, split in pages:
        truth = {**TRUTH, "name": name, "split": split}
        (root / f"{name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False), "utf-8")
        for extractor in ss.EXTRACTORS:
            text = page_text(truth)
            if extractor == "raw":                     # spaced-out justification
                text = text.replace("边检总站", "边 检 总 站")
            (root / f"{name}.{extractor}.txt").write_text(text, encoding="utf-8")
    (root / "INDEX.json").write_text(json.dumps({"pages": [n for n, _ in pages]}), "utf-8")
    return root


@pytest.mark.parametrize("args, what", [
    (["--split", "test", "--show-worst", "3"], "--show-worst"),
    (["--page", "p0003"], "--page"),
])
def test_test_split_is_never_debugged(corpus, capsys, args, what):
    assert ss.main([str(corpus), *args]) == 2
    err = capsys.readouterr().err
    assert what in err and "test split" in err


def test_cli_table_kinds_worst_and_json(corpus, capsys, tmp_path):
    out = tmp_path / "scores.json"
    assert ss.main([str(corpus), "--split", "all", "--kinds", "--show-worst", "2",
                    "--json", str(out), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "found exactly" in printed and "pdfminer" in printed and "dateline" in printed
    assert "worst 2 dev articles" in printed and "p0003" not in printed.split("worst")[1]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["splits"] == ["dev", "test", "all"]
    assert data["summaries"]["raw"]["dev"]["pages"] == 2
    assert data["summaries"]["raw"]["test"]["pages"] == 1
    for extractor in ss.EXTRACTORS:
        for path, value in ss.values(data["summaries"][extractor]["all"]):
            assert 0 <= value <= 1, (extractor, path)


def test_cli_page(corpus, capsys):
    assert ss.main([str(corpus), "--page", "p0001", "--extractor", "pdftotext"]) == 0
    printed = capsys.readouterr().out
    assert "[pdftotext] p0001" in printed and A["title"] in printed


def test_help_explains_options(capsys):
    with pytest.raises(SystemExit):
        ss.main(["--help"])
    text = capsys.readouterr().out
    for option in ("--split", "--extractor", "--kinds", "--json", "--show-worst", "--page"):
        assert option in text


# --- The committed CI corpus ---

@pytest.mark.skipif(not any(CI_CORPUS.glob("*.truth.json")),
                    reason="no committed page corpus at tests/fixtures/pagecorpus yet")
def test_ci_corpus():
    truths = ss.load_truths(CI_CORPUS)
    scored = ss.score_corpus(CI_CORPUS, truths, list(ss.EXTRACTORS), jobs=2)
    for extractor, pages in scored.items():
        if not pages:
            continue
        summary = ss.summarise(pages, kinds=True)
        assert summary["conservation"]["value"] >= 0.995, extractor
        for path, value in ss.values(summary):
            assert 0 <= value <= 1, (extractor, path)


# Floors under the segmenter on the committed CI set (all pages), per extractor: set a little
# under what it scores, so that a change that makes recovery worse fails here. The raw text's
# floors guard the reading of headlines listed after the stories (segment/listed.py).
# (Session 9, all 91 articles: pdftotext found exactly 26.4%, segmentation 0.492, titles 25.3%;
# raw 41.8%, 0.751, 48.4%. Session 10: pdftotext 27.5%, 0.495, 25.3%; raw 46.2%, 0.803, 49.5%.)
CI_FLOORS = {"pdftotext": {"found_exactly": 0.23, "segmentation": 0.45, "exact_title": 0.21,
                           "review_catch": 0.45},
             "raw": {"found_exactly": 0.41, "segmentation": 0.75, "exact_title": 0.44,
                     "review_catch": 0.35}}
# … and ceilings: the review list must not fill with right articles (raw: 8% on this set).
CI_CEILINGS = {"raw": {"review_false_flag": 0.25}}


@pytest.mark.parametrize("extractor", sorted(CI_FLOORS))
def test_ci_corpus_scores_stay_above_their_floors(extractor):
    truths = ss.load_truths(CI_CORPUS)
    if not truths:
        pytest.skip("no committed page corpus")
    summary = ss.summarise(ss.score_corpus(CI_CORPUS, truths, [extractor], jobs=1)[extractor])
    for name, floor in CI_FLOORS[extractor].items():
        assert summary[name]["value"] >= floor, (name, summary[name])
    for name, ceiling in CI_CEILINGS.get(extractor, {}).items():
        assert summary[name]["value"] <= ceiling, (name, summary[name])
    assert summary["conservation"]["value"] == 1.0
    # A date is given only from a printed header, so none of the undated pages gets one.
    assert summary["dates"]["not_printed"]["pages"] > 0
    assert summary["dates"]["not_printed"]["given"]["count"] == 0
