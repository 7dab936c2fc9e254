"""The own-sound monitor of a playing session: when its voice reaches the speaker.

Everything the session says is taken from :meth:`SessionAudio.own_sounds`: the plan's
prompts where they were placed (late ones where they moved), prompts asked for with
``speak_now()`` once they are made and placed, and the overlays (acknowledgements,
prompts said while paused). The clicks are the plan's beats, while the metronome sounds.
:meth:`SessionAudio.session_time` is what the listener hears *now* (the output corrects
its position by its latency), so a monotonic time maps onto session time by an offset.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from backbeat.audio.clicks import ClickBank
from backbeat.audio.session_audio import SPEAK_NOW_LEAD_SECONDS, SessionAudio
from backbeat.listen.gate import PlaybackIntervals

#: An overlay sounds at once (after the output's latency) but is only noticed when the
#: next microphone block is looked at: blocks come every 0.1 s, so it is taken to have
#: begun this long before it was noticed ...
OVERLAY_NOTICED_WITHIN_SECONDS = 0.5
#: ... and to end this long after its length from then: the longest output latency
#: (PortAudio's buffer grows to 0.2 s on a busy machine).
OVERLAY_LATENCY_SECONDS = 0.25


class SessionSoundMonitor:
    """An :class:`~backbeat.listen.gate.OwnSoundMonitor` over a :class:`SessionAudio`.

    ``voice_audible`` is asked from the listener thread while the session thread plays:
    it reads a snapshot of the session's own sounds and the session time."""

    def __init__(self, audio: SessionAudio, clock: Callable[[], float] = time.monotonic) -> None:
        self.audio = audio
        self._clock = clock
        self._overlays_seen = audio.own_sounds().overlays
        self.extra = PlaybackIntervals()  # monotonic times of overlays and expected sounds
        self._click_seconds: dict[str, float] = {}  # the longest click of each sound

    def expect(self, text: str | None = None, seconds: float | None = None) -> None:
        """A sound made outside :class:`SessionAudio` (``seconds`` long), or a prompt
        (``text``), sounds from about now. Not needed for what SessionAudio plays: that
        is read from it, at the time it really sounds."""
        length = seconds or 0.0
        if text is not None:
            samples = self.audio.voice.samples_for(text)
            length = len(samples) / self.audio.rate if samples is not None else 0.08 * len(text)
        now = self._clock()
        self.extra.add(now, now + SPEAK_NOW_LEAD_SECONDS + length)

    def voice_audible(self, start: float, end: float) -> bool:
        sounds = self.audio.own_sounds()
        now = self._clock()
        if sounds.overlays != self._overlays_seen:
            self._overlays_seen = sounds.overlays
            self.extra.add(
                now - OVERLAY_NOTICED_WITHIN_SECONDS,
                now + OVERLAY_LATENCY_SECONDS + sounds.last_overlay_seconds,
            )
        if self.extra.voice_audible(start, end):
            return True
        if not self.audio.playing:
            return False
        offset = self.audio.session_time() - now
        begin, finish = start + offset, end + offset
        # A few hundred clips at most, asked ten times a second: a scan costs nothing.
        return any(s <= finish and e >= begin for s, e in sounds.voice)

    def clicks_between(self, start: float, end: float) -> list[tuple[float, float]]:
        audio = self.audio
        settings = audio.settings
        if not audio.playing or not settings.metronome_on or settings.metronome_volume <= 0:
            return []
        length = self._click_length(settings.click_sound)
        offset = audio.session_time() - self._clock()
        beats = audio.plan.beats_between(max(0.0, start + offset - length), end + offset)
        return [(b.time - offset, b.time - offset + length) for b in beats]

    def _click_length(self, sound: str) -> float:
        if sound not in self._click_seconds:
            bank = ClickBank(sound, self.audio.rate)
            self._click_seconds[sound] = bank.longest / self.audio.rate
        return self._click_seconds[sound]
