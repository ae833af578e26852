"""The mutation score per rule module, read from mutmut's results (`make mutation` prints it after `mutmut run`).

A mutant counts as killed when a test failed or timed out on it; survivors and mutants no selected test reaches
count against the module. `python -m bench.mutation_report --survivors` also lists every survivor by name
(`mutmut show <name>` prints its diff; docs/mutation.md says why each one left is harmless).
`--only FILE` counts only the mutants named in FILE (one a line) for the modules it names: the score of a random
sample, when the whole run does not fit the time at hand (`mutmut run $(cat FILE)` checks just those).
"""
import json
import sys
from collections import Counter
from pathlib import Path

# mutmut's exit codes (mutmut/stats.py): 1 and 3 a failing test, 36/24/-24/152/255 a timeout, 37 the type checker
KILLED = {1, 3, 36, 24, -24, 152, 255, 37}
SURVIVED = {0}
NOT_REACHED = {5, 33}
NOT_CHECKED = {None}


def outcome(exit_code) -> str:
    if exit_code in KILLED:
        return "killed"
    if exit_code in SURVIVED:
        return "survived"
    if exit_code in NOT_REACHED:
        return "no tests"
    if exit_code in NOT_CHECKED:
        return "not checked"
    return "suspicious"


def results(root: Path = Path("mutants")) -> dict[str, dict[str, str]]:
    """{module path: {mutant name: outcome}} for every module mutmut mutated."""
    found = {}
    for meta in sorted(root.rglob("*.py.meta")):
        module = str(meta.relative_to(root))[: -len(".meta")]
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        found[module] = {name: outcome(code) for name, code in codes.items()}
    return found


def main(argv: list[str]) -> int:
    found = results()
    if "--only" in argv:
        chosen = set(Path(argv[argv.index("--only") + 1]).read_text().split())
        for module, outcomes in found.items():
            if any(name in chosen for name in outcomes):
                found[module] = {name: result for name, result in outcomes.items() if name in chosen}
    if not found:
        print("No mutmut results: run `make mutation` (or `mutmut run`) first.")
        return 1
    print(f"{'module':40} {'killed':>7} {'total':>6} {'score':>7}  survived  no tests  not checked")
    all_killed = all_total = 0
    for module, outcomes in found.items():
        count = Counter(outcomes.values())
        total = len(outcomes) - count["not checked"]
        score = 100 * count["killed"] / total if total else 0.0
        all_killed, all_total = all_killed + count["killed"], all_total + total
        print(f"{module:40} {count['killed']:7} {total:6} {score:6.1f}%  {count['survived']:8}  "
              f"{count['no tests']:8}  {count['not checked']:11}")
    print(f"{'all':40} {all_killed:7} {all_total:6} {100 * all_killed / max(all_total, 1):6.1f}%")
    if "--survivors" in argv:
        for module, outcomes in found.items():
            for name, result in sorted(outcomes.items()):
                if result in ("survived", "no tests", "suspicious"):
                    print(f"{result:10} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
