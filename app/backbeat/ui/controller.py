"""The one place where the session engine, the sound and the widgets meet.

Widgets send ``*_requested`` signals here; the controller changes the engine and the
sound together (so the clicks heard and the screen never drift apart) and hands the
widgets fresh view states. A QTimer only wakes it up: where the session is always comes
from ``engine.position()``, whose clock follows the audio stream.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from backbeat.core import prompts
from backbeat.core.durations import format_duration
from backbeat.core.engine import CueDue, EngineState, Finished, SessionEngine, StepChanged
from backbeat.core.model import Mode
from backbeat.core.plan import CueKind, PlanOverrides, SessionPlan
from backbeat.ui.main_window import MainWindow
from backbeat.ui.protocol_library import ProtocolLibrary
from backbeat.ui.session_state import session_view_state, summary_view_state
from backbeat.ui.settings import AppSettings, SettingsStore
from backbeat.ui.settings_dialog import SettingsDialog
from backbeat.ui.sound import SessionSound, SoundSystem
from backbeat.ui.start_model import DurationDraft, StartModel
from backbeat.ui.theme import apply_theme, resolve_theme, system_prefers_dark
from backbeat.ui.view_state import Problem

LIGHTER_CAPTION = "Carry on, more lightly."
#: How often the UI wakes up while a session runs: 25 Hz keeps the beat flash within a
#: frame (40 ms) of the click and the marker smooth, at under 3 % of a core (30 Hz: ~3.7 %).
FRAME_INTERVAL_MS = 40
#: The sound renders a minute ahead, so topping it up every few frames is plenty.
SOUND_TICK_EVERY = 3


class SessionController(QObject):
    technique_changed = Signal(int)  # the step index now playing
    session_started = Signal()
    session_finished = Signal(bool)  # stopped early?

    def __init__(
        self,
        window: MainWindow,
        settings_store: SettingsStore,
        sound: SoundSystem,
        *,
        bundled_dir: Path,
        user_dir: Path,
        protocol_path: Path | None = None,
        mode: Mode | None = None,
        overrides: PlanOverrides | None = None,
        frame_interval_ms: int = FRAME_INTERVAL_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._store = settings_store
        self._sound = sound
        self._library = ProtocolLibrary(bundled_dir, user_dir)
        self.settings = settings_store.load()
        self._problems: list[Problem] = [Problem(p) for p in sound.problems]
        self._problems += [Problem(p) for p in settings_store.problems]
        self._start = StartModel(chosen_mode=mode)
        self.engine: SessionEngine | None = None
        self.plan: SessionPlan | None = None
        self._sound_session: SessionSound | None = None
        self._caption = ""
        self._too_much = False
        self._full_screen = False
        self._frames = 0
        self._dialog: SettingsDialog | None = None
        # While the real sound is being opened (after the first paint), a start waits for
        # it: a session begun on the silent stand-in would stay silent to its end.
        self._sound_pending = False
        self.timer = QTimer(self)
        self.timer.setInterval(frame_interval_ms)
        self.timer.timeout.connect(self.refresh)
        self._connect()
        self.apply_look()
        self._load_library(protocol_path)
        if overrides is not None:
            self._apply_initial_overrides(overrides)
        self._render_start()
        self._show_problems()

    # -- wiring -------------------------------------------------------------------------
    def _connect(self) -> None:
        w = self.window
        start, session = w.start_view, w.session_view
        start.protocol_requested.connect(self.select_protocol)
        start.mode_requested.connect(
            lambda value: self._edit_start(self._start.with_mode(Mode(value)))
        )
        start.block_minutes_requested.connect(self.set_block_minutes)
        start.total_requested.connect(self.set_total_minutes)
        start.reset_requested.connect(self.reset_durations)
        start.save_as_requested.connect(self.save_as)
        start.save_title_requested.connect(
            lambda title: self._edit_start(replace(self._start, save_title=str(title)))
        )
        start.acknowledge_requested.connect(
            lambda on: self._edit_start(replace(self._start, acknowledged=bool(on)))
        )
        start.start_requested.connect(self.start_session)
        start.settings_requested.connect(self.open_settings)
        session.pause_requested.connect(self.toggle_pause)
        session.next_requested.connect(self.next_technique)
        session.previous_requested.connect(self.previous_technique)
        session.too_much_requested.connect(self.too_much)
        session.continue_lighter_requested.connect(self.continue_lighter)
        session.end_requested.connect(self.end_session)
        session.metronome_toggle_requested.connect(
            lambda: self.update_settings(
                replace(self.settings, metronome_on=not self.settings.metronome_on)
            )
        )
        session.voice_toggle_requested.connect(
            lambda: self.update_settings(
                replace(self.settings, voice_on=not self.settings.voice_on)
            )
        )
        session.volume_up_requested.connect(lambda: self.update_settings(self.settings.louder()))
        session.volume_down_requested.connect(lambda: self.update_settings(self.settings.quieter()))
        w.summary_view.back_requested.connect(self.back_to_start)
        w.banner.dismiss_requested.connect(self.dismiss_problems)
        w.full_screen_changed.connect(self._on_full_screen)
        w.quit_requested.connect(w.close)
        w.closed.connect(self.shutdown)

    # -- problems -----------------------------------------------------------------------
    def add_problem(self, text: str, level: str = "warning") -> None:
        problem = Problem(text, level)
        if problem not in self._problems:
            self._problems.append(problem)
        self._show_problems()

    def dismiss_problems(self) -> None:
        self._problems.clear()
        self._show_problems()

    def _show_problems(self) -> None:
        self.window.set_problems(tuple(self._problems))

    def expect_sound_system(self) -> None:
        """The real sound is on its way (:meth:`set_sound_system`); starts wait for it."""
        self._sound_pending = True

    def set_sound_system(self, sound: SoundSystem) -> None:
        """Swap in the real sound once it is open (it opens after the first paint)."""
        self._sound = sound
        self._sound_pending = False
        for text in sound.problems:
            self.add_problem(text)
        self._prepare_voice()
        if self._start.waiting_for_sound:
            self._edit_start(replace(self._start, waiting_for_sound=False))
            self.start_session()

    # -- the start screen ---------------------------------------------------------------
    def _load_library(self, protocol_path: Path | None) -> None:
        opened = self._library.open(protocol_path)
        for problem in opened.problems:
            self.add_problem(problem.text, problem.level)
        self._start = self._start.with_entries(opened.entries, opened.select)

    def _apply_initial_overrides(self, overrides: PlanOverrides) -> None:
        draft = self._start.draft
        if draft is None:
            return
        # Exact text, not minutes rounded to 0.1: "--set rubbing=45s" must stay 45 s.
        for block_id, seconds in overrides.block_durations.items():
            draft = draft.with_block(block_id, format_duration(seconds))
        if overrides.total is not None:
            draft = draft.with_total(format_duration(overrides.total))
        self._start = self._start.with_draft(draft)

    def _edit_start(self, model: StartModel) -> None:
        self._start = model
        self._render_start()

    def _edit_draft(self, draft: DurationDraft) -> None:
        self._edit_start(self._start.with_draft(draft))

    def select_protocol(self, key: str) -> None:
        self._edit_start(self._start.select_key(key))

    def set_block_minutes(self, block_id: str, text: str) -> None:
        if self._start.draft is not None:
            self._edit_draft(self._start.draft.with_block(block_id, text))

    def set_total_minutes(self, text: str) -> None:
        if self._start.draft is not None:
            self._edit_draft(self._start.draft.with_total(text))

    def reset_durations(self) -> None:
        if self._start.draft is not None:
            self._edit_draft(self._start.draft.reset())

    def save_as(self, title: str) -> Path | None:
        """Write the edited protocol into the user's folder under a new id; never overwrite."""
        model, path = self._library.save_as(self._start, title)
        self._edit_start(model)
        return path

    def _render_start(self) -> None:
        state = self._start.view_state()
        self.window.start_view.set_state(state)
        title = f"Backbeat – {state.title}" if state.title else "Backbeat"
        self.window.setWindowTitle(title)
        self._prepare_voice()

    def _prepare_voice(self) -> None:
        """Have the prompts (and the "ease off" one) made ahead, off the UI thread: one
        made on demand when Esc is pressed would block the window while it is made."""
        plan = self.plan if self._sound_session is not None else None
        if plan is None:
            draft = self._start.draft
            plan = draft.evaluate().plan if draft else None
        if plan is not None:
            self._sound.prepare(plan, self.settings)

    # -- the session --------------------------------------------------------------------
    def start_session(self) -> bool:
        draft = self._start.draft
        plan = draft.evaluate().plan if draft else None
        if plan is None or not self._start.view_state().can_start:
            return False  # the start screen already says why (start_hint)
        if self._sound_pending:  # starts from set_sound_system once the sound is open
            self._edit_start(replace(self._start, waiting_for_sound=True))
            return False
        self._close_sound()
        self.plan = plan
        self._sound_session = self._sound.session(plan, self.settings)
        self.engine = SessionEngine(plan, self._sound_session.clock)
        self._caption = ""
        self._too_much = False
        self.engine.start()
        self._sound_session.play_from(self.engine.session_time())
        self.window.show_page("session")
        self.timer.start()
        self.session_started.emit()
        self.refresh()
        return True

    def refresh(self) -> None:
        """One frame: top up the sound, collect what happened, render where we are."""
        engine, sound = self.engine, self._sound_session
        if engine is None or sound is None or self.window.current_page() != "session":
            return
        self._frames += 1
        if self._frames % SOUND_TICK_EVERY == 0:
            sound.tick()
        for event in engine.advance():
            if isinstance(event, StepChanged):
                self.technique_changed.emit(event.current)
            elif isinstance(event, CueDue):
                if event.cue.kind is not CueKind.SPOT or self.settings.spot_reminders:
                    self._caption = event.cue.text
            elif isinstance(event, Finished):
                self._finish(event.stopped_early)
                return
        self._render_session()

    def _render_session(self) -> None:
        engine, plan = self.engine, self.plan
        if engine is None or plan is None:
            return
        state = session_view_state(
            plan,
            engine.position(),
            self.settings,
            caption=self._caption,
            paused=engine.state is EngineState.PAUSED,
            too_much=self._too_much,
            full_screen=self._full_screen,
        )
        self.window.session_view.set_state(state)

    def _running(self) -> bool:
        return self.engine is not None and self.engine.state is EngineState.RUNNING

    def _pause(self) -> None:
        if self.engine is not None and self._sound_session is not None and self._running():
            self.engine.pause()
            self._sound_session.stop()
            self.timer.stop()

    def _resume(self) -> None:
        engine, sound = self.engine, self._sound_session
        if engine is not None and sound is not None and engine.state is EngineState.PAUSED:
            engine.resume()
            sound.play_from(engine.session_time())
            self.timer.start()

    def toggle_pause(self) -> None:
        if self._too_much:
            self.continue_lighter()
        elif self._running():
            self._pause()
        else:
            self._resume()
        self.refresh()

    def _skip(self, forwards: bool) -> None:
        engine, sound = self.engine, self._sound_session
        if engine is None or sound is None or self._too_much:
            return
        engine.next_step() if forwards else engine.previous_step()
        if engine.state is EngineState.RUNNING:
            sound.play_from(engine.session_time())
        self.refresh()

    def next_technique(self) -> None:
        self._skip(True)

    def previous_technique(self) -> None:
        self._skip(False)

    def too_much(self) -> None:
        if self.engine is None or self._sound_session is None:
            return
        if self._too_much:
            self.end_session()
            return
        self._pause()
        self._too_much = True
        self._caption = prompts.EASE_OFF
        if self.settings.voice_on:
            self._sound_session.speak_now(prompts.EASE_OFF)
        self.refresh()

    def continue_lighter(self) -> None:
        if not self._too_much:
            return
        self._too_much = False
        self._caption = LIGHTER_CAPTION
        self._resume()
        self.refresh()

    def end_session(self) -> None:
        if self.engine is None or self._sound_session is None:
            return
        self._too_much = False
        self.engine.stop()
        self._sound_session.stop()
        self.refresh()

    def _finish(self, stopped_early: bool) -> None:
        self.timer.stop()
        if stopped_early:
            self._close_sound()
        # After a full session the closing words are still playing: let them finish.
        assert self.engine is not None and self.plan is not None
        state = summary_view_state(self.engine.summary(), self.plan, stopped_early)
        self.window.summary_view.set_state(state)
        self.window.show_page("summary")
        self.session_finished.emit(stopped_early)

    def back_to_start(self) -> None:
        self._close_sound()
        self.window.show_page("start")
        self._render_start()

    def _close_sound(self) -> None:
        if self._sound_session is not None:
            self._sound_session.close()
            self._sound_session = None

    # -- settings and look --------------------------------------------------------------
    def update_settings(self, settings: AppSettings) -> None:
        old, self.settings = self.settings, settings
        self._store.save(settings)
        if self._dialog is not None and self._dialog.current() != settings:
            self._dialog.set_settings(settings)  # M/V/+/− must not leave it showing old values
        if self._sound_session is not None:
            self._sound_session.apply_settings(settings)
        if settings.voice_on and not old.voice_on:
            self._prepare_voice()  # nothing was made while the voice was off
        if (old.theme, old.text_size) != (settings.theme, settings.text_size):
            self.apply_look()
        self._render_session()

    def apply_look(self) -> None:
        theme = resolve_theme(
            self.settings.theme, self.settings.text_size, system_dark=system_prefers_dark()
        )
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.window.set_theme(theme)

    def open_settings(self) -> SettingsDialog:
        if self._dialog is None:
            self._dialog = SettingsDialog(self.settings, self.window)
            self._dialog.settings_requested.connect(self.update_settings)
        else:
            self._dialog.set_settings(self.settings)
        self._dialog.show()
        self._dialog.raise_()
        return self._dialog

    def _on_full_screen(self, on: bool) -> None:
        self._full_screen = on
        self._render_session()

    def shutdown(self) -> None:
        self.timer.stop()
        if self._dialog is not None:
            self._dialog.close()
        if self.engine is not None and self._running():
            self.engine.pause()
        self._close_sound()
