"""What a listener hears in exports of the bundled protocols, with the real Piper voice:
loudness (voice only -18 +/- 1 LUFS, the mix's true peak at most -1 dBTP), the speaking
rate, cautions right after their start prompt, and the sounds in place of words."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile

from backbeat.audio.chime import ChimeEngine, CueSounds
from backbeat.audio.export import ExportResult, export_session
from backbeat.audio.loudness import VOICE_LOUDNESS_LUFS, integrated_loudness, true_peak_dbtp
from backbeat.audio.mixer import SoundSettings
from backbeat.audio.piper_engine import PiperEngine
from backbeat.audio.tts import EngineUnavailable
from backbeat.audio.voice import PromptVoice
from backbeat.audio.voice_cache import VoiceCache
from backbeat.core.cues import CAUTION_DELAY, CueKind
from backbeat.core.plan import SessionPlan, build_plan
from backbeat.core.protocol_io import load_protocol
from tests.audio.helpers import RATE, at_voice_loudness
from tests.conftest import PROTOCOLS_DIR

pytestmark = pytest.mark.slow
BUNDLED = sorted(PROTOCOLS_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def piper(tmp_path_factory: pytest.TempPathFactory) -> PromptVoice:
    engine = PiperEngine()
    try:
        engine.check()
    except EngineUnavailable as error:
        pytest.skip(str(error))
    voice = PromptVoice([engine], VoiceCache(tmp_path_factory.mktemp("voice")))
    yield voice
    voice.close()


def _plan(path: Path) -> SessionPlan:
    protocol = load_protocol(path)
    return build_plan(protocol, protocol.default_mode)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_exports_are_at_spoken_word_loudness(
    path: Path, piper: PromptVoice, tmp_path: Path
) -> None:
    plan = _plan(path)
    voice_only = export_session(
        plan, tmp_path / "voice.wav", piper, SoundSettings(metronome_on=False)
    )
    samples, rate = soundfile.read(tmp_path / "voice.wav", dtype="float32")
    assert abs(integrated_loudness(samples, rate) - VOICE_LOUDNESS_LUFS) <= 1.0
    export_session(plan, tmp_path / "mix.wav", piper)
    mix, _ = soundfile.read(tmp_path / "mix.wav", dtype="float32")
    assert true_peak_dbtp(mix) <= -1.0
    _check_cautions_follow_their_start(voice_only, piper)


def _check_cautions_follow_their_start(result: ExportResult, voice: PromptVoice) -> None:
    """In the plan heard (cues placed from the real speech): each caution begins within
    1 s of the end of its technique's start prompt, and no two prompts overlap."""
    cues = result.plan.cues
    ends = {c.text: len(voice.synthesize_now(c.text)) / RATE for c in cues}
    for before, cue in itertools.pairwise(cues):
        if cue.kind is CueKind.CAUTION:
            assert before.kind is CueKind.START
            assert 0 <= cue.time - (before.time + ends[before.text]) <= CAUTION_DELAY
    spoken = [c for c in cues if c.kind is not CueKind.END]
    for a, b in itertools.pairwise(spoken):
        assert a.time + ends[a.text] <= b.time + 1e-6


def test_the_default_voice_speaks_150_to_165_words_a_minute(piper: PromptVoice) -> None:
    texts = list(dict.fromkeys(c.text for path in BUNDLED for c in _plan(path).cues))
    words = sum(len(re.findall(r"[A-Za-z0-9']+", t)) for t in texts)
    seconds = sum(len(piper.synthesize_now(t)) / RATE for t in texts)
    assert 150 <= words / seconds * 60 <= 165


def test_each_kind_of_cue_has_its_own_sound_at_the_voice_loudness() -> None:
    sounds = CueSounds(RATE)
    kinds = [CueKind.START, CueKind.SPOT, CueKind.CAUTION]
    made = [sounds.for_kind(k) for k in kinds]
    assert all(at_voice_loudness(s) for s in made)
    assert all(len(s) < 0.8 * RATE for s in made)  # short: a mark, not a melody
    for i, a in enumerate(made):
        for b in made[i + 1 :]:
            n = min(len(a), len(b))
            similarity = abs(float(a[:n] @ b[:n])) / float(
                np.linalg.norm(a[:n]) * np.linalg.norm(b[:n])
            )
            assert similarity < 0.5
    assert sounds.for_kind(CueKind.ANNOUNCE) is sounds.for_kind(CueKind.START)


def test_a_chime_only_export_marks_every_cue_with_its_kinds_sound(tmp_path: Path) -> None:
    plan = _plan(PROTOCOLS_DIR / "home-back-massage.yaml")
    voice = PromptVoice([ChimeEngine()], None)
    result = export_session(plan, tmp_path / "chimes.wav", voice, SoundSettings(metronome_on=False))
    samples, _ = soundfile.read(tmp_path / "chimes.wav", dtype="float32")
    sounds = CueSounds(RATE)
    for cue in result.plan.cues:
        at = round(cue.time * RATE)
        expected = sounds.for_kind(cue.kind)
        heard = samples[at : at + len(expected)]
        assert np.allclose(heard, np.clip(expected, -1, 1)[: len(heard)], atol=2 / 32767)
