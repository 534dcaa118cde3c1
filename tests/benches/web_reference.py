#!/usr/bin/env python3
"""Scores trafilatura on the web benchmark's pages, as tests/core/web_extraction.rs scores
Claimmark: token F1 of the extracted text against each page's reference text (NAME.txt beside
NAME.html), with the same tokeniser, then the median and the mean.

A measurement for the README, not a test: it needs trafilatura (pip install trafilatura
lxml_html_clean, in a virtual environment of your own) and is not run by CI.

    python tests/benches/web_reference.py tests/fixtures/web
    python tests/benches/web_reference.py tests/fixtures/web --claimmark target/debug/claimmark

trafilatura runs with its defaults except comments: extract(html, include_comments=False),
so include_tables=True, favor_precision=False, favor_recall=False, fast=False (its fallback
extractors on), output txt. Its text has no headline, so the title trafilatura itself finds
(`bare_extraction(..., with_metadata=True).title`) is put first, as Claimmark puts its headline first; --no-title
scores the body alone. --claimmark scores `claimmark show PAGE --format text` too, so the two
tokenisers can be checked against each other.
"""

import argparse
import statistics
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

# Scripts written without spaces between words: each character is a token.
UNSPACED = [
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width katakana
    (0x20000, 0x3FFFF),  # CJK extensions B-H
]


def is_unspaced(c):
    o = ord(c)
    return any(lo <= o <= hi for lo, hi in UNSPACED)


def is_word_char(c):
    # Letters, marks and numbers: general categories L*, M*, N*.
    return unicodedata.category(c)[0] in "LMN"


def tokens(text):
    out, word = [], []
    for c in text:
        if is_unspaced(c):
            if word:
                out.append("".join(word).lower())
                word = []
            out.append(c)
        elif is_word_char(c):
            word.append(c)
        elif word:
            out.append("".join(word).lower())
            word = []
    if word:
        out.append("".join(word).lower())
    return out


def score(got, want):
    got, want = tokens(got), tokens(want)
    shared = sum((Counter(got) & Counter(want)).values())
    if shared == 0:
        return 0.0, 0.0, 0.0
    p, r = shared / len(got), shared / len(want)
    return p, r, 2 * p * r / (p + r)


def trafilatura_text(html, with_title):
    import trafilatura

    text = trafilatura.extract(html, include_comments=False) or ""
    if with_title:
        doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
        title = getattr(doc, "title", None) if doc is not None else None
        if title:
            text = title + "\n\n" + text
    return text


def claimmark_text(binary, page):
    out = subprocess.run(
        [binary, "show", str(page), "--format", "text"], capture_output=True, check=False
    )
    return out.stdout.decode("utf-8") if out.returncode == 0 else ""


def report(name, rows):
    print(f"\n{name}")
    print(f"{'page':<32} {'prec':>6} {'recall':>6} {'F1':>6}")
    for page, (p, r, f) in rows:
        print(f"{page:<32} {p:6.3f} {r:6.3f} {f:6.3f}")
    f1s = [f for _, (_, _, f) in rows]
    print(
        f"{len(f1s)} pages: median F1 {statistics.median(f1s):.3f}, "
        f"mean F1 {statistics.fmean(f1s):.3f}"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--no-title", action="store_true")
    ap.add_argument("--claimmark", help="path to the claimmark binary, to score it too")
    args = ap.parse_args()
    pages = sorted(args.folder.glob("*.html"))
    if not pages:
        sys.exit(f"no .html pages in {args.folder}")
    extractors = {"trafilatura": lambda p: trafilatura_text(p.read_bytes(), not args.no_title)}
    if args.claimmark:
        extractors["claimmark"] = lambda p: claimmark_text(args.claimmark, p)
    for name, run in extractors.items():
        rows = []
        for page in pages:
            want = page.with_suffix(".txt").read_text(encoding="utf-8")
            rows.append((page.stem, score(run(page), want)))
        report(name, rows)


if __name__ == "__main__":
    main()
