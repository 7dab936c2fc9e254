"""The window opens its sound off the UI thread and owns what it opened: quitting closes
every sound system, whether or not it had reached the window."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from backbeat.audio.chime import ChimeEngine
from backbeat.audio.output import MemoryOutput
from backbeat.audio.voice import PromptVoice
from backbeat.core.clock import FakeClock
from backbeat.player.sound_system import SoundSystem
from backbeat.ui.app import SoundChoice, SoundOpener, WindowParts


class CountedSound(SoundSystem):
    """A real (memory) sound system that remembers being closed."""

    def __init__(self) -> None:
        super().__init__(MemoryOutput(FakeClock(0.0)), PromptVoice([ChimeEngine()], cache=None))
        self.closed = 0

    def close(self) -> None:
        self.closed += 1
        super().close()


@pytest.fixture
def handed_over(parts: WindowParts, monkeypatch: pytest.MonkeyPatch) -> list[SoundSystem]:
    """The sound systems the window was given, in order."""
    given: list[SoundSystem] = []
    real = parts.controller.set_sound_system

    def record(sound: SoundSystem) -> None:
        given.append(sound)
        real(sound)

    monkeypatch.setattr(parts.controller, "set_sound_system", record)
    return given


def test_the_opened_sound_is_handed_over_then_closed_on_quit(
    qtbot: QtBot, parts: WindowParts, handed_over: list[SoundSystem]
) -> None:
    sound = CountedSound()
    opener = SoundOpener(parts.controller, SoundChoice(), open_system=lambda _choice: sound)
    opener.start().join(5)
    qtbot.waitUntil(lambda: handed_over == [sound])
    assert sound.closed == 0
    opener.close()
    assert sound.closed == 1


def test_a_sound_that_opens_while_quitting_is_closed_and_never_handed_over(
    qtbot: QtBot, parts: WindowParts, handed_over: list[SoundSystem]
) -> None:
    release = threading.Event()
    sound = CountedSound()

    def slow_open(_choice: SoundChoice) -> SoundSystem:
        release.wait(10)
        return sound

    opener = SoundOpener(parts.controller, SoundChoice(), open_system=slow_open)
    worker = opener.start()
    threading.Timer(0.2, release.set).start()  # the device answers once quitting began
    opener.close()  # waits for it: a voice still loading must not outlive the process
    assert not worker.is_alive()
    assert sound.closed == 1
    qtbot.wait(50)  # a hand-over still queued would run now
    assert handed_over == []


def test_module_sources_read_at_import_are_let_go_once_the_sound_is_open(
    qtbot: QtBot, parts: WindowParts, handed_over: list[SoundSystem]
) -> None:
    import linecache

    import backbeat.core.prompts

    # What PySide6's import hook does for every module imported after it.
    linecache.getlines(backbeat.core.prompts.__file__)
    assert linecache.cache
    sound = CountedSound()
    opener = SoundOpener(parts.controller, SoundChoice(), open_system=lambda _choice: sound)
    opener.start().join(5)
    qtbot.waitUntil(lambda: handed_over == [sound])
    assert not linecache.cache
    opener.close()
