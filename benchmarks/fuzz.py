#!/usr/bin/env python3
"""Long fuzz campaigns: N generated kernel-like trees from a seed, through
``check`` (twice, compared) and ``matrix`` in JSON, in this process.

    python benchmarks/fuzz.py --examples 10000 --seed 1

The first crash (traceback, internal error, exit code outside 0-2, invalid
JSON, stray stderr, an absolute or ``..`` finding path, output that differs
between two runs, a run over the time limit) is shrunk by hypothesis and saved
as tests/fuzz_regressions/crash-<hash>.json, which
tests/test_fuzz_regressions.py replays from then on. Exit 0 when every example
passed, 1 when a crash was saved.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

import fuzztrees  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="trees to try (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--save", type=Path, default=fuzztrees.REGRESSIONS,
                        help="directory for crashing inputs (default tests/fuzz_regressions)")
    parser.add_argument("--target", choices=("trees", "mixed"), default="mixed",
                        help="trees only, or trees, patches, git binary/mode patches and damaged "
                             "caches mixed (default)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="split the campaign over this many processes, seeds SEED, SEED+1, ...")
    args = parser.parse_args()
    if args.jobs > 1:
        return fan_out(args)
    return campaign_in_process(args)


def fan_out(args: argparse.Namespace) -> int:
    """Run ``jobs`` campaigns of examples/jobs each (seed, seed+1, ...) and add up their counts."""
    share = -(-args.examples // args.jobs)
    workers = [subprocess.Popen([sys.executable, __file__, "--examples", str(share), "--seed",
                                 str(args.seed + i), "--save", str(args.save), "--target", args.target],
                                stdout=subprocess.PIPE, text=True) for i in range(args.jobs)]
    total, failed = 0, False
    for worker in workers:
        out, _ = worker.communicate()
        print(out.strip(), flush=True)
        counts = re.findall(r"^(?:crash after )?(\d+) (?:examples|calls)", out, re.M)
        total += int(counts[-1]) if counts else 0
        failed = failed or worker.returncode != 0
    print(f"total: {total} examples over {args.jobs} processes, {'a crash was saved' if failed else 'no crash'}")
    return 1 if failed else 0


def campaign_in_process(args: argparse.Namespace) -> int:
    """One campaign in this process; saves the shrunk first crash."""
    state: dict = {"count": 0, "failures": [], "first": None, "started": time.monotonic()}

    @seed(args.seed)
    @settings(max_examples=args.examples, database=None, deadline=None, derandomize=False,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(fuzztrees.campaign_cases() if args.target == "mixed"
           else fuzztrees.kernel_trees().map(lambda files: ("tree", files, None)))
    def campaign(case) -> None:
        state["count"] += 1
        if state["count"] % 500 == 0:
            print(f"{state['count']} examples, {time.monotonic() - state['started']:.0f}s",
                  file=sys.stderr, flush=True)
        try:
            fuzztrees.run_case(*case)
        except BaseException as exc:
            failure = (case, f"{type(exc).__name__}: {exc}"[:2000])
            if state["first"] is None:  # the input that failed before any shrinking
                state["first"] = failure
            state["failures"] = state["failures"][-19:] + [failure]
            raise

    try:
        campaign()
    except BaseException as exc:  # noqa: BLE001
        case, error = reproduce([case for case, _ in state["failures"]])
        if case is None and state["first"] is not None:  # nothing fails again: keep the first
            case, first = state["first"]                  # input and what it failed with
            error = f"did not fail again in isolation; it failed first with {first}"
        elif case is None:
            return _crashed_outside(args, state, exc)
        text = fuzztrees.dump_campaign_case(*case, error)
        args.save.mkdir(parents=True, exist_ok=True)
        target = args.save / f"crash-{hashlib.sha256(text.encode()).hexdigest()[:12]}.json"
        target.write_text(text)
        print(f"crash after {state['count']} calls (seed {args.seed}): {error}\nsaved {target}")
        return 1
    print(f"{state['count']} examples (seed {args.seed}), no crash, "
          f"{time.monotonic() - state['started']:.0f}s")
    return 0


def _crashed_outside(args: argparse.Namespace, state: dict, exc: BaseException) -> int:
    """Hypothesis itself stopped, with no input of ours failing: say so, save nothing."""
    print(f"stopped after {state['count']} calls (seed {args.seed}): {type(exc).__name__}: {exc}"[:2000])
    return 1


def reproduce(failures: list) -> tuple[tuple | None, str]:
    """The latest failing input (the shrunk one comes last) that fails again on its own.

    Shrinking also meets other failures; replaying picks an input that the
    regression test will really see failing, with the error it gives now.
    """
    for case in reversed(failures):
        try:
            fuzztrees.run_case(*case)
        except BaseException as exc:  # noqa: BLE001
            return case, f"{type(exc).__name__}: {exc}"
    return None, ""


if __name__ == "__main__":
    sys.exit(main())
