"""The bench's report: its rows, and the Markdown tables printed at the end of a run."""

from __future__ import annotations

from dataclasses import dataclass

from bench.browser import SearchStats


@dataclass
class BuildRow:
    size: int
    tool: str
    step: str
    seconds: float | None
    peak_mb: float | None
    cpu_seconds: float | None = None
    output_mb: float | None = None
    files: int | None = None
    note: str = ""


@dataclass
class SearchRow:
    size: int
    engine: str
    index_mb: float | None
    stats: SearchStats



def _fmt(value, pattern: str = "{:.2f}") -> str:
    return "n/a" if value is None else pattern.format(value)


def _ratio(ours: float | None, theirs: float | None) -> str:
    return "n/a" if not ours or not theirs else f"{ours / theirs:.2f}×"


def build_table(rows: list[BuildRow]) -> list[str]:
    lines = ["| articles | tool | step | time (s) | CPU (s) | peak memory (MB) | output (MB) | "
             "files | note |", "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        lines.append(f"| {r.size or '-'} | {r.tool} | {r.step} | {_fmt(r.seconds)} | "
                     f"{_fmt(r.cpu_seconds)} | {_fmt(r.peak_mb, '{:.0f}')} | "
                     f"{_fmt(r.output_mb, '{:.1f}')} | {_fmt(r.files, '{}')} | {r.note} |")
    return lines


