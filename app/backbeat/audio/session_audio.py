"""What the session player drives: one program per uninterrupted stretch of the session.

``play_from(t)`` renders the first seconds from session time ``t`` into a buffer that
spans the rest of the session and hands it to the output; ``tick()`` keeps rendering ahead
into the same buffer while it plays, so clicks stay on their exact samples across
technique changes. ``pause()`` and ``resume()`` keep that buffer: the output falls silent
and goes on from the exact frame where it stopped. A jump starts a new buffer.
:attr:`SessionAudio.clock` counts the session time heard, so an engine built on it shows
what the listener hears.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backbeat.audio.chime import CueSounds
from backbeat.audio.clicks import ClickBank
from backbeat.audio.mixer import (
    DEFAULT_SOUND,
    DUCK_RAMP_SECONDS,
    ClipIndex,
    SoundSettings,
    VoiceClip,
    cue_is_spoken,
    render_window,
    session_length,
    voice_clips,
)
from backbeat.audio.output import AudioOutput, SoundNotice
from backbeat.audio.stream_buffer import StreamBuffer
from backbeat.audio.tts import ClipSamples, PromptSamples, as_floats, to_int16
from backbeat.audio.voice import PromptVoice
from backbeat.core.plan import Cue, SessionPlan

__all__ = ["AudioClock", "OwnSounds", "SessionAudio", "SoundSettings"]

#: Rendered before the stream starts (a few ms of work), then topped up from tick().
FIRST_FILL_SECONDS = 2.0
#: How far ahead of the play head the buffer is kept rendered.
LOOKAHEAD_SECONDS = 60.0
#: Most rendered per tick: a render holds the interpreter's lock, and the audio callback
#: (PortAudio's thread) must get it within its ~25 ms buffer. Half a second renders in a
#: few milliseconds; at 8 ticks a second the buffer still fills 4 times faster than heard.
MAX_FILL_PER_TICK_SECONDS = 0.5
#: Samples this close to the play head may already be in the device: never rewrite them.
SAFETY_SECONDS = 0.3
#: After a change (settings, a prompt now ready, speak_now) only this much beyond the
#: safety margin is rendered again at once, on the caller's (the UI) thread; the stream
#: then counts as filled only up to there and tick() renders the rest again, a share per
#: tick. Re-rendering the whole look-ahead at once took 23-39 ms per volume step.
RERENDER_AT_ONCE_SECONDS = 0.5
#: Heard samples older than this are handed back to the system.
KEEP_BEHIND_SECONDS = 1.0
#: At a start the caller (the UI thread) waits this long at most for the prompts of the
#: first second; a prompt later than that is mixed in by tick() once it is ready.
START_WAIT_SECONDS = 0.15
#: A prompt ready at most this late is still spoken (whole, as soon as it can be).
LATE_PROMPT_SECONDS = 2.0
#: A prompt asked for with speak_now() begins this long after the play head.
SPEAK_NOW_LEAD_SECONDS = 0.35
#: Room a stream keeps to grow while it plays (each "stay here" adds about 30 s); a plan
#: that outgrows it starts a new program instead.
GROWTH_ROOM_SECONDS = 600.0


@dataclass(frozen=True)
class OwnSounds:
    """What the app itself makes heard, for the voice-command gate (a snapshot)."""

    #: (start, end) in session seconds of every voice clip of the program under way: the
    #: plan's prompts where they are placed (late ones where they moved), speak_now()
    #: prompts and cue sounds; empty when no program is set.
    voice: tuple[tuple[float, float], ...]
    #: How many overlays (acknowledgements, prompts said while paused) were sounded so
    #: far, and how long the latest one lasts in seconds.
    overlays: int
    last_overlay_seconds: float


class AudioClock:
    """Heard time: it runs with the frames the listener hears and stands still while
    nothing plays, so an engine anchored on it counts heard time only. It never jumps:
    a new program goes on from the value the last one reached."""

    def __init__(self, output: AudioOutput) -> None:
        self._output = output
        self._base = 0.0  # the value when the current program began
        self._start = 0.0  # seconds into the program where it began
        self._held: float | None = 0.0  # the value while no program is counted

    def now(self) -> float:
        if self._held is not None:
            return self._held
        position = self._output.position()
        if position is None:
            return self._base
        return self._base + max(0.0, position - self._start)

    def hold(self) -> None:
        """Stand still (before the program is replaced or stopped)."""
        self._held = self.now()

    def follow(self, start: float) -> None:
        """Count the new program from ``start`` seconds into it, on from the held value."""
        self._base = self.now()
        self._start = start
        self._held = None


class SessionAudio:
    def __init__(
        self,
        plan: SessionPlan,
        output: AudioOutput,
        voice: PromptVoice,
        settings: SoundSettings = DEFAULT_SOUND,
    ) -> None:
        self.plan = plan
        self.output = output
        self.voice = voice
        self.settings = settings
        self.rate = output.sample_rate
        # The sounds heard in place of words (spot reminders as a sound, the chime voice).
        self._cue_sounds = CueSounds(self.rate)
        self.clock = AudioClock(output)
        self._idle_time = 0.0  # session time heard when the last program stopped
        self._bank = ClickBank(settings.click_sound, self.rate)
        self._stream: StreamBuffer | None = None
        self._paused = False
        self._unplayed = False  # a paused program not handed to the output yet
        self._origin = 0  # absolute session sample of stream sample 0
        self._until: float | None = None  # where the program ends early (run --for)
        self._lead = round(output.lead_in_seconds * self.rate)  # stream samples kept silent
        self._clips: list[VoiceClip] = []
        self._missing: list[Cue] = []
        self._extra: list[VoiceClip] = []  # speak_now prompts and late prompts
        self._index: ClipIndex | None = None  # both, by time (made again when they change)
        self._late: set[int] = set()  # due samples of prompts moved later (or left out)
        self._asked: str | None = None  # a speak_now() prompt still being made
        self._overlays = (0, 0.0)  # how many overlays so far, the latest one's length
        #: What the output said since the last look (the device was lost, it is back).
        self.notices: list[SoundNotice] = []
        self._prepare_voice()

    # -- the contract ---------------------------------------------------------------
    def play_from(
        self, session_time: float, until: float | None = None, *, paused: bool = False
    ) -> None:
        """A new program from ``session_time`` (crossfading from what plays): it runs to
        the end of the session and its closing words, or ends exactly at session time
        ``until`` when given. ``paused``: ready there, heard from :meth:`resume` on."""
        start_time = min(max(0.0, session_time), self.plan.total)
        if start_time >= self.plan.total or (until is not None and until <= start_time):
            self.stop()
            self._idle_time = start_time
            return
        self._wait_for_first_prompts(start_time)
        self._asked = None
        self._late = set()
        self._refresh_clips()
        self._set_extra([])
        self._origin = round(start_time * self.rate) - self._lead
        self._until = until
        self.clock.hold()  # before the output switches: it reads the old program
        room = round(GROWTH_ROOM_SECONDS * self.rate)
        self._stream = StreamBuffer(self._stream_end() - self._origin, spare=room)
        self._render(0, self._lead + round(FIRST_FILL_SECONDS * self.rate))
        self._paused = self._unplayed = paused
        if paused:
            self.output.stop()
        else:
            self._hand_to_output()

    def _stream_end(self) -> int:
        """The absolute sample where the program ends: the closing words, or ``until``."""
        end = session_length(self.plan, self.settings, self.voice.samples_for, self.rate)
        return end if self._until is None else min(end, round(self._until * self.rate))

    def _hand_to_output(self) -> None:
        assert self._stream is not None
        self.output.play(self._stream, self._lead, fade_in=self._mid_sound())
        self.clock.follow(self._lead / self.rate)

    def _mid_sound(self) -> bool:
        """Whether the program starts inside a sound (not on a technique's first click)."""
        start = (self._origin + self._lead) / self.rate
        return all(abs(step.start - start) > 1 / self.rate for step in self.plan.steps)

    def pause(self) -> None:
        """Fall silent; the clock stops on the frame where the sound stopped."""
        if self._stream is not None and not self._paused:
            self._paused = True
            self.output.pause()

    def resume(self) -> None:
        """Go on from the frame where the pause began (fading in)."""
        if self._stream is not None and self._paused:
            self._paused = False
            self._asked = None
            if self._unplayed:
                self._unplayed = False
                self._hand_to_output()
            else:
                self.output.resume()

    @property
    def playing(self) -> bool:
        return self._stream is not None and not self._paused

    def stop(self) -> None:
        self._idle_time = self.session_time()
        self.clock.hold()  # before the output stops: it reads the program's position
        self.output.stop()
        self._stream = None
        self._paused = self._unplayed = False
        self._asked = None

    def tick(self) -> None:
        self.notices += self.output.poll()
        self._say_when_made()
        stream = self._stream
        if stream is None:
            return
        head = self._head()
        if self._missing:
            self._rerender_prompts_now_ready(head)
        ahead = min(stream.frames, head + round(LOOKAHEAD_SECONDS * self.rate))
        chunk = round(MAX_FILL_PER_TICK_SECONDS * self.rate)
        # Whole chunks only (or the program's last piece): topping up the few ms heard
        # since the last frame cost a render call (and its mixing set-up) every frame.
        if ahead - stream.filled >= chunk or (ahead == stream.frames and stream.filled < ahead):
            self._render(stream.filled, min(ahead, stream.filled + chunk))
        stream.release_before(head - round(KEEP_BEHIND_SECONDS * self.rate))

    def set_settings(self, settings: SoundSettings) -> None:
        old = self.settings
        self.settings = settings
        if settings.click_sound != old.click_sound:
            self._bank = ClickBank(settings.click_sound, self.rate)
        self._prepare_voice()
        if self._stream is not None:
            self._refresh_clips()
            self._rerender_ahead(self._head() + round(SAFETY_SECONDS * self.rate))

    def set_plan(self, plan: SessionPlan) -> None:
        playing = self.playing
        at = self.session_time()
        self.stop()
        self.plan = plan
        self._prepare_voice()
        if playing:
            self.play_from(min(at, plan.total))

    def replan(self, plan: SessionPlan, until: float | None = None) -> None:
        """Go on with ``plan``, which sounds as the current one up to at least a second
        ahead of the play head (a technique made longer while it plays), ending at
        session time ``until`` when given: the stream plays on and grows, and only what
        lies beyond the samples that may already be in the device is rendered again, so
        nothing is cut off or heard twice."""
        self.plan = plan
        self._until = until
        self._prepare_voice()
        stream = self._stream
        if stream is None:
            return  # the next play_from() plays the new plan
        if not stream.grow_to(self._stream_end() - self._origin):
            at, paused = self.session_time(), self._paused
            self.play_from(at, self._until, paused=paused)  # out of room: a new program
            return
        self._refresh_clips()
        self._rerender_ahead(self._head() + round(SAFETY_SECONDS * self.rate))

    def speak_now(self, text: str) -> None:
        """Say ``text`` as soon as it is made: now when it is ready, else on the tick it
        becomes ready (the voice makes it before anything else). Never waits: the caller
        is the UI thread, and a cold voice can take seconds. A newer request, a jump, a
        resume or a stop drops one still being made (its text is on screen anyway)."""
        samples = self.voice.samples_for(text)
        if samples is None:
            self._asked = text
            self.voice.prepare([text], first=True)
            return
        self._asked = None
        self._say(samples)

    def _say_when_made(self) -> None:
        if self._asked is None:
            return
        samples = self.voice.samples_for(self._asked)
        if samples is not None:
            self._asked = None
            self._say(samples)

    def _say(self, samples: PromptSamples) -> None:
        if len(samples) == 0:
            return  # the engine failed on this text; the UI shows it anyway
        if not self.playing:
            # Nothing plays (paused or finished): the prompt alone; the clock stays still.
            self.overlay(samples, self.settings.voice_volume)
            return
        start = self._origin + self._head() + round(SPEAK_NOW_LEAD_SECONDS * self.rate)
        self._set_extra([*self._extra, VoiceClip(start, samples)])
        self._rerender_ahead(start - self._origin - self._ramp())

    def overlay(self, samples: ClipSamples, volume: float = 1.0) -> None:
        """A short sound on top of whatever plays, now (an acknowledgement)."""
        self.output.overlay(to_int16(as_floats(samples) * np.float32(volume)))
        self._overlays = (self._overlays[0] + 1, len(samples) / self.rate)

    def own_sounds(self) -> OwnSounds:
        """Where the app's own voice sounds, so the microphone never takes it for a
        command. Read from the listener's thread: it only copies."""
        clips = [*self._clips, *self._extra] if self._stream is not None else []
        rate = self.rate
        count, last = self._overlays
        return OwnSounds(tuple((c.start / rate, c.end / rate) for c in clips), count, last)

    def close(self) -> None:
        self.stop()

    # -- where the stream is --------------------------------------------------------
    def session_time(self) -> float:
        """Session time being heard now (where the last program stopped when idle)."""
        if self._stream is None:
            return self._idle_time
        heard = self._lead if self._unplayed else max(self._lead, self._head())
        return (self._origin + heard) / self.rate

    def _head(self) -> int:
        if self._unplayed:
            return self._lead
        position = self.output.position() or 0.0
        return round(position * self.rate)

    # -- rendering ------------------------------------------------------------------
    def _render(self, begin: int, end: int) -> None:
        stream = self._stream
        if stream is None:  # stopped meanwhile: nothing left to render into
            return
        end = min(end, stream.frames)
        begin = max(begin, self._lead)  # the lead-in stays silent
        if end <= begin:
            return
        if self._index is None:
            self._index = ClipIndex([*self._clips, *self._extra])
        first, ramp = self._origin + begin, self._ramp()  # the duck starts a ramp early
        clips = self._index.near(first - ramp, first + (end - begin) + ramp)
        mixed = render_window(self.plan, first, end - begin, self.settings, clips, self._bank)
        stream.write(begin, to_int16(mixed))
        stream.filled = max(stream.filled, end)

    def _rerender_ahead(self, begin: int) -> None:
        stream = self._stream
        if stream is None:
            return
        begin = max(begin, self._head() + round(SAFETY_SECONDS * self.rate))
        if begin < stream.filled:
            end = min(stream.filled, begin + round(RERENDER_AT_ONCE_SECONDS * self.rate))
            self._render(begin, end)
            stream.filled = end  # what lies beyond is stale: tick() renders it again

    def _rerender_prompts_now_ready(self, head: int) -> None:
        ready = [c for c in self._missing if self.voice.samples_for(c.text) is not None]
        if not ready:
            return
        # The first sample that can still change, with room for the duck to ramp down.
        earliest = head + round(SAFETY_SECONDS * self.rate) + self._ramp()
        for cue in ready:
            due = round(cue.time * self.rate) - self._origin
            if self._lead <= due < earliest:
                self._place_late(cue, due, earliest)
        self._refresh_clips()
        first = min(round(c.time * self.rate) - self._origin for c in ready) - self._ramp()
        self._rerender_ahead(max(first, head))

    def _place_late(self, cue: Cue, due: int, earliest: int) -> None:
        """A prompt ready after its time: heard whole from the first sample that can
        still change, rather than with its beginning cut off; left out (its text is on
        screen) when it is too late to make sense."""
        self._late.add(due + self._origin)
        samples = self.voice.samples_for(cue.text)
        if samples is not None and earliest - due <= round(LATE_PROMPT_SECONDS * self.rate):
            self._set_extra([*self._extra, VoiceClip(self._origin + earliest, samples)])

    def _refresh_clips(self) -> None:
        clips, self._missing = voice_clips(
            self.plan,
            self.settings,
            self.voice.samples_for,
            self.rate,
            self._cue_sounds,
            chime_voice=self.voice.engine.name == "chime",
        )
        self._clips = [c for c in clips if c.start not in self._late]
        self._index = None

    def _set_extra(self, extra: list[VoiceClip]) -> None:
        self._extra = extra
        self._index = None

    def _ramp(self) -> int:
        return round(DUCK_RAMP_SECONDS * self.rate)

    # -- voice ----------------------------------------------------------------------
    def _spoken_cues(self) -> list[Cue]:
        return [c for c in self.plan.cues if cue_is_spoken(c, self.settings)]

    def _prepare_voice(self) -> None:
        texts = [c.text for c in self._spoken_cues()]
        if texts:
            self.voice.prepare(texts)

    def _wait_for_first_prompts(self, start_time: float) -> None:
        """A start waits a moment (bounded, on the voice's ready signal) for its first
        words; a prompt later than that, or any later one, is re-rendered in when ready."""
        first = [c.text for c in self._spoken_cues() if start_time <= c.time < start_time + 1.0]
        if first:
            self.voice.wait_for(first, START_WAIT_SECONDS)
