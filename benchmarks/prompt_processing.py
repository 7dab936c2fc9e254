"""CPU and peak memory of turning Piper's raw prompts into what is played and cached
(``prepare_speech``: trim, resample, loudness, true-peak limiting), old code against new.

Piper speaks the first prompts of the bundled protocol with the most (once, in this
process); then a fresh child per run processes all of them, this checkout and ``--old
COMMIT``'s ``app/`` in turn. Each child reports its CPU time (after its imports and one
prompt to warm up), the modules it imported, and its high-water mark.

    python benchmarks/prompt_processing.py [--prompts 30] [--runs 3] [--old COMMIT]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def high_water_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def speak(count: int, into: Path) -> None:
    """Piper's raw output for the first ``count`` prompts, one .npy file each."""
    import numpy as np

    from backbeat.audio.piper_engine import PiperEngine
    from backbeat.core.plan import build_plan
    from backbeat.core.protocol_io import load_protocol

    plans = []
    for path in sorted((REPO / "protocols").glob("*.yaml")):
        protocol = load_protocol(path)
        plans.append(build_plan(protocol, protocol.default_mode))
    plan = max(plans, key=lambda p: len({c.text for c in p.cues}))
    engine = PiperEngine()
    for number, text in enumerate(list(dict.fromkeys(c.text for c in plan.cues))[:count]):
        raw, rate = engine.synthesize(text)
        np.save(into / f"{number:03d}-{rate}.npy", raw)


def child(folder: Path) -> None:
    import numpy as np

    from backbeat.audio.voice import prepare_speech

    files = sorted(folder.glob("*.npy"))
    prompts = [(np.load(f), int(f.stem.split("-")[1])) for f in files]
    prepare_speech(*prompts[0])  # imports and first-call set-up
    began = time.process_time()
    for raw, rate in prompts:
        prepare_speech(raw, rate)
    took = time.process_time() - began
    scipy = sum(1 for m in sys.modules if m.split(".")[0] == "scipy")
    print(f"{took / len(prompts) * 1000:.1f} {high_water_mb():.0f} {scipy}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--old", default="", help="also run this commit's app/ (git archive)")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child))
        return 0
    sys.path.insert(0, str(REPO / "app"))
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        speak(args.prompts, raw)
        versions = {"new": REPO / "app"}
        if args.old:
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", args.old, "app"],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            versions["old"] = Path(tmp) / "app"
        results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in versions}
        for run in range(args.runs):
            for name, app in versions.items():
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(raw)],
                    env={**os.environ, "PYTHONPATH": str(app)},
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.split()
                ms, peak, scipy = float(out[0]), float(out[1]), int(out[2])
                results[name].append((ms, peak, scipy))
                print(
                    f"run {run + 1} {name}: {ms:.1f} ms CPU a prompt, peak {peak:.0f} MB, "
                    f"{scipy} scipy modules, load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
    for name, rows in results.items():
        print(
            f"{name}: median {statistics.median(r[0] for r in rows):.1f} ms CPU a prompt "
            f"({args.prompts} prompts), peak {statistics.median(r[1] for r in rows):.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
