"""Voice commands in the window, with a recording as the microphone: a spoken "coach,
next" moves the session on and is shown; the setting is explained once, and stays off
when there is no microphone or no recogniser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backbeat.core.clock import FakeClock
from backbeat.listen.sources import ArraySource, AudioSource, MicrophoneUnavailable
from backbeat.player.sound_system import SoundSystem
from backbeat.player.voice_commands import NoMicrophone, NoRecogniser, VoiceUnavailable
from backbeat.ui.app import WindowParts, build_window
from backbeat.ui.settings import AppSettings, SettingsStore
from backbeat.ui.voice_session import NO_MICROPHONE_TEXT, NO_RECOGNISER_TEXT, VoiceSetup
from tests.listen.corpus import Synthesiser, padded
from tests.ui.conftest import advance, start_session

ON = AppSettings(voice_commands=True, voice_commands_explained=True)


@pytest.fixture(scope="module")
def synth(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Synthesiser:
    pytest.importorskip("pocketsphinx")
    pytest.importorskip("piper")
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("backbeat-voice-corpus") if cache else tmp_path_factory.mktemp("c")
    return Synthesiser(Path(folder) / "speech")


def _said(synth: Synthesiser, text: str) -> np.ndarray:
    return padded(synth.speak(text, "piper-joe", "normal"), before=1.0, after=1.0)


class Window:
    """Builds the test window with a voice set-up; closes what it built."""

    def __init__(
        self,
        qtbot: QtBot,
        library_dirs: tuple[Path, Path],
        store: SettingsStore,
        sound: SoundSystem,
    ) -> None:
        self._qtbot, self._dirs, self._store, self._sound = qtbot, library_dirs, store, sound
        self.built: list[WindowParts] = []

    def open(self, setup: VoiceSetup, settings: AppSettings | None = None) -> WindowParts:
        if settings is not None:
            self._store.save(settings)
        bundled, user = self._dirs
        parts = build_window(
            bundled / "short-test.yaml",
            settings_store=self._store,
            sound=self._sound,
            bundled_dir=bundled,
            user_dir=user,
            voice=setup,
        )
        self._qtbot.addWidget(parts.window)
        parts.window.show()
        self._qtbot.waitExposed(parts.window, timeout=2000)
        self.built.append(parts)
        return parts


@pytest.fixture
def window(
    qtbot: QtBot, library_dirs: tuple[Path, Path], settings_store: SettingsStore, sound: SoundSystem
) -> Iterator[Window]:
    made = Window(qtbot, library_dirs, settings_store, sound)
    yield made
    for parts in made.built:
        parts.controller.shutdown()


def _no_problem(device: str | None) -> VoiceUnavailable | None:
    return None


def _problems(parts: WindowParts) -> list[str]:
    return [p.text for p in parts.window.banner.problems()]


def test_coach_next_spoken_moves_the_session_on_and_shows_what_was_heard(
    qtbot: QtBot, window: Window, synth: Synthesiser, fake_clock: FakeClock
) -> None:
    recording = _said(synth, "Coach, next.")
    devices: list[str | None] = []

    def source(device: str | None) -> AudioSource:
        devices.append(device)
        return ArraySource(recording)

    parts = window.open(VoiceSetup(source=source, check=_no_problem), ON)
    start_session(parts)
    view = parts.window.session_view
    controller = parts.controller
    assert controller.voice.listening and view.listening.isVisible()
    assert view.state().technique_title == "Planar stroking"
    qtbot.waitUntil(lambda: view.state().technique_title == "Spreading", timeout=30000)
    assert view.heard_overlay.isVisible() and view.heard_overlay.text() == "Heard: next"
    assert devices == [None]  # the system's default microphone
    advance(parts, fake_clock, 2.5)
    # "Heard:" stays for 2 s, then goes by itself (a loaded machine may run the timer late).
    qtbot.waitUntil(lambda: not view.heard_overlay.isVisible(), timeout=5000)
    controller.end_session()
    assert not controller.voice.listening and not view.listening.isVisible()


def test_the_listening_indicator_follows_the_microphone_level(qtbot: QtBot, window: Window) -> None:
    loud = (0.3 * np.sin(np.arange(16000 * 30) * 0.05) * 32767).astype(np.int16)
    parts = window.open(VoiceSetup(source=lambda d: ArraySource(loud), check=_no_problem), ON)
    start_session(parts)
    indicator = parts.window.session_view.listening
    qtbot.waitUntil(lambda: indicator.state() > 0.1, timeout=5000)


def test_turning_it_on_is_explained_once_and_on_only_when_agreed(
    qtbot: QtBot, window: Window, settings_store: SettingsStore
) -> None:
    parts = window.open(
        VoiceSetup(source=lambda d: ArraySource(np.zeros(16000)), check=_no_problem)
    )
    controller = parts.controller
    assert controller.settings.voice_commands is False  # off by default
    dialog = controller.open_settings()
    dialog.voice_commands.setChecked(True)
    box = controller.voice.explanation
    assert box is not None and box.isVisible()
    assert "Nothing is recorded, stored or sent anywhere" in box.text()
    assert not controller.settings.voice_commands and not dialog.voice_commands.isChecked()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # "not now"
    qtbot.waitUntil(lambda: not box.isVisible())
    assert not controller.settings.voice_commands
    dialog.voice_commands.setChecked(True)
    box = controller.voice.explanation
    assert box is not None and box.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # "Turn on", from the keyboard
    qtbot.waitUntil(lambda: controller.settings.voice_commands)
    assert dialog.voice_commands.isChecked()
    controller.save_settings_now()  # written a moment after a change
    assert settings_store.load().voice_commands_explained is True
    dialog.voice_commands.setChecked(False)
    dialog.voice_commands.setChecked(True)  # the second time: on at once
    assert controller.settings.voice_commands and not controller.voice.explanation.isVisible()


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (NoMicrophone("Voice commands are off: no microphone was found."), NO_MICROPHONE_TEXT),
        (NoRecogniser("Voice commands are off: pocketsphinx is missing."), NO_RECOGNISER_TEXT),
    ],
)
def test_without_a_microphone_or_the_recogniser_the_setting_stays_off(
    window: Window, settings_store: SettingsStore, problem: VoiceUnavailable, text: str
) -> None:
    parts = window.open(VoiceSetup(check=lambda device: problem))
    controller = parts.controller
    dialog = controller.open_settings()
    dialog.voice_commands.setChecked(True)
    assert not controller.settings.voice_commands and not dialog.voice_commands.isChecked()
    assert text in _problems(parts)
    assert controller.voice.explanation is None  # nothing to explain: it cannot run
    controller.save_settings_now()
    assert settings_store.load().voice_commands is False


def test_a_microphone_that_fails_at_the_start_turns_the_setting_off_and_the_session_runs(
    window: Window, settings_store: SettingsStore
) -> None:
    def broken(device: str | None) -> AudioSource:
        source = ArraySource(np.zeros(16000))

        def start() -> None:
            raise MicrophoneUnavailable("cannot listen to a microphone (Device unavailable)")

        source.start = start  # type: ignore[method-assign]
        return source

    parts = window.open(VoiceSetup(source=broken, check=_no_problem), ON)
    start_session(parts)
    assert parts.window.current_page() == "session"
    assert NO_MICROPHONE_TEXT in _problems(parts)
    assert not parts.controller.voice.listening
    parts.controller.save_settings_now()
    assert settings_store.load().voice_commands is False


def test_s_stays_longer_and_the_help_lists_it(qtbot: QtBot, parts: WindowParts) -> None:
    start_session(parts)
    controller = parts.controller
    assert controller.plan is not None and controller.player is not None
    before = controller.player.plan.total
    qtbot.keyClick(parts.window, "s")
    assert controller.player.plan.total > before + 25
    assert parts.window.session_view.state().caption.startswith("Staying")
    parts.window.toggle_help()
    labels = [
        w.text() for w in parts.window.help.findChildren(type(parts.window.session_view.caption))
    ]
    assert "S" in labels
