"""The main window: a problem banner above three pages (start, session, summary), the
keyboard shortcuts, routed to whichever page is showing, and the list of keys (? or F1)."""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from backbeat.ui.banner import ProblemBanner
from backbeat.ui.help_overlay import HelpOverlay
from backbeat.ui.session_scale import window_scale
from backbeat.ui.session_view import SessionView
from backbeat.ui.sound_banner import SoundBanner
from backbeat.ui.start_view import StartView
from backbeat.ui.summary_view import SummaryView
from backbeat.ui.svg_shapes import SvgShapes
from backbeat.ui.theme import Theme, apply_theme
from backbeat.ui.view_state import Problem

Key = Qt.Key
#: Every key the window answers, and the action it stands for. Foot pedals usually
#: send Page Up / Page Down or the arrows, so those work too.
KEY_ACTIONS: dict[str, tuple[Key, ...]] = {
    "space": (Key.Key_Space,),
    "enter": (Key.Key_Return, Key.Key_Enter),
    "next": (Key.Key_Right, Key.Key_PageDown),
    "previous": (Key.Key_Left, Key.Key_PageUp),
    "escape": (Key.Key_Escape,),
    "lighter": (Key.Key_L,),
    "end": (Key.Key_E,),
    "finish": (Key.Key_End,),
    "metronome": (Key.Key_M,),
    "voice": (Key.Key_V,),
    "louder": (Key.Key_Plus, Key.Key_Equal),
    "quieter": (Key.Key_Minus, Key.Key_Underscore),
}

PAGES = ("start", "session", "summary")
#: The start and summary pages' type grows with the window up to this (they scroll on
#: small windows rather than shrink below the normal size).
MAX_PAGE_GROWTH = 1.6
FULL_SCREEN_WAIT_MS = 300
#: Keys that show or hide the list of keys.
HELP_KEYS = (QKeySequence(Key.Key_F1), QKeySequence("?"), QKeySequence("Shift+?"))


