"""The base of the small widgets that paint a frozen view state (beat disc, time ring,
timeline): attributes come down as a state, and a new state repaints only when the
picture would change, so a frame where only one of them moved costs little."""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from backbeat.ui.theme import Theme

StateT = TypeVar("StateT")


class PaintedView(QWidget, Generic[StateT]):
    def __init__(self, theme: Theme, state: StateT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._state = state
        # Painting the background here keeps Qt from repainting the parents at every frame.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def state(self) -> StateT:
        return self._state

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_state(self, state: StateT) -> None:
        changed = self._looks(state) != self._looks(self._state)
        self._state = state
        if changed:
            self.update()

    def _looks(self, state: StateT) -> object:
        """What the picture depends on; equal looks skip the repaint."""
        return state
