"""Submit meldingen through the intake service; print their ids and the time each took (JSON).

    .venv/bin/python -m bench.submit 100 --broker redis://127.0.0.1:1/0

faults.py runs this with the broker pointed at a closed port: the outbox must keep them.
"""

import argparse
import json
import time

from bench import harness

parser = argparse.ArgumentParser()
parser.add_argument("count", type=int)
parser.add_argument("--broker", help="REDIS_URL for this process only")
args = parser.parse_args()
harness.setup(**({"REDIS_URL": args.broker} if args.broker else {}))
started = time.perf_counter()
ids = [harness.submit() for _ in range(args.count)]
ms = (time.perf_counter() - started) * 1000 / args.count
print(json.dumps({"ids": ids, "ms_per_submission": ms}))
