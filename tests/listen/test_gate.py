from __future__ import annotations

import pytest

from backbeat.listen.gate import NothingPlays, OwnSoundGate, PlaybackIntervals


def test_intervals_overlap() -> None:
    monitor = PlaybackIntervals()
    monitor.add(10.0, 12.0)
    monitor.add(20.0, 21.5)
    assert monitor.voice_audible(11.0, 11.1)
    assert monitor.voice_audible(9.9, 10.0)
    assert monitor.voice_audible(21.5, 22.0)
    assert not monitor.voice_audible(12.01, 19.99)
    assert not monitor.voice_audible(0.0, 9.0)


def test_the_gate_stays_closed_for_the_tail() -> None:
    monitor = PlaybackIntervals()
    monitor.add(10.0, 12.0)
    gate = OwnSoundGate(monitor, tail=0.35)
    assert gate.closed(12.2, 12.3)  # the room still rings
    assert not gate.closed(12.4, 12.5)
    assert gate.dropped_seconds == pytest.approx(0.1)


def test_a_stopped_stream_ends_its_prompt_and_forgets_later_ones() -> None:
    monitor = PlaybackIntervals()
    monitor.add(10.0, 12.0)
    monitor.add(15.0, 16.0)
    monitor.clear_from(11.0)
    assert monitor.voice_audible(10.5, 10.6)
    assert not monitor.voice_audible(11.1, 11.2)
    assert not monitor.voice_audible(15.0, 16.0)


def test_old_intervals_are_forgotten() -> None:
    monitor = PlaybackIntervals()
    for second in range(0, 600, 5):
        monitor.add(float(second), second + 1.0)
    assert not monitor.voice_audible(601.0, 602.0)
    assert monitor.remembered < 10


def test_a_sound_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        PlaybackIntervals().add(2.0, 1.0)


def test_nothing_plays_never_closes_the_gate() -> None:
    assert not OwnSoundGate(NothingPlays()).closed(0.0, 100.0)


def test_the_gate_says_where_clicks_sound_widened_for_the_latency() -> None:
    monitor = PlaybackIntervals()
    monitor.add_click(10.0, 10.09)
    monitor.add_click(11.0, 11.09)
    gate = OwnSoundGate(monitor, click_lead=0.01, click_tail=0.02)
    assert gate.clicks(9.0, 9.5) == []
    assert gate.clicks(10.1, 10.2) == [pytest.approx((9.99, 10.11))]  # its tail only
    assert len(gate.clicks(10.0, 11.0)) == 2
    assert not gate.closed(10.0, 11.0)  # clicks never close the gate
    assert NothingPlays().clicks_between(0.0, 100.0) == []
