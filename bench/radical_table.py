"""Write `newsarchive/data/radicals.json`: each CJK radical code point that a Simplified
Chinese font draws with the very glyph of a unified ideograph, mapped to that ideograph.

    .venv/bin/python -m bench.radical_table [FONT]

Why: a PDF whose font maps one glyph to two code points (民 and the radical ⺠) may name the
radical in its ToUnicode table, and extractors such as pdfminer then give `⼈⺠⽇报` for 人民日报.
The glyph, not a Unicode decomposition, says which character was printed (NFKC has no mapping
for most of the supplement, and maps ⼾ to the traditional 戶 where a Simplified font draws 户).
Needs fontTools (`pip install fonttools`), only to regenerate the table; the table is data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # fonts-noto-cjk
OUT = Path(__file__).resolve().parent.parent / "newsarchive" / "data" / "radicals.json"
RADICALS = range(0x2E80, 0x2FE0)       # CJK Radicals Supplement and Kangxi Radicals
UNIFIED = range(0x4E00, 0xA000)


def radical_table(font_path: Path, family: str = "Noto Sans CJK SC") -> dict[str, str]:
    from fontTools.ttLib import TTCollection
    font = next(f for f in TTCollection(str(font_path)).fonts
                if f["name"].getDebugName(1) == family)
    cmap = font.getBestCmap()
    by_glyph: dict[str, list[int]] = {}
    for code, glyph in cmap.items():
        if code in UNIFIED:
            by_glyph.setdefault(glyph, []).append(code)
    table = {}
    for code, glyph in sorted(cmap.items()):
        same = by_glyph.get(glyph, [])
        if code in RADICALS and len(same) == 1:
            table[chr(code)] = chr(same[0])
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.radical_table", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("font", nargs="?", type=Path, default=DEFAULT_FONT,
                        help="a Noto Sans CJK collection (default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.font.exists():
        print(f"{args.font}: no such font; install fonts-noto-cjk or name the .ttc", file=sys.stderr)
        return 1
    table = radical_table(args.font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"font": f"{args.font.name} (Noto Sans CJK SC)", "map": table},
                              ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} radicals to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
