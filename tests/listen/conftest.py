"""The corpus is made once per machine into pytest's cache folder (.pytest_cache), keyed
by what made it: the first run synthesises it (about a minute), later runs load it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.listen.corpus import Synthesiser
from tests.listen.own_audio import OwnAudio, render_own_audio

#: The slice of the home massage's own sound the tests feed (the benchmark feeds all
#: 20 minutes): its first four minutes hold 17 prompts, several starting "Next".
OWN_AUDIO_SECONDS = 240.0


@pytest.fixture(scope="session")
def corpus_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    if cache is None:
        return tmp_path_factory.mktemp("backbeat-voice-corpus")
    return Path(cache.mkdir("backbeat-voice-corpus"))


@pytest.fixture(scope="session")
def synth(corpus_dir: Path) -> Synthesiser:
    pytest.importorskip("pocketsphinx")
    pytest.importorskip("piper")
    return Synthesiser(corpus_dir / "speech")


@pytest.fixture(scope="session")
def own_audio(corpus_dir: Path) -> OwnAudio:
    return render_own_audio(corpus_dir / "own", OWN_AUDIO_SECONDS)
