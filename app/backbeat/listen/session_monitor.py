"""The own-sound monitor of a playing session: when its prompts reach the speaker.

The session's schedule is known to the sample (the plan's spoken cues and the voice's
samples); :meth:`SessionAudio.session_time` is what the listener hears *now* (the output
corrects it by its latency), so a monotonic time maps onto session time by an offset.
Prompts spoken on request (repeat, time left, the "too much" words) and the
acknowledgement sound are not in the plan: whoever asks for them reports them with
:meth:`SessionSoundMonitor.expect`.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable

from backbeat.audio.mixer import SoundSettings, voice_clips
from backbeat.audio.session_audio import SPEAK_NOW_LEAD_SECONDS, SessionAudio
from backbeat.core.plan import SessionPlan
from backbeat.listen.gate import PlaybackIntervals


class SessionSoundMonitor:
    """An :class:`~backbeat.listen.gate.OwnSoundMonitor` over a :class:`SessionAudio`.

    ``voice_audible`` is asked from the listener thread while the session thread plays:
    it reads only the session time and an interval table rebuilt under a lock."""

    def __init__(self, audio: SessionAudio, clock: Callable[[], float] = time.monotonic) -> None:
        self.audio = audio
        self._clock = clock
        self._lock = threading.Lock()
        self._for: tuple[SessionPlan, SoundSettings, int] | None = None
        self._starts: list[float] = []
        self._ends: list[float] = []
        self.extra = PlaybackIntervals()  # monotonic times of sounds made on request

    def expect(self, text: str | None = None, seconds: float | None = None) -> None:
        """A prompt (``text``) or a sound (``seconds`` long) was just asked for: it sounds
        from about SPEAK_NOW_LEAD_SECONDS from now."""
        length = seconds or 0.0
        if text is not None:
            samples = self.audio.voice.samples_for(text)
            rate = self.audio.rate
            length = len(samples) / rate if samples is not None else 0.08 * len(text)
        now = self._clock()
        self.extra.add(now, now + SPEAK_NOW_LEAD_SECONDS + length)

    def voice_audible(self, start: float, end: float) -> bool:
        if self.extra.voice_audible(start, end):
            return True
        if not self.audio.playing:
            return False
        offset = self.audio.session_time() - self._clock()
        return self._scheduled_between(start + offset, end + offset)

    def _scheduled_between(self, begin: float, end: float) -> bool:
        with self._lock:
            self._refresh()
            upto = bisect.bisect_right(self._starts, end)
            low = max(0, upto - 8)  # prompts never overlap many others
            return any(self._ends[i] >= begin for i in range(low, upto))

    def _refresh(self) -> None:
        audio = self.audio
        voice = audio.voice
        ready = sum(1 for c in audio.plan.cues if voice.samples_for(c.text) is not None)
        key = (audio.plan, audio.settings, ready)
        if key == self._for:
            return
        clips, _ = voice_clips(audio.plan, audio.settings, voice.samples_for, audio.rate)
        spans = sorted((c.start / audio.rate, c.end / audio.rate) for c in clips)
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]
        self._for = key
