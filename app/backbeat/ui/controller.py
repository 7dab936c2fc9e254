"""The window's thin front end over the session player.

Widgets send ``*_requested`` signals here; the controller turns them into player intents
(:class:`~backbeat.player.session_player.SessionPlayer` keeps the engine and the sound
together) and hands the widgets fresh view states. A single-shot timer only wakes it up
when the page will look different (:mod:`backbeat.ui.frame_pacing`): where the session is
always comes from the player's frame, whose clock follows the sound heard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from backbeat.audio.mixer import SoundSettings
from backbeat.core.durations import format_duration
from backbeat.core.engine import SessionEngine
from backbeat.core.model import Mode
from backbeat.core.plan import PlanOverrides, SessionPlan
from backbeat.player.session_player import PlayerFrame, PlayerState, SessionPlayer
from backbeat.player.sound_system import SoundSystem, output_device_names
from backbeat.ui.draft_planner import DraftPlanner
from backbeat.ui.frame_pacing import FramePacer
from backbeat.ui.main_window import MainWindow
from backbeat.ui.off_thread import OffThread
from backbeat.ui.protocol_library import PendingSave, ProtocolLibrary, UserFolderScan
from backbeat.ui.session_state import SessionViews, start_sound_note, summary_view_state
from backbeat.ui.settings import AppSettings, SettingsStore
from backbeat.ui.settings_dialog import SettingsDialog
from backbeat.ui.start_model import DraftResult, DurationDraft, StartModel
from backbeat.ui.theme import apply_theme, resolve_theme, system_prefers_dark
from backbeat.ui.user_folder_reader import UserFolderReader
from backbeat.ui.view_state import NO_SOUND_TEXT, Problem
from backbeat.ui.voice_session import VoiceSetup, WindowVoice

#: How long "Sound is back" stays on screen.
SOUND_BACK_SHOWN_MS = 4000
#: The settings file is written once the changes stop for this long (a slider dragged
#: or + held down must not sync the file at every step); closing writes what is pending.
SETTINGS_SAVE_DELAY_MS = 400


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
        voice: VoiceSetup | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._store = settings_store
        self._sound = sound
        self._library = ProtocolLibrary(bundled_dir, user_dir)
        self.settings = settings_store.load()
        self._problems: list[Problem] = [self._problem_of(sound, p) for p in sound.problems]
        self._problems += [Problem(p) for p in settings_store.problems]
        self._lighter = False
        self._views = SessionViews()
        self._start = StartModel(chosen_mode=mode)
        self._plans = DraftPlanner(self)
        self._plans.planned.connect(self._prepare_voice)
        self._reader: UserFolderReader | None = None
        self._saver = OffThread("backbeat-save-protocol", self)
        self.player: SessionPlayer | None = None
        self.plan: SessionPlan | None = None
        self._full_screen = False
        self._dialog: SettingsDialog | None = None
        #: The window's sound changed output or device: open it again once no session runs.
        self.sound_reopen_requested: Callable[[], None] | None = None
        # While the real sound is being opened (after the first paint), a start waits for
        # it: a session begun on the silent stand-in would stay silent to its end.
        self._sound_pending = False
        self._sound_reopen_wanted = False
        self.pacer = FramePacer(self.refresh, self)
        #: Voice commands: the one owner of the listener, stopped when a session ends.
        self.voice = WindowVoice(self, window.session_view, window, voice or VoiceSetup())
        self._save_due = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SETTINGS_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_settings_now)
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
        session.stay_longer_requested.connect(self.stay_longer)
        session.too_much_requested.connect(self.too_much)
        session.continue_lighter_requested.connect(self.continue_lighter)
        session.end_requested.connect(self.end_session)
        session.metronome_toggle_requested.connect(
            lambda: self.update_sound(
                replace(self.settings.sound, metronome_on=not self.settings.sound.metronome_on)
            )
        )
        session.voice_toggle_requested.connect(
            lambda: self.update_sound(
                replace(self.settings.sound, voice_on=not self.settings.sound.voice_on)
            )
        )
        session.volume_up_requested.connect(lambda: self.update_sound(self.settings.sound.louder()))
        session.volume_down_requested.connect(
            lambda: self.update_sound(self.settings.sound.quieter())
        )
        w.summary_view.back_requested.connect(self.back_to_start)
        w.banner.dismiss_requested.connect(self.dismiss_problems)
        w.banner.retry_requested.connect(self.retry_sound)
        w.full_screen_changed.connect(self._on_full_screen)
        w.quit_requested.connect(w.close)
        w.closed.connect(self.shutdown)

    # -- problems -----------------------------------------------------------------------
    def add_problem(self, text: str | Problem, level: str = "warning") -> None:
        problem = text if isinstance(text, Problem) else Problem(text, level)
        if problem not in self._problems:
            self._problems.append(problem)
        self._show_problems()

    @staticmethod
    def _problem_of(sound: SoundSystem, text: str) -> Problem:
        """No device: plain words and a Retry (the device's own error is for the log)."""
        if sound.silent and text == sound.output_message and text.startswith("No sound"):
            return Problem(NO_SOUND_TEXT, retry=True, details=text)
        return Problem(text)

    def sound_works(self) -> bool:
        """False when nothing will be heard (no device); True while it is still opening."""
        return self._sound_pending or not self._sound.silent

    def retry_sound(self) -> None:
        """Retry in the banner: open the sound device again (once no session runs)."""
        self._problems = [p for p in self._problems if not p.retry]
        self._show_problems()
        self._sound_reopen_wanted = True
        self._reopen_sound_if_asked()

    def dismiss_problems(self) -> None:
        self._problems.clear()
        self._show_problems()

    def _show_problems(self) -> None:
        self.window.set_problems(tuple(self._problems))

    def expect_sound_system(self) -> None:
        """The real sound is on its way (:meth:`set_sound_system`); starts wait for it."""
        self._sound_pending = True

    def set_sound_system(self, sound: SoundSystem) -> None:
        """Swap in the real sound once it is open (it opens after the first paint). The
        controller does not own it: whoever opened it closes it."""
        self._sound = sound
        self._sound_pending = False
        for text in sound.problems:
            problem = self._problem_of(sound, text)
            self.add_problem(problem)
        self._prepare_voice()
        self._render_start()
        if self._start.waiting_for_sound:
            self._edit_start(replace(self._start, waiting_for_sound=False))
            self.start_session()

    # -- the start screen ---------------------------------------------------------------
    def _load_library(self, protocol_path: Path | None) -> None:
        """The bundled protocols now; the user's once read off the UI thread (after the
        the reader starts after the first paint)."""
        cache = self._library.cache()
        opened = self._library.open(protocol_path, cache)
        for problem in opened.problems:
            self.add_problem(problem.text, problem.level)
        start = self._start.with_entries(opened.entries, opened.select)
        self._start = replace(start, reading_user_folder=True)
        self._reader = UserFolderReader(self._library, cache, opened.entries, self)
        self._reader.finished.connect(self._add_user_protocols)
        self._reader.start_after_paint(self.window)

    def _add_user_protocols(self, scan: UserFolderScan) -> None:
        for problem in scan.problems:
            self.add_problem(problem.text, problem.level)
        entries = self._library.merged(self._start.entries, scan.entries)
        start = self._start.with_entries(entries, None)  # the choice made meanwhile stays
        self._edit_start(replace(start, reading_user_folder=False))

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

    def save_as(self, title: str) -> None:
        """Write the edited protocol into the user's folder under a new id (never over a
        file), off the UI thread; the list then shows it, chosen."""
        if self._saver.busy:
            return  # the button is disabled meanwhile; a second id must not be picked yet
        pending = self._library.prepare_save(self._start, title, self._draft_result())
        if isinstance(pending, StartModel):
            self._edit_start(pending)
            return
        self._saver.run(
            lambda: self._library.write(pending),
            lambda error: self._saved(pending, error),
        )
        saving = replace(self._start, saving=True, save_error="", saved_path="")
        self._edit_start(replace(saving, save_message="Saving…"))

    def _saved(self, pending: PendingSave, error: str | None) -> None:
        if error is None:  # the writer itself failed (logged): say so, never "Saved"
            error = "Could not save: something went wrong; please report it (see the log)."
        self._edit_start(replace(self._library.saved(self._start, pending, error), saving=False))

    def _render_start(self) -> None:
        note = start_sound_note(self.settings.sound, sound_ok=self.sound_works())
        state = self._start.view_state(sound_note=note, result=self._draft_result())
        self.window.start_view.set_state(state)
        title = f"Backbeat – {state.title}" if state.title else "Backbeat"
        self.window.setWindowTitle(title)
        self._prepare_voice()

    def _prepare_voice(self) -> None:
        """Have the prompts (and the "ease off" one) made ahead, off the UI thread: one
        made on demand when Esc is pressed would block the window while it is made."""
        plan = self.plan if self.player is not None else None
        if plan is None and self._start.draft is not None:
            plan = self._plans.ready_plan(self._start.draft)  # else when it is built
        if plan is not None:
            self._sound.prepare(plan, self.settings.sound)

    # -- the session --------------------------------------------------------------------
    def start_session(self) -> bool:
        draft = self._start.draft
        # The plan of the numbers shown, even while typing has just paused.
        result = self._plans.result_now(draft) if draft else None
        if result is None or result.plan is None:
            self._render_start()  # a late plan error shows; else the hint says why
            return False
        plan = result.plan
        if not self._start.view_state(result=result).can_start:
            return False  # the start screen already says why (start_hint)
        if self._sound_pending:  # starts from set_sound_system once the sound is open
            self._edit_start(replace(self._start, waiting_for_sound=True))
            return False
        self._close_player()
        self.plan = plan
        self.player = SessionPlayer(plan, self._sound.session(plan, self.settings.sound))
        # Listening first: loading the recogniser holds the interpreter's lock for about
        # half a second, which must not fall into the session's first sounds.
        self.voice.start(self.player)
        self.player.start()
        self.window.show_page("session")
        self.pacer.start()
        self.session_started.emit()
        self.refresh()
        return True

    @property
    def engine(self) -> SessionEngine | None:
        """The running session's engine (tests look at its state)."""
        return self.player.engine if self.player is not None else None

    def refresh(self) -> None:
        """One frame: what happened, then where we are."""
        player = self.player
        if player is None or self.window.current_page() != "session":
            return
        frame = player.frame()
        for text in frame.notices:
            self._show_sound_notice(text, frame.sound_lost)
        if frame.step_changed is not None:
            self.technique_changed.emit(frame.step_changed)
        if frame.stopped_early is not None:
            self._finish(frame.stopped_early)
            return
        self._render_session(frame)
        if frame.state is PlayerState.RUNNING and self.plan is not None:
            animate = not self.settings.reduced_motion
            self.pacer.after_frame(frame.position, self.plan, animate=animate)

    def _show_sound_notice(self, text: str, lost: bool) -> None:
        if lost or self.window.sound_banner.lost:
            self.window.sound_banner.show_notice(text, lost=lost)
            if not lost:
                QTimer.singleShot(SOUND_BACK_SHOWN_MS, self._clear_sound_back)
        else:
            self.add_problem(text)  # the voice changed engine: the ordinary banner

    def _clear_sound_back(self) -> None:
        if not self.window.sound_banner.lost:
            self.window.sound_banner.clear()

    def _render_session(self, frame: PlayerFrame | None = None) -> None:
        player, plan = self.player, self.plan
        if player is None or plan is None:
            return
        state = player.state
        caption = frame.caption if frame is not None else player.caption
        if frame is not None:
            self._lighter = frame.lighter
        sound_ok = self.sound_works() and not (frame is not None and frame.sound_lost)
        position = frame.position if frame is not None else player.position()
        view = self._views.build(
            plan,
            position,
            self.settings,
            caption=caption,
            paused=state is PlayerState.PAUSED,
            too_much=state is PlayerState.TOO_MUCH,
            full_screen=self._full_screen,
            lighter=self._lighter,
            sound_ok=sound_ok,
            sound_lost=self.window.sound_banner.lost,
        )
        self.window.session_view.set_state(view)

    def act(self, intent: Callable[[SessionPlayer], None]) -> None:
        """What a key or a voice command asks of the player (see :meth:`_act`)."""
        self._act(intent)

    def _act(self, intent: Callable[[SessionPlayer], None]) -> None:
        """Hand an intent to the player, keep the frame timer in step, repaint."""
        if self.player is None:
            return
        intent(self.player)
        if self.player.state is PlayerState.RUNNING:
            self.pacer.start()
        else:
            self.pacer.stop()
        self.refresh()

    def toggle_pause(self) -> None:
        self._act(SessionPlayer.toggle_pause)

    def next_technique(self) -> None:
        self._act(SessionPlayer.next)

    def previous_technique(self) -> None:
        self._act(SessionPlayer.previous)

    def stay_longer(self) -> None:
        def stay(player: SessionPlayer) -> None:
            player.stay_longer()

        self._act(stay)

    def too_much(self) -> None:
        self._act(SessionPlayer.too_much)

    def continue_lighter(self) -> None:
        self._act(SessionPlayer.continue_lighter)

    def end_session(self) -> None:
        self._act(SessionPlayer.end)

    def _finish(self, stopped_early: bool) -> None:
        self.pacer.stop()
        self.voice.stop()
        assert self.player is not None and self.plan is not None
        summary = self.player.summary()
        if stopped_early:  # after a full session the closing words are still playing
            self._close_player()
        state = summary_view_state(summary, self.plan, stopped_early)
        self.window.summary_view.set_state(state)
        self.window.show_page("summary")
        self.session_finished.emit(stopped_early)

    def back_to_start(self) -> None:
        self._close_player()
        self.window.show_page("start")
        self._render_start()
        self._reopen_sound_if_asked()

    def _close_player(self) -> None:
        self.voice.stop()  # first: the listener watches the player's sound
        if self.player is not None:
            self.player.close()
            self.player = None

    # -- settings and look --------------------------------------------------------------
    def update_sound(self, sound: SoundSettings) -> None:
        self.update_settings(self.settings.with_sound(sound))

    def update_settings(self, settings: AppSettings) -> None:
        settings = self.voice.review(self.settings, settings)
        old, self.settings = self.settings, settings
        self._save_due = True
        self._save_timer.start()  # (again): written once the changes stop
        if self._dialog is not None and self._dialog.current() != settings:
            self._dialog.set_settings(settings)  # M/V/+/− must not leave it showing old values
        if self.player is not None:
            self.player.set_settings(settings.sound)
        if settings.sound.voice_on and not old.sound.voice_on:
            self._prepare_voice()  # nothing was made while the voice was off
        if self.player is None and (old.sound.metronome_on, old.sound.voice_on) != (
            settings.sound.metronome_on,
            settings.sound.voice_on,
        ):
            self._render_start()  # the start page says what is off
        running = self.player is not None and self.player.state is not PlayerState.FINISHED
        self.voice.restart_if_changed(old, settings, self.player if running else None)
        if (old.theme, old.text_size) != (settings.theme, settings.text_size):
            self.apply_look()
        sound_source = (settings.output, settings.output_device, settings.sound.voice_speed)
        if (old.output, old.output_device, old.sound.voice_speed) != sound_source:
            self._sound_reopen_wanted = True
            self._reopen_sound_if_asked()
        self._render_session()

    def save_settings_now(self) -> None:
        """Write the settings if a change is still waiting to be written."""
        self._save_timer.stop()
        if self._save_due:
            self._save_due = False
            self._store.save(self.settings)

    def _reopen_sound_if_asked(self) -> None:
        if self._sound_reopen_wanted and self.player is None and self.sound_reopen_requested:
            self._sound_reopen_wanted = False
            self.sound_reopen_requested()

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
            from backbeat.listen.sources import input_devices  # not before the first paint

            self._dialog = SettingsDialog(
                self.settings, self.window, output_device_names(), input_devices()
            )
            self._dialog.settings_requested.connect(self.update_settings)
        else:
            self._dialog.set_settings(self.settings)
        self._dialog.show()
        self._dialog.raise_()
        return self._dialog

    def _on_full_screen(self, on: bool) -> None:
        self._full_screen = on
        self._render_session()

    def _draft_result(self) -> DraftResult | None:
        draft = self._start.draft
        return self._plans.result(draft) if draft is not None else None

    def shutdown(self) -> None:
        self.pacer.stop()
        self.save_settings_now()
        self._plans.close()
        self._saver.close()
        if self._reader is not None:
            self._reader.close()
        if self._dialog is not None:
            self._dialog.close()
        self._close_player()
