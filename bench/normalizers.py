"""Normalizer time against input length: each normalizer must grow linearly, never quadratically.

    python -m bench.normalizers [--sizes 1000,10000,100000] [--repeat 3]

For each normalizer that reads page text (normalize_byline, normalize_copyright, normalize_date,
clean_blocks) and for extract_article on a page whose <meta name=author> holds the long string,
times inputs of growing length built from several shapes (names and separators, one long word,
digits, initials, repeated notices, accented text, ...). Prints the worst time per size and the
growth ratio between the two largest sizes: about 10 for a tenfold size step is linear, about 100
is quadratic. Best of `--repeat` runs, since the machine is shared. Writes bench/out/normalizers.json.
Targets: every ratio below 20 (some room for noise), and under 50 ms for a 100 KB string passed
to a normalizer (the whole-page line is held to linearity only). Warm-up runs first, so that
imports and compiled patterns are not timed.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "normalizers.json"

# Shapes of hostile or merely long input; each is repeated up to the wanted length.
SHAPES = {
    "names": "Jane Doe, John Smith and Ann Lee | ",
    "one-word": "abcdefghij",
    "digits": "1234567890",
    "initials": "A. ",
    "notices": "© 2021 ACME Inc. ",
    "rights": "xall rights reserved ",
    "accented": "é ü ß ",
    "byline": "By Jane Doe | Updated 3 hours ago (AP) with ",
    "dots-at": "a.b.c.d.e@",
    "spaces": " \u00a0\t",
}


def _normalizers():
    from newsarchive.extract import extract_article
    from newsarchive.normalize.byline import normalize_byline
    from newsarchive.normalize.copyright import normalize_copyright
    from newsarchive.normalize.dates import normalize_date
    from newsarchive.normalize.text import clean_blocks

    def page_with_long_author(text: str):
        attr = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        body = (f'<html><head><meta name="author" content="{attr}"><title>T</title></head>'
                f"<body><h1>T</h1><p>{'Plain words in a paragraph. ' * 20}</p><footer>{attr[:2000]}</footer>"
                "</body></html>").encode("utf-8")
        return extract_article(body, "https://bench.test/a")

    return {
        "normalize_byline": normalize_byline,
        "normalize_copyright": normalize_copyright,
        "normalize_date": normalize_date,
        "clean_blocks": lambda text: clean_blocks([text]),
        "extract_article(meta author)": page_with_long_author,
    }


def _time(fn, text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    status = 0
    print(f"{'normalizer':30} " + " ".join(f"{s:>10,}" for s in sizes) + "   ratio  worst shape")
    for name, fn in _normalizers().items():
        for unit in SHAPES.values():  # warm-up: imports, compiled patterns, caches
            fn(unit * 3)
        worst: dict[int, tuple[float, str]] = {}
        for size in sizes:
            for shape, unit in SHAPES.items():
                text = (unit * (size // len(unit) + 1))[:size]
                seconds = _time(fn, text, args.repeat)
                if seconds > worst.get(size, (0.0, ""))[0]:
                    worst[size] = (seconds, shape)
        ratio = worst[sizes[-1]][0] / max(worst[sizes[-2]][0], 1e-6) if len(sizes) > 1 else 1.0
        step = sizes[-1] / sizes[-2] if len(sizes) > 1 else 1.0
        linear = ratio <= 2 * step
        # The 50 ms bound is for the normalizers; a whole page (parse, body, dates) is held to linearity.
        fast = worst[sizes[-1]][0] <= 0.05 or sizes[-1] < 100_000 or name.startswith("extract_article")
        status |= not (linear and fast)
        results[name] = {"sizes": sizes, "worst_ms": [round(worst[s][0] * 1000, 2) for s in sizes],
                         "worst_shape": [worst[s][1] for s in sizes], "ratio_last_step": round(ratio, 2),
                         "linear": linear, "under_50ms_at_100k": fast}
        print(f"{name:30} " + " ".join(f"{worst[s][0] * 1000:8.1f}ms" for s in sizes)
              + f"  {ratio:6.1f}  {worst[sizes[-1]][1]}" + ("" if linear and fast else "   <-- over target"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(f"size step {sizes[-1] / sizes[-2]:.0f}x: a linear normalizer's ratio is about that; wrote {OUT}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
