"""Every benchmark in this folder, one after the other, each in its own process (`make benchmark`).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/run.py [name ...]

Each script makes and drops its own throwaway test database (reporting keeps its datasets'
databases between runs), so they never share data or touch real data. Their figures are printed
as they come; the exit code is not zero if any failed. Give names (`caseload`,
`nightly_recompute`, `reporting`) to run only those.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> list[Path]:
    """The benchmark scripts: every .py here but this one and the `_` helpers, by name."""
    return sorted(
        path
        for path in HERE.glob("*.py")
        if path.name != Path(__file__).name and not path.name.startswith("_")
    )


def main() -> int:
    found = {path.stem: path for path in benchmarks()}
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"run only these: {', '.join(found)}")
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(found))
    if unknown:
        parser.error(f"no benchmark called {', '.join(unknown)} (there are: {', '.join(found)})")
    chosen = [found[name] for name in args.names] if args.names else list(found.values())
    results: list[tuple[str, int, float]] = []
    for path in chosen:
        print(f"== {path.stem} ==", flush=True)
        began = time.perf_counter()
        command = [sys.executable, str(path)]  # this folder's own scripts, found by glob
        code = subprocess.run(command, cwd=HERE.parent, check=False).returncode  # noqa: S603
        results.append((path.stem, code, time.perf_counter() - began))
        print(flush=True)
    print("== summary ==")
    for name, code, seconds in results:
        outcome = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"  {name:<24} {outcome:<18} {seconds:7.1f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
