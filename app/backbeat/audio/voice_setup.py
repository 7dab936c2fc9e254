"""Set-up's voice step, run by ``./dev setup`` once the packages are installed:

    python -m backbeat.audio.voice_setup

It splits Piper's model for the chunked decoder (:mod:`backbeat.audio.piper_chunked`) into
the environment, so that neither the first session nor one after the cache was emptied
runs the splitting child (~200 MB for about a second) beside the window. Whatever stops it is
said in one line and set-up goes on: the app then makes the split when it first needs it.
"""

from __future__ import annotations

import logging
import sys

from backbeat.audio.piper_chunked import install_split
from backbeat.audio.piper_engine import PiperEngine
from backbeat.audio.tts import EngineUnavailable


def main() -> int:
    logging.basicConfig(format="%(message)s")
    try:
        model = PiperEngine().model_file()
    except EngineUnavailable as error:
        print(f"Piper's model is not split: {error}", file=sys.stderr)
        return 0
    directory = install_split(model)
    if directory is not None:
        print(f"Piper's model is split for the chunked decoder: {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