def search_table(searches: list[SearchRow]) -> list[str]:
    lines = ["| articles | search | index (MB) | first query: KB / page open to result (ms) | "
             "later query KB, median / max | later query p50 / p95 (ms), Chromium | "
             "precision | recall | answered |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for s in searches:
        st = s.stats
        lines.append(
            f"| {s.size} | {s.engine} | {_fmt(s.index_mb)} | {_fmt(st.first_query_kb, '{:.0f}')} / "
            f"{_fmt(st.first_open_ms, '{:.0f}')} | {_fmt(st.later_query_kb, '{:.0f}')} / "
            f"{_fmt(st.later_query_max_kb, '{:.0f}')} | {_fmt(st.p50_ms, '{:.0f}')} / "
            f"{_fmt(st.p95_ms, '{:.0f}')} | {_fmt(st.precision)} | {_fmt(st.recall)} | "
            f"{st.answered}/{st.asked}{' ' + st.error if st.error else ''} |")
    if any(s.engine == "pagefind" for s in searches):
        lines.append("\nPagefind matches whole words from its Chinese segmenter and ranks the "
                     "rest, so against substring truth its precision and recall are low by design.")
    return lines


def node_table(nodes: dict[int, dict]) -> list[str]:
    lines = ["| articles | node, lunr 2.3.9 | queries | load (ms) | query p50 / p95 / max (ms) | "
             "recall | precision | note |", "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for size, node in sorted(nodes.items()):
        ms = node.get("queryMs") or {}
        failures = len(node.get("failures") or [])
        note = node.get("error") or (f"{failures} queries differ from the truth" if failures else "")
        lines.append(
            f"| {size} | ours | {node.get('queries', 'n/a')} | {_fmt(node.get('loadMs'), '{:.0f}')} | "
            f"{_fmt(ms.get('p50'))} / {_fmt(ms.get('p95'))} / {_fmt(ms.get('max'))} | "
            f"{_fmt(node.get('recall'), '{:.3f}')} | {_fmt(node.get('precision'), '{:.3f}')} | {note} |")
    return lines


def ratio_table(rows: list[BuildRow], searches: list[SearchRow]) -> list[str]:
    """Ours divided by the others, each pair measured in this same run on the same corpus."""
    find = {(r.size, r.tool, r.step): r for r in rows}
    ratios = []
    for size in sorted({r.size for r in rows if r.size}):
        for other in ("hugo", "pelican"):
            for step in ("cold", "no-op"):
                ours, theirs = find.get((size, "ours", step)), find.get((size, other, step))
                if ours and theirs:
                    ratios.append(
                        f"| {size} | ours / {other}, {step} | {_ratio(ours.seconds, theirs.seconds)} | "
                        f"{_ratio(ours.cpu_seconds, theirs.cpu_seconds)} | "
                        f"{_ratio(ours.peak_mb, theirs.peak_mb)} | "
                        f"{_ratio(ours.output_mb, theirs.output_mb)} |")
        by_engine = {s.engine: s.stats for s in searches if s.size == size}
        if "ours" in by_engine and "pagefind" in by_engine:
            ours, theirs = by_engine["ours"], by_engine["pagefind"]
            ratios.append(f"| {size} | ours / pagefind, KB loaded: first query / later query | "
                          f"{_ratio(ours.first_query_kb, theirs.first_query_kb)} / "
                          f"{_ratio(ours.later_query_kb, theirs.later_query_kb)} | | | |")
    if not ratios:
        return []
    return ["| articles | ratio | time | CPU | peak memory | output |",
            "| ---: | --- | ---: | ---: | ---: | ---: |", *ratios]


def report(rows: list[BuildRow], searches: list[SearchRow], nodes: dict[int, dict]) -> str:
    """The whole result as Markdown: builds, search, node, ratios side by side, targets."""
    parts = [build_table(rows), search_table(searches) if searches else [],
             node_table(nodes) if nodes else [], ratio_table(rows, searches),
             target_lines(rows, searches, nodes)]
    return "\n\n".join("\n".join(part) for part in parts if part)


def target_lines(rows: list[BuildRow], searches: list[SearchRow], nodes: dict[int, dict]) -> list[str]:
    """Issue 14's targets against what this run measured, per corpus size: met, or by how much
    not."""
    find = {(r.size, r.tool, r.step): r for r in rows}
    lines = ["| articles | target | measured | met? |", "| ---: | --- | ---: | --- |"]

    def check(size: int, name: str, value: float | None, limit: float, unit: str) -> None:
        if value is None:
            verdict, shown = "n/a", "n/a"
        else:
            shown = f"{value:.2f} {unit}".strip()
            verdict = "yes" if value <= limit else f"no: {value / limit:.1f}× the limit"
        lines.append(f"| {size} | {name} | {shown} | {verdict} |")

    def seconds(size: int, tool: str, step: str) -> float | None:
        row = find.get((size, tool, step))
        return row.seconds if row else None

    for size in sorted({r.size for r in rows if r.size and r.tool == "ours"}):
        ours_cold, hugo_cold = seconds(size, "ours", "cold"), seconds(size, "hugo", "cold")
        check(size, "cold build ≤ Hugo's (ours / Hugo)",
              ours_cold / hugo_cold if ours_cold and hugo_cold else None, 1.0, "×")
        check(size, "no-op rebuild ≤ 0.5 s", seconds(size, "ours", "no-op"), 0.5, "s")
        check(size, "edit visible through serve < 0.5 s",
              seconds(size, "ours", "serve: edit visible"), 0.5, "s")
        check(size, "a new day's issue < 2 s", seconds(size, "ours", "add a day"), 2.0, "s")
        check(size, "the next day's issue < 2 s", seconds(size, "ours", "add the next day"),
              2.0, "s")
        peaks = [r.peak_mb for r in rows if r.size == size and r.tool == "ours" and r.peak_mb]
        check(size, "peak memory ≤ 1.5 GB", max(peaks) if peaks else None, 1536, "MB")
        index_mb = {s.engine: s.index_mb for s in searches if s.size == size}
        if index_mb.get("ours") and index_mb.get("pagefind"):
            check(size, "search data ≤ 1.5× Pagefind's index",
                  index_mb["ours"] / index_mb["pagefind"], 1.5, "×")
        stats = next((s.stats for s in searches if s.size == size and s.engine == "ours"), None)
        if stats is not None:
            check(size, "first query loads ≤ 300 KB", stats.first_query_kb, 300, "KB")
            check(size, "a later query loads ≤ 100 KB", stats.later_query_kb, 100, "KB")
            check(size, "query p95 ≤ 50 ms in Chromium, file://", stats.p95_ms, 50, "ms")
        node = nodes.get(size) or {}
        for key in ("recall", "precision"):
            value = node.get(key)
            lines.append(f"| {size} | {key} 1.0 (node, generated queries) | "
                         f"{_fmt(value, '{:.3f}')} | "
                         f"{'n/a' if value is None else 'yes' if value == 1 else 'no'} |")
    return lines


