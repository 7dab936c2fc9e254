"""The fuzzer of ``tests/core/test_fuzz.py`` as a count: how many mutants are refused,
how many plan, and how many end in an exception (by type, with the first example).

    python benchmarks/fuzz_protocols.py [COUNT]      # default 2000
Run it against an older checkout with PYTHONPATH=OLD/app to compare.
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.core.protocol_mutants import exercise, mutants  # noqa: E402


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    outcomes: collections.Counter[str] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    first: dict[str, str] = {}
    began = time.perf_counter()
    for mutant in mutants(ROOT / "protocols", count):
        try:
            outcomes[exercise(mutant)] += 1
        except Exception as error:  # counted, that is the point
            name = type(error).__name__
            kinds[name] += 1
            first.setdefault(name, f"#{mutant.number} {mutant.changes}: {str(error)[:80]!r}")
            outcomes["exception"] += 1
    elapsed = time.perf_counter() - began
    print(f"{count} mutants in {elapsed:.1f} s: {dict(outcomes)}")
    for name, number in kinds.most_common():
        print(f"  {number:4d} {name}, e.g. {first[name]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
