"""Command line: `python build.py [ingest|build|serve|check]`, tested through `main(argv)`."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .config import load_config
from .errors import ArchiveError

DESCRIPTION = """\
报刊档案 newsarchive: turn a newspaper's pages (page texts or the PDFs themselves) into a
browsable, searchable archive.

The pipeline runs in one direction:
  seeds/*.txt, *.pdf  --ingest-->  content/*.md  --build-->  _site/  (pages + search index)

Run with no command to ingest and then build. Every command reads site.yaml (or --config FILE).
Exit status: 0 success, 1 bad input or a failed build (the message names the file), 2 wrong usage.
"""

EPILOG = """\
examples:
  python build.py                      ingest seeds/ and build _site/
  python build.py ingest --seeds in/   only turn page texts and PDFs into content/*.md
  python build.py build --out public/  only render content/ into public/
  python build.py serve --port 8001    preview with live reload at http://127.0.0.1:8001/
  python build.py check                verify every link of the built site
  python build.py COMMAND --help       the options of one command
"""


def _common_options(suppress: bool) -> argparse.ArgumentParser:
    """Options valid before and after the command; after it, only given ones override."""
    common = argparse.ArgumentParser(add_help=False)
    default = (lambda value: argparse.SUPPRESS) if suppress else (lambda value: value)
    common.add_argument("--config", metavar="FILE", default=default("site.yaml"),
                        help="the site configuration to use (default: site.yaml)")
    common.add_argument("-v", "--verbose", action="store_true", default=default(False),
                        help="show a full traceback when something fails (for bug reports)")
    common.add_argument("-q", "--quiet", action="store_true", default=default(False),
                        help="no progress bars or per-page listings; errors and summary only")
    return common


def _folder_options(suppress: bool) -> tuple[argparse.ArgumentParser, ...]:
    default = argparse.SUPPRESS if suppress else None
    seeds = argparse.ArgumentParser(add_help=False)
    seeds.add_argument("--seeds", metavar="DIR", type=Path, default=default,
                       help="folder of page texts (*.txt) and PDF pages (*.pdf), optional "
                            "manifest.yaml; default: seeds/")
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument("--content", metavar="DIR", type=Path, default=default,
                         help="folder of article Markdown files; default: content/")
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("--out", metavar="DIR", type=Path, default=default,
                     help="folder of the built site; default: 'output' in site.yaml (_site/)")
    return seeds, content, out


def _parser() -> argparse.ArgumentParser:
    top, common = _common_options(False), _common_options(True)
    seeds, content, out = _folder_options(False)
    sub_seeds, sub_content, sub_out = _folder_options(True)

    parser = argparse.ArgumentParser(
        prog="build.py", description=DESCRIPTION, epilog=EPILOG, parents=[top, seeds, content, out],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter
    sub.add_parser(
        "ingest", parents=[common, sub_seeds, sub_content], formatter_class=raw,
        help="page texts and PDFs (seeds/) -> one Markdown file per article (content/)",
        description="Read every page text in the seeds folder, repair the extraction artifacts\n"
                    "(wrapped lines, justification spaces, doubled bold text, headlines out of\n"
                    "place), split each page into articles and write one Markdown file per article.\n"
                    "A PDF page is read with its type sizes and positions: headlines, columns,\n"
                    "rules and boxes give the articles and where each is printed (page_box); a\n"
                    "scanned, encrypted or damaged PDF is refused by name (no OCR).\n"
                    "Files you edited by hand are never overwritten; files of articles that are\n"
                    "gone from the seeds are removed only if nobody edited them. Prints, per page,\n"
                    "the articles found and how many Chinese characters were accounted for.")
    sub.add_parser(
        "build", parents=[common, sub_content, sub_out], formatter_class=raw,
        help="content/ -> the static site with its search index (_site/)",
        description="Render every article, topic, tag, reporter, place and date page, the Atom\n"
                    "feed, the sitemap and the search index into the output folder. The site is\n"
                    "written to a temporary folder and swapped in only when the whole build\n"
                    "succeeded, so a failed build leaves the previous site untouched.\n"
                    "Rebuilds are incremental: only pages whose inputs changed are rendered\n"
                    "(.newsarchive-cache/ remembers; delete it for a cold build), and the site\n"
                    "it replaced is kept beside it as .site-spare-NAME/ to build the next in.")
    serve = sub.add_parser(
        "serve", parents=[common, sub_seeds, sub_content, sub_out], formatter_class=raw,
        help="build, serve on http://127.0.0.1:8000/, rebuild and reload on every change",
        description="Build the site, serve it on loopback, watch seeds/, content/, templates/,\n"
                    "static/ and site.yaml, rebuild what a change affects and reload the browser.\n"
                    "A failed rebuild shows its error in the browser and keeps serving the last\n"
                    "good build. Stop with Ctrl-C.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; others expose the preview)")
    serve.add_argument("--port", type=int, default=8000,
                       help="port to try first; the next free one is used if it is taken")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    sub.add_parser(
        "check", parents=[common, sub_out], formatter_class=raw,
        help="verify a built site: every link, asset and #fragment resolves",
        description="Check every href and src of every page of the built site: each must name a\n"
                    "file that exists, and each #fragment an element id on that page. Also checks\n"
                    "that the search data loads. Exit 1 with the list of breakages.")
    return parser


def _run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    seeds_dir = args.seeds if getattr(args, "seeds", None) else config.root / "seeds"
    content_dir = args.content if getattr(args, "content", None) else config.root / "content"
    out_dir = args.out if getattr(args, "out", None) else config.output
    quiet = args.quiet
    command = args.command
    if command in (None, "ingest"):
        from .ingest import ingest_seeds
        report = ingest_seeds(config, seeds_dir, content_dir, quiet=quiet)
        print(report.summary())
        if command == "ingest":
            return 1 if report.failed else 0
    if command in (None, "build"):
        from .build import build_site
        report = build_site(config, content_dir, out_dir, quiet=quiet)
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(report.summary())
        return 0
    if command == "check":
        from .check import check_site
        problems = check_site(out_dir)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"check: {len(problems)} problem(s) in {out_dir}" if problems
              else f"check: every link in {out_dir} resolves")
        return 1 if problems else 0
    if command == "serve":
        from .serve import serve
        return serve(config, seeds_dir, content_dir, out_dir, host=args.host, port=args.port,
                     open_browser=args.open)
    raise AssertionError(command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status instead of raising."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help exits 0, usage errors exit 2
        return int(exc.code or 0)
    try:
        return _run(args)
    except ArchiveError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 1
