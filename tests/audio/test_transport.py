"""The transport, frame by frame: for any pauses, resumes and jumps at any moments, what it
delivers is the uninterrupted render with only the fade windows changed, to the sample."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backbeat.audio.stream_buffer import StreamBuffer
from backbeat.audio.transport import FADE_SECONDS, Transport
from tests.audio.helpers import RATE

FADE = round(FADE_SECONDS * RATE)
LENGTH = 3 * RATE


def _render(start: int = 0) -> StreamBuffer:
    """A program whose every frame says where it is: frame i holds i mod 20000 (+1)."""
    buffer = StreamBuffer(LENGTH - start)
    buffer.write(0, (np.arange(start, LENGTH) % 20000 + 1).astype(np.int16))
    buffer.filled = buffer.frames
    return buffer


actions = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=3000),  # frames pulled before the action
        st.sampled_from(["pause", "resume", "jump"]),
        st.integers(min_value=0, max_value=LENGTH - 1),  # where a jump goes
    ),
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(actions)
def test_delivered_audio_is_the_render_with_only_the_fades_changed(
    plan: list[tuple[int, str, int]],
) -> None:
    """A model that knows only where the program is and whether it sounds: outside the
    fade windows the transport must deliver exactly that; inside them, nothing louder
    than the old and the new place together."""
    transport = Transport(RATE)
    transport.play(_render(), 0)
    reference = np.arange(LENGTH) % 20000 + 1
    delivered: list[np.ndarray] = []
    expected: list[np.ndarray] = []
    index, paused = 0, False
    for frames, action, target in [*plan, (2000, "end", 0)]:
        out, _ = transport.pull(frames, 0.0)
        delivered.append(out.astype(np.int64))
        want = np.zeros(frames, dtype=np.int64)
        if not paused:
            take = reference[index : index + frames]
            want[: len(take)] = take
            index = min(LENGTH, index + frames)
        expected.append(want)
        if action == "pause" and not paused:
            paused = True
            assert transport.pause() == index  # resume goes on from the next frame
        elif action == "resume" and paused:
            paused = False
            transport.resume()
        elif action == "jump":
            index, paused = target, False
            transport.play(_render(), target)
    got = np.concatenate(delivered)
    want_all = np.concatenate(expected)
    untouched = _untouched(plan)
    assert np.array_equal(got[untouched], want_all[untouched])
    assert np.all(np.abs(got) <= 2 * 20000)  # a crossfade never adds more than both sides


def _untouched(plan: list[tuple[int, str, int]]) -> np.ndarray:
    """Frames farther than a fade from any action (and from the start)."""
    total = sum(frames for frames, _, _ in plan) + 2000
    mask = np.ones(total, dtype=bool)
    mask[:FADE] = False
    at = 0
    for frames, _, _ in plan:
        at += frames
        mask[at : at + FADE] = False
    return mask


def test_nothing_is_heard_twice_at_full_level_across_a_pause() -> None:
    transport = Transport(RATE)
    transport.play(_render(), 0)
    before, _ = transport.pull(10000, 0.0)
    at = transport.pause()
    assert at == 10000
    fade, _ = transport.pull(10000, 0.0)
    transport.resume()
    after, _ = transport.pull(10000, 0.0)
    reference = (np.arange(LENGTH) % 20000 + 1).astype(np.int16)
    assert np.array_equal(before[FADE:], reference[FADE:10000])
    assert np.all(np.abs(fade[:FADE].astype(int)) <= reference[10000 : 10000 + FADE])
    assert not fade[FADE:].any()
    assert np.array_equal(after[FADE:], reference[10000 + FADE : 20000])
    assert transport.heard(0.0) is not None


def test_the_speaker_position_follows_the_reported_latency() -> None:
    transport = Transport(RATE)
    transport.play(_render(), 0)
    transport.pull(441, speaker_time=100.05)  # its first frame sounds 50 ms from now
    assert transport.heard(100.0) == 0  # not heard yet: the start
    assert transport.heard(100.054) == round(0.004 * RATE)
    assert transport.heard(101.0) == 441  # never beyond what was delivered
    transport.pause()
    assert transport.heard(200.0) == 441  # paused: the frame where it goes on


def test_a_plain_pull_gives_what_the_mix_gives() -> None:
    """One program at full level is handed out as its samples, without the float mix: the
    same frames (the loudest ones too), the same underrun count, the same end."""
    loud = np.tile(np.array([32767, -32768, 1, -1, 0], dtype=np.int16), 2000)

    def program() -> StreamBuffer:
        buffer = StreamBuffer(len(loud))
        buffer.write(0, loud)
        buffer.filled = 7000  # the renderer is behind: the rest counts as an underrun
        return buffer

    plain, mixed = Transport(RATE), Transport(RATE)
    plain.play(program(), 0)
    mixed.play(program(), 0)
    mixed.overlay(np.zeros(len(loud) + 5000, dtype=np.int16))  # forces the float mix
    for frames in (1, 441, 3000, 4000, 4000):  # the last pulls run past the end
        (a, report_a), (b, report_b) = plain.pull(frames, 0.0), mixed.pull(frames, 0.0)
        assert a.dtype == b.dtype == np.int16
        assert np.array_equal(a, b)
        assert report_a.underrun_frames == report_b.underrun_frames
    assert plain.heard(1.0) == mixed.heard(1.0) == len(loud)
