"""Clicks and voice at exact sample offsets, across technique changes."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backbeat.audio.clicks import ClickBank, beat_sample, make_click, render_clicks
from backbeat.audio.mixer import (
    DUCK_DB,
    DUCK_RAMP_SECONDS,
    ClipIndex,
    SoundSettings,
    VoiceClip,
    duck_gain,
    render_window,
)
from backbeat.audio.resample import resample
from backbeat.audio.tts import to_int16
from backbeat.core.model import Hands, Mode
from backbeat.core.plan import build_plan
from tests.audio.helpers import RATE, onsets, short_plan
from tests.core.factories import block, protocol, technique


@pytest.mark.parametrize("sound", ["wood", "tick"])
def test_a_click_starts_on_its_first_sample_and_ends_in_silence(sound: str) -> None:
    click = make_click(sound, RATE)
    assert click[0] != 0
    assert abs(click[-1]) < 1e-6
    assert 0.55 < np.max(np.abs(click)) <= 0.6 + 1e-6
    assert len(click) < 0.1 * RATE  # short


def test_unknown_click_sound_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="wood, tick"):
        make_click("cowbell", RATE)


def test_every_click_lands_on_its_exact_sample_across_step_changes() -> None:
    plan = short_plan()
    bank = ClickBank("wood", RATE)
    total = round(plan.total * RATE)
    audio = render_clicks(plan, 0, total, bank, volume=1.0)
    expected = [beat_sample(b.time, RATE) for b in plan.beats_between(0, plan.total)]
    # 10 s at 60/min, then 15 s at 80/min, then 15 s at 90/min (22.5 movements: nudged to 22)
    assert len(expected) == 10 + 20 + 22
    assert onsets(audio, 1e-4) == expected
    # off the old grid: the first click of each step is at the step's start
    for step in plan.steps:
        assert beat_sample(step.start, RATE) in expected


def test_alternating_hands_alternate_two_tones() -> None:
    plan = short_plan()
    bank = ClickBank("wood", RATE)
    sawing = plan.steps[2]
    first = beat_sample(sawing.beat_time(0), RATE)
    second = beat_sample(sawing.beat_time(1), RATE)
    audio = render_clicks(plan, 0, round(plan.total * RATE), bank, volume=1.0)
    n = len(bank.main)
    assert np.allclose(audio[first : first + n], bank.main)
    assert np.allclose(audio[second : second + len(bank.alternate)], bank.alternate)
    assert not np.allclose(bank.main[: len(bank.alternate)], bank.alternate)


def test_rendering_in_pieces_gives_the_same_samples_as_at_once() -> None:
    plan = short_plan()
    bank = ClickBank("tick", RATE)
    voice = (0.3 * np.sin(np.arange(RATE) / 7.0)).astype(np.float32)
    clips = [VoiceClip(round(9.7 * RATE), voice), VoiceClip(round(21.02 * RATE), voice)]
    settings = SoundSettings()
    whole = render_window(plan, 0, round(plan.total * RATE), settings, clips, bank)
    cuts = sorted(
        {0, 12_345, round(9.7 * RATE), 427_777, 427_778, 1_000_001, round(plan.total * RATE)}
    )
    pieces = [
        render_window(plan, a, b - a, settings, clips, bank) for a, b in itertools.pairwise(cuts)
    ]
    assert np.array_equal(np.concatenate(pieces), whole)


def test_the_metronome_ducks_under_speech_with_smooth_ramps() -> None:
    clip = VoiceClip(10_000, np.ones(20_000, dtype=np.float32))
    gain = duck_gain(0, 40_000, [clip], RATE)
    floor = 10 ** (DUCK_DB / 20)
    assert gain[0] == 1.0 and gain[-1] == 1.0
    assert np.allclose(gain[10_000:30_000], floor)
    ramp = gain[10_000 - 2646 : 10_000]  # 60 ms before the voice
    assert np.all(np.diff(ramp) <= 0) and ramp[0] > 0.99
    assert np.max(np.abs(np.diff(gain))) < 0.001  # no step: no zipper, no click


def test_clicks_under_a_prompt_are_10_db_softer_and_voice_is_mixed_at_its_sample() -> None:
    plan = short_plan()
    bank = ClickBank("wood", RATE)
    beat = beat_sample(plan.steps[0].beat_time(3), RATE)  # a click at 3 s
    voice = np.zeros(RATE, dtype=np.float32)
    voice[0] = 0.5
    settings = SoundSettings(metronome_volume=1.0)
    plain = render_window(plan, 0, 5 * RATE, settings, [], bank)
    ducked = render_window(plan, 0, 5 * RATE, settings, [VoiceClip(beat - 1000, voice)], bank)
    n = len(bank.main)
    ratio = np.max(np.abs(ducked[beat : beat + n])) / np.max(np.abs(plain[beat : beat + n]))
    assert ratio == pytest.approx(10 ** (DUCK_DB / 20), rel=0.01)
    assert ducked[beat - 1000] == pytest.approx(0.5)


def test_settings_switch_parts_off_and_scale_volumes() -> None:
    plan = short_plan()
    bank = ClickBank("wood", RATE)
    clip = VoiceClip(RATE // 2, np.full(100, 0.4, dtype=np.float32))
    silent = render_window(plan, 0, RATE, SoundSettings(metronome_on=False), [], bank)
    assert not silent.any()
    voice_only = render_window(plan, 0, RATE, SoundSettings(metronome_on=False), [clip], bank)
    assert voice_only[RATE // 2] == pytest.approx(0.4) and voice_only[0] == 0
    half = render_window(plan, 0, RATE, SoundSettings(metronome_volume=0.35), [], bank)
    full = render_window(plan, 0, RATE, SoundSettings(metronome_volume=0.7), [], bank)
    assert np.allclose(full, 2 * half)


def test_int16_conversion_clips_instead_of_wrapping() -> None:
    out = to_int16(np.array([0.0, 0.5, 1.7, -3.0], dtype=np.float32))
    assert out.tolist() == [0, 16384, 32767, -32767]


@pytest.mark.parametrize(("src", "dst"), [(22050, 44100), (16000, 44100), (48000, 44100)])
def test_resampling_keeps_a_tone_clean(src: int, dst: int) -> None:
    t = np.arange(src) / src
    tone = np.sin(2 * np.pi * 1000 * t)
    out = resample(tone, src, dst)
    assert len(out) == dst
    reference = np.sin(2 * np.pi * 1000 * np.arange(dst) / dst)
    middle = slice(200, dst - 200)  # the edges see the zero padding
    assert np.max(np.abs(out[middle] - reference[middle])) < 1e-3


def test_left_and_right_tones_alternate_across_steps() -> None:
    # Two alternating-hands steps of 3 clicks each: the second starts on the other tone.
    sawing = replace(technique("sawing", stimulating=60), hands=Hands.ALTERNATING)
    chopping = replace(technique("chopping", stimulating=60), hands=Hands.ALTERNATING)
    plan = build_plan(protocol(block("r", 6.0, sawing, chopping)), Mode.STIMULATING)
    bank = ClickBank("wood", RATE)
    tones = [bank.for_beat(plan, b) is bank.alternate for b in plan.beats_between(0, plan.total)]
    assert tones == [False, True, False, True, False, True]


clip_spans = st.lists(
    st.tuples(st.integers(0, 5000), st.integers(0, 900)), max_size=25
)  # (start, length): overlapping, empty, out of order


@settings(max_examples=150, deadline=None)
@given(clip_spans, st.integers(-1000, 6000), st.integers(0, 2000))
def test_the_clip_index_finds_exactly_the_clips_that_sound_in_a_stretch_in_order(
    spans: list[tuple[int, int]], begin: int, length: int
) -> None:
    clips = [VoiceClip(start, np.ones(n, dtype=np.float32)) for start, n in spans]
    found = ClipIndex(clips).near(begin, begin + length)
    assert found == [c for c in clips if c.end > begin and c.start < begin + length]


def test_rendering_the_clips_near_a_stretch_gives_the_samples_of_all_of_them() -> None:
    plan = short_plan()
    voice = np.sin(np.arange(RATE) / 7).astype(np.float32) * 0.5
    clips = [
        VoiceClip(round(t * RATE), voice[: round(RATE * (0.3 + t % 1))]) for t in (1, 1.2, 4, 9)
    ]
    bank = ClickBank("wood", RATE)
    index = ClipIndex(clips)
    ramp = round(DUCK_RAMP_SECONDS * RATE)
    for start in range(0, 12 * RATE, RATE // 3):
        count = RATE // 3
        whole = render_window(plan, start, count, SoundSettings(), clips, bank)
        near = index.near(start - ramp, start + count + ramp)
        assert np.array_equal(render_window(plan, start, count, SoundSettings(), near, bank), whole)
