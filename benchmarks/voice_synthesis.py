"""Voice: synthesising every prompt of the bundled protocol with the most prompts, cold
(empty cache, model loaded in this process) and cached (a new voice on the same cache)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "app"))

from backbeat.audio.voice import choose_voice  # noqa: E402
from backbeat.core.plan import build_plan  # noqa: E402
from backbeat.core.protocol_io import load_protocol  # noqa: E402


def main() -> None:
    plans = []
    for path in sorted((REPO / "protocols").glob("*.yaml")):
        protocol = load_protocol(path)
        plans.append(build_plan(protocol, protocol.default_mode))
    plan = max(plans, key=lambda p: len({c.text for c in p.cues}))
    texts = list(dict.fromkeys(c.text for c in plan.cues))
    cache = Path(tempfile.mkdtemp()) / "voice"
    for label in ("cold", "cached"):
        voice, status = choose_voice(cache_dir=cache)
        began = time.perf_counter()
        voice.prepare(texts)
        voice.wait_ready()
        first_ready = time.perf_counter() - began
        spoken = sum(len(s) for t in texts if (s := voice.samples_for(t)) is not None) / 44100
        print(
            f"{label:<6} {plan.protocol.id}: {len(texts)} prompts ({spoken:.0f} s of speech) "
            f"with {status.engine} in {first_ready:.2f} s"
        )
        voice.close()


if __name__ == "__main__":
    main()
