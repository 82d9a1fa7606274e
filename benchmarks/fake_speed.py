"""CPU time to generate a 10-item list of a 10-property object (compiled once, warm pools).

process_time is used, not wall time: the numbers stay meaningful on a busy shared machine.

Usage: python benchmarks/fake_speed.py [--rounds 2000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from specforge.fake import Generator  # noqa: E402

SCHEMA = {
    "type": "array",
    "minItems": 10,
    "maxItems": 10,
    "items": {
        "type": "object",
        "required": ["id", "email", "firstName", "lastName", "city", "price", "createdAt", "status", "active", "tags"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "email": {"type": "string", "format": "email"},
            "firstName": {"type": "string", "maxLength": 40},
            "lastName": {"type": "string"},
            "city": {"type": "string"},
            "price": {"type": "number", "minimum": 0, "multipleOf": 0.01},
            "createdAt": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": ["available", "pending", "sold"]},
            "active": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{3,8}$"}, "maxItems": 3},
        },
    },
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    opts = parser.parse_args()
    start = time.process_time()
    gen = Generator()
    make = gen.compile(SCHEMA)
    make(random.Random(0))
    print(f"first compile + pools: {(time.process_time() - start) * 1000:.1f} ms")
    rng = random.Random(1)
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(opts.rounds):
            make(rng)
        best = min(best, (time.process_time() - start) / opts.rounds)
    print(f"10-item list of a 10-property object: {best * 1e6:.0f} us per instance (best of 5 x {opts.rounds})")
    start = time.process_time()
    for seed in range(200):
        gen.generate(SCHEMA, seed=seed)
    print(f"generate(schema, seed=i) incl. Random(seed): {(time.process_time() - start) / 200 * 1e6:.0f} us")


if __name__ == "__main__":
    main()
