"""Window tests run offscreen, on a fake clock, with the real session audio writing into
memory (``MemoryOutput``) and a chime voice: nothing touches a display, a sound card or
the user's settings."""

from __future__ import annotations

import os

# Before Qt is imported anywhere: no display needed. The Xvfb test (tests/e2e) starts its
# own subprocess with a clean environment, so this does not leak there.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backbeat.audio.chime import ChimeEngine
from backbeat.audio.output import MemoryOutput
from backbeat.audio.voice import PromptVoice
from backbeat.core.clock import FakeClock
from backbeat.core.model import Direction, Mode, Pressure, Protocol
from backbeat.core.model import Path as MovePath
from backbeat.core.plan import PlanOverrides
from backbeat.core.protocol_io import save_protocol
from backbeat.core.zones import Zone
from backbeat.player.sound_system import SoundSystem
from backbeat.ui.app import WindowParts, build_window
from backbeat.ui.settings import SettingsStore
from tests.core.factories import block, protocol, technique


def short_protocol() -> Protocol:
    """Two minutes, three techniques over two blocks, one of them over the kidneys."""
    circles = replace(
        technique(
            "fingertip-circles",
            zones=(Zone.LUMBAR, Zone.LOWER_THORACIC),
            pressure=Pressure.MEDIUM,
            relaxing=30,
            stimulating=60,
            spot_limit=10.0,
        ),
        path=MovePath.CIRCULAR,
    )
    sideways = replace(
        technique("spreading", zones=(Zone.SHOULDER_BLADES,), relaxing=20, stimulating=60),
        direction=Direction.CENTRE_TO_SIDES,
    )
    built = protocol(
        block("stroking", 40.0, technique("planar-stroking", relaxing=20), sideways),
        block("rubbing", 80.0, circles),
        protocol_id="short-test",
    )
    return replace(built, title="Short test massage", default_mode=Mode.RELAXING)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
def output(fake_clock: FakeClock) -> MemoryOutput:
    return MemoryOutput(fake_clock)


@pytest.fixture
def sound(output: MemoryOutput) -> SoundSystem:
    """The real sound system: SessionAudio renders into memory; the voice is a chime."""
    return SoundSystem(output, PromptVoice([ChimeEngine()], cache=None))


@pytest.fixture
def settings_store(tmp_path: Path) -> SettingsStore:
    return SettingsStore.at_path(tmp_path / "settings.ini")


@pytest.fixture
def library_dirs(tmp_path: Path) -> tuple[Path, Path]:
    bundled = tmp_path / "bundled"
    user = tmp_path / "user"
    bundled.mkdir()
    save_protocol(short_protocol(), bundled / "short-test.yaml")
    return bundled, user


def short_test_window(
    library_dirs: tuple[Path, Path],
    settings_store: SettingsStore,
    sound: SoundSystem,
    overrides: PlanOverrides | None = None,
) -> WindowParts:
    """The window on the short test protocol, over the test's own folders and sound."""
    bundled, user = library_dirs
    return build_window(
        bundled / "short-test.yaml",
        overrides=overrides,
        settings_store=settings_store,
        sound=sound,
        bundled_dir=bundled,
        user_dir=user,
    )


@pytest.fixture
def parts(
    qtbot: object,
    settings_store: SettingsStore,
    sound: SoundSystem,
    library_dirs: tuple[Path, Path],
) -> Iterator[WindowParts]:
    built = short_test_window(library_dirs, settings_store, sound)
    qtbot.addWidget(built.window)  # type: ignore[attr-defined]
    built.window.show()
    qtbot.waitExposed(built.window, timeout=2000)  # type: ignore[attr-defined]
    built.window.activateWindow()
    wait_for_user_protocols(qtbot, built)
    yield built
    built.controller.shutdown()


def wait_for_user_protocols(qtbot: object, parts: WindowParts) -> None:
    """Until the user's folder is read (off the UI thread) and its protocols are listed."""
    view = parts.window.start_view
    qtbot.waitUntil(lambda: not view.state().library_note, timeout=10000)  # type: ignore[attr-defined]


def start_session(parts: WindowParts) -> None:
    """Tick the health check and start, as a user would."""
    parts.window.start_view.acknowledge.setChecked(True)
    assert parts.controller.start_session()


def advance(parts: WindowParts, clock: FakeClock, seconds: float, step: float = 0.5) -> None:
    """Let ``seconds`` of session pass in frames, as the UI timer would."""
    remaining = seconds
    while remaining > 1e-9:
        dt = min(step, remaining)
        clock.advance(dt)
        parts.controller.refresh()
        remaining -= dt


def press(
    qtbot: QtBot,
    parts: WindowParts,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """A key pressed on the window, as a user (or a foot pedal) would."""
    qtbot.keyClick(parts.window, key, modifier)
