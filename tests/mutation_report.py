"""Kill rate per module after ``mutmut run`` (QUALITY.md TEST-2).

Run from the project root after ``make mutate`` has run mutmut; it reads
``mutmut results --all true`` and prints one row per module. A timeout counts
as a kill (the mutant made the tests hang); mutants not yet checked are left
out of the rate. Exits 1 when the whole is below the target, so a drop is
noticed. ``--only FILE`` counts only the mutants named in FILE (a sample).
"""

import re
import subprocess
import sys
from collections import Counter, defaultdict

TARGET = 0.90
LINE = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+)$")
# cctv_requests.workflow.engine.x_fire__mutmut_3 or ...engine.xǁClassǁmethod__mutmut_3
MODULE = re.compile(r"^(?P<module>.+?)\.x(?:_|ǁ)")
KILLED = {"killed", "timeout"}
UNCHECKED = "not checked"


def main(argv: list[str]) -> int:
    only = None
    if argv[:1] == ["--only"]:
        with open(argv[1]) as names:
            only = set(names.read().split())
    output = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    by_module: dict[str, Counter] = defaultdict(Counter)
    for line in output.splitlines():
        match = LINE.match(line)
        if not match or (only is not None and match["name"] not in only):
            continue
        module = MODULE.match(match["name"])
        by_module[module["module"] if module else match["name"]][match["status"]] += 1
    if not by_module:
        print("No mutation results: run `make mutate` first.")
        return 1

    total = Counter()
    print(
        f"{'module':42} {'mutants':>8} {'killed':>7} {'survived':>9} {'other':>6} {'unchecked':>10}"
        f" {'kill rate':>10}"
    )
    for module in sorted(by_module):
        counts = by_module[module]
        total.update(counts)
        print(_row(module, counts))
    print(_row("all", total))
    others = sorted(status for status in total if status not in KILLED | {"survived", UNCHECKED})
    if others:
        print("other: " + ", ".join(f"{status} {total[status]}" for status in others))
    rate = _rate(total)
    print(f"Kill rate {rate:.1%} (target {TARGET:.0%}). Survivors and why: tests/MUTANTS.md.")
    return 0 if rate >= TARGET else 1


def _rate(counts: Counter) -> float:
    checked = sum(counts.values()) - counts[UNCHECKED]
    return sum(counts[s] for s in KILLED) / checked if checked else 0.0


def _row(module: str, counts: Counter) -> str:
    mutants = sum(counts.values())
    killed = sum(counts[s] for s in KILLED)
    other = mutants - killed - counts["survived"] - counts[UNCHECKED]
    return (
        f"{module:42} {mutants:8} {killed:7} {counts['survived']:9} {other:6} {counts[UNCHECKED]:10}"
        f" {_rate(counts):10.1%}"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
