"""Seconds spent in each rule on one spec (in-process), to find what dominates a lint run.

python benchmarks/rule_costs.py SPEC [--ruleset recommended] [--top 25]
"""

from __future__ import annotations

import argparse
import gc
import time

from specforge.document import load_spec
from specforge.lint.config import load_config
from specforge.lint.engine import lint_document


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("spec")
    parser.add_argument("--ruleset", default="recommended")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    gc.disable()  # as ``lint_file`` does while a file is linted
    started = time.process_time()
    document = load_spec(args.spec)
    loaded = time.process_time()
    config = load_config(rulesets=[args.ruleset], discover_config=False)
    timings: dict[str, float] = {}
    findings = lint_document(document, config.active_rules(document.root.path), timings)
    done = time.process_time()
    print(f"load {loaded - started:.2f} s, lint {done - loaded:.2f} s, {len(findings)} findings")
    for rule_id, seconds in sorted(timings.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"{seconds:8.3f}  {rule_id}")


if __name__ == "__main__":
    main()
