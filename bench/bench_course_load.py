"""How long loading and validating courses takes, and how much memory the library holds.

    python bench/bench_course_load.py [--runs 3]

Figures: the shipped courses/ (target < 1 s) and a generated corpus of 50 courses x 8 modules x 3 languages
(target < 5 s). Baselines from the same run: reading the same files' bytes, and also YAML-parsing their
front matter, so that the engine's own cost is visible. Every figure is the best and the median of the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lumos_learn.content import check_courses  # noqa: E402

MODULE = """\
---
title: "Module {n} of course {c} ({lang})"
minutes: 30
objectives:
  - "Recognise the situation described in case {n}."
  - "Act on it with the team, following the plan."
graded: {graded}
---

## Why it matters

Children in residential care need **consistent** adults. This module explains *why* and what to do[^1].
See also [the previous module]({link}).

| Sign | What to do |
|:--|:--|
| Weight loss | Tell the nurse the same day |
| Coughing at meals | Stop, sit upright, call for help |

!!! case "Case study: Maria, 7"
    Maria moved from an institution to a foster family. Her carers noticed she ate very fast.

!!! key "Key points"
    - Observe before acting.
    - Record what you see.

### In practice

Term
:   A definition of the term, in a sentence or two.

{paragraphs}

## Sources
- Author, *Title*, Publisher, 2024.

[^1]: A footnote with a source.

```quiz
::c{c}-m{n}-mc::Which is the *safest* first step? {{
  =Observe and record #Right: you need facts first.
  ~Change everything at once #No: one change at a time.
  ~Wait and see #Waiting can harm the child.
  ####Observation comes first.
}}

::c{c}-m{n}-ma::Which are signs of dehydration? {{~%50%Dark urine ~%50%Dry lips ~%-100%Laughing}}

::c{c}-m{n}-tf::A child who coughs while eating is always fine. {{F #Coughing can be a sign of aspiration. #Right.}}

::c{c}-m{n}-num::How many minutes should a meal last at most? {{#30:5}}

::c{c}-m{n}-match::Match the level to its texture. {{
  =Level 4 -> Pureed
  =Level 5 -> Minced and moist
  =Level 6 -> Soft and bite-sized
}}

::c{c}-m{n}-essay::What will you change in your practice? {{}}
```
"""

PARAGRAPH = (
    "Mealtimes are a time for communication as much as for food. A carer who sits at the child's eye level, "
    "offers small amounts and waits for the child to be ready makes eating safer and more pleasant. "
)


def write_corpus(root: Path, courses: int = 50, modules: int = 8, languages=("en", "ro", "bg")) -> int:
    files = 0
    for c in range(courses):
        folder = root / f"course-{c:02d}"
        folder.mkdir(parents=True)
        slugs = [f"topic-{n}" for n in range(1, modules + 1)]
        titles = ", ".join(f'{lang}: "Course {c}"' for lang in languages)
        yml = (
            f'slug: course-{c:02d}\nversion: "2026.1"\nsource_language: {languages[0]}\n'
            f"languages: [{', '.join(languages)}]\ntitle: {{{titles}}}\nsummary: {{{titles}}}\n"
            f"audience: {{{titles}}}\nhours: 10\npass_mark: 80\nmodules:\n" + "".join(f"  - {s}\n" for s in slugs)
        )
        (folder / "course.yml").write_text(yml, encoding="utf-8")
        files += 1
        for n, slug in enumerate(slugs, start=1):
            link = f"{max(1, n - 1):02d}-{slugs[max(0, n - 2)]}.md"
            for lang in languages:
                text = MODULE.format(
                    n=n,
                    c=c,
                    lang=lang,
                    graded="true" if n == modules else "false",
                    link=link,
                    paragraphs="\n\n".join(PARAGRAPH * 3 for _ in range(6)),
                )
                (folder / f"{n:02d}-{slug}.{lang}.md").write_text(text, encoding="utf-8")
                files += 1
    return files


def read_bytes(root: Path) -> int:
    return sum(len(p.read_bytes()) for p in root.rglob("*") if p.suffix in (".md", ".yml"))


def read_and_parse_yaml(root: Path) -> int:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # a safe loader, as the engine uses
    count = 0
    for path in root.rglob("*"):
        if path.suffix not in (".yml", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = text.removeprefix("---\n").split("\n---\n", 1)[0]
        # files being written may be broken; the baseline still did the work
        with contextlib.suppress(yaml.YAMLError):
            yaml.load(text, Loader=loader)  # noqa: S506
        count += 1
    return count


def timed(fn, root: Path, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn(root)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def rss_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(root: Path) -> tuple[float, float, float]:
    """(tracemalloc peak MiB while loading, MiB still held by the result, RSS growth MiB)."""
    gc.collect()
    rss_before = rss_kib()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = _load_anyway(root)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = rss_kib()
    del result
    mib = 1024 * 1024
    return (peak - before) / mib, (current - before) / mib, (rss_after - rss_before) / 1024


def _load_anyway(root: Path):
    """The loaded library, also for courses still being written (check_courses does the same work)."""
    from lumos_learn.content.loader import _load

    return _load(root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = max(2, args.runs)
    rows = []
    shipped = ROOT / "courses"
    problems = check_courses(shipped)  # warm-up: imports, Markdown set-up
    shipped_files = sum(1 for p in shipped.rglob("*") if p.suffix in (".md", ".yml"))
    rows.append(
        (f"shipped courses/ ({shipped_files} files) load + validate", *timed(check_courses, shipped, runs), "< 1 s")
    )
    rows.append(("  baseline: read bytes", *timed(read_bytes, shipped, runs), ""))
    rows.append(("  baseline: read + YAML front matter", *timed(read_and_parse_yaml, shipped, runs), ""))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "courses"
        files = write_corpus(corpus)
        assert check_courses(corpus) == [], check_courses(corpus)[:5]
        rows.append((f"generated 50x8x3 ({files} files) load + validate", *timed(check_courses, corpus, runs), "< 5 s"))
        rows.append(("  baseline: read bytes", *timed(read_bytes, corpus, runs), ""))
        rows.append(("  baseline: read + YAML front matter", *timed(read_and_parse_yaml, corpus, runs), ""))
        peak, held, rss = memory(corpus)
        corpus_mib = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()) / 1024 / 1024
    print(f"Python {sys.version.split()[0]}, {runs} runs each; shipped courses have {len(problems)} open problems\n")
    print("| measurement | best (s) | median (s) | target |")
    print("|---|---:|---:|---|")
    for name, best, median, target in rows:
        print(f"| {name} | {best:.3f} | {median:.3f} | {target} |")
    print("\n| memory, generated corpus | MiB |")
    print("|---|---:|")
    print(f"| source files on disk | {corpus_mib:.1f} |")
    print(f"| tracemalloc peak while loading | {peak:.1f} |")
    print(f"| held by the loaded library (tracemalloc) | {held:.1f} |")
    print(f"| RSS growth of the process | {rss:.1f} |")


if __name__ == "__main__":
    main()