class MainWindow(QMainWindow):
    quit_requested = Signal()
    settings_requested = Signal()
    full_screen_changed = Signal(bool)
    closed = Signal()

    def __init__(self, shapes: SvgShapes, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backbeat")
        self.setMinimumSize(960, 560)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        self.banner = ProblemBanner()
        self.sound_banner = SoundBanner()
        self.stack = QStackedWidget()
        self.start_view = StartView()
        self.session_view = SessionView(shapes, theme)
        self.summary_view = SummaryView()
        for page in (self.start_view, self.session_view, self.summary_view):
            self.stack.addWidget(page)
        layout.addWidget(self.banner)
        layout.addWidget(self.sound_banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.help = HelpOverlay(central)
        self._theme = theme
        self._page_growth = 1.0
        self._fitted = False
        self._normal_geometry: QRect | None = None
        self._shortcuts: list[QShortcut] = []
        for action, keys in KEY_ACTIONS.items():
            for key in keys:
                self._add_shortcut(QKeySequence(key), lambda a=action: self.dispatch(a))
                # Keypad keys arrive with the keypad modifier: accept them as well.
                keypad = QKeyCombination(Qt.KeyboardModifier.KeypadModifier, key)
                self._add_shortcut(QKeySequence(keypad), lambda a=action: self.dispatch(a))
        for sequence in HELP_KEYS:
            self._add_shortcut(sequence, self.toggle_help)
        # These also work from the settings window (a window of its own).
        app_wide = Qt.ShortcutContext.ApplicationShortcut
        self._add_shortcut(QKeySequence(Key.Key_F11), self.toggle_full_screen, app_wide)
        self._add_shortcut(QKeySequence("Ctrl+Q"), self.request_quit, app_wide)
        self._add_shortcut(QKeySequence("Ctrl+,"), self.settings_requested.emit, app_wide)
        # The start page's Settings button and Ctrl+, ask for the same thing.
        self.settings_requested.connect(self.start_view.settings_requested)
        self.session_view.full_screen_requested.connect(self.toggle_full_screen)
        self.session_view.quit_requested.connect(self.quit_requested)

    def _add_shortcut(
        self,
        sequence: QKeySequence,
        slot: object,
        context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
    ) -> None:
        shortcut = QShortcut(sequence, self)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
        self._shortcuts.append(shortcut)

    def dispatch(self, action: str) -> bool:
        """Hand a key's action to the page on show; True when it did something. Any key
        closes the list of keys, and still does what it does."""
        if self.help.isVisible():
            self.help.hide()
        focus = QApplication.focusWidget()
        banner_buttons = (self.banner.retry, self.banner.dismiss)
        if action in {"space", "enter"} and focus in banner_buttons and focus.isVisible():
            focus.click()  # the banner's buttons, reached with Tab, press as buttons do
            return True
        page = self.stack.currentWidget()
        if isinstance(page, StartView | SessionView | SummaryView):
            return page.shortcut(action)
        return False

    def show_page(self, name: str) -> None:
        if self.current_page() == "session" and name != "session":
            self.session_view.end_of_session()
        self.stack.setCurrentIndex(PAGES.index(name))
        page = self.stack.currentWidget()
        focus = QApplication.focusWidget()
        if page is not None and (focus is None or not page.isAncestorOf(focus)):
            # The focus would otherwise fall to the next widget in the chain (the banner's
            # Dismiss), and Space would dismiss instead of pausing.
            page.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.help.isVisible():
            self.help.show_for(name)

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    def set_problems(self, problems: tuple[Problem, ...]) -> None:
        self.banner.set_problems(problems)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.session_view.set_theme(theme)
        self._grow_page_type(force=True)

    def page_growth(self) -> float:
        return self._page_growth

    def _grow_page_type(self, *, force: bool = False) -> None:
        """Bigger windows get bigger type on every page, in steps of a tenth (each step
        restyles the application, so not on every pixel of a resize)."""
        scale = window_scale(self.width(), self.height())
        growth = round(min(MAX_PAGE_GROWTH, max(1.0, scale)) * 10) / 10
        if growth == self._page_growth and not force:
            return
        self._page_growth = growth
        app = QApplication.instance()
        if isinstance(app, QApplication):
            grown = Theme(**{**self._theme.__dict__, "text_scale": self._theme.text_scale * growth})
            apply_theme(app, grown)
            # A new stylesheet gives back the fonts widgets had when first styled: the
            # session page sets its own again.
            self.session_view.restyled()

    def toggle_help(self) -> None:
        if self.help.isVisible():
            self.help.hide()
        else:
            self.help.show_for(self.current_page())

    def request_quit(self) -> None:
        """Ctrl+Q: at once, except during a session, where it needs a second press."""
        if self.current_page() == "session":
            self.session_view.shortcut("quit")
        else:
            self.quit_requested.emit()

    def is_full_screen(self) -> bool:
        return self._normal_geometry is not None

    def toggle_full_screen(self) -> None:
        """Full screen and back. Without a window manager (a kiosk, a bare X server) the
        full-screen request is not acted on, so the window also takes the screen's
        geometry itself, and gives it back afterwards."""
        if self._normal_geometry is not None:
            geometry, self._normal_geometry = self._normal_geometry, None
            self.showNormal()
            self.setGeometry(geometry)
        else:
            self._normal_geometry = self.geometry()
            self.showFullScreen()
            # Give a window manager the time to act; without one, do it ourselves.
            QTimer.singleShot(FULL_SCREEN_WAIT_MS, self._fill_screen)
        self.full_screen_changed.emit(self.is_full_screen())

    def _fill_screen(self) -> None:
        screen = self.screen()
        if self._normal_geometry is None or screen is None:
            return
        if self.frameGeometry() != screen.geometry():
            self.setGeometry(screen.geometry())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self.fit_to_screen()
            # The page takes the keyboard, not the first button in the chain (the
            # banner's Dismiss): Space and Enter then do what the Start button says.
            page = self.stack.currentWidget()
            if page is not None:
                page.setFocus(Qt.FocusReason.OtherFocusReason)

    def fit_to_screen(self) -> None:
        """A window larger than the screen (1280×800 on a 1024×600 netbook) shrinks to it."""
        screen = self.screen()
        # The offscreen platform (tests, screenshots) has a nominal 800×600 "screen".
        if screen is None or QGuiApplication.platformName() == "offscreen":
            return
        area = screen.availableGeometry()
        if self.width() > area.width() or self.height() > area.height():
            self.resize(min(self.width(), area.width()), min(self.height(), area.height()))
            self.move(area.topLeft())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.sound_banner.fit_window_height(self.height())
        self._grow_page_type()
        if self.help.isVisible():
            self.help.place()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
