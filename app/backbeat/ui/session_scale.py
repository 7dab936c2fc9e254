"""How big the session screen's type is: it grows with the window, the user's text size
multiplies on top, and a fit search keeps every primary item whole.

The session is read from one or two metres away, so its type follows the window (a
1920×1080 screen gets bigger letters than a 1280×800 one). The text-size setting asks for
more on top of that; where the window has no room for all of it, the largest size that
still fits wins, but never less than the normal text size would get in the same window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtGui import QFont

#: The window the base sizes below were drawn for.
BASE_WIDTH, BASE_HEIGHT = 1280, 800
MIN_WINDOW_SCALE, MAX_WINDOW_SCALE = 0.72, 3.0
#: Steps tried between the normal and the asked-for size, largest first.
FIT_STEPS = 8

#: Pixel sizes (and weights) at a 1280×800 window and normal text.
ROLES: dict[str, tuple[float, QFont.Weight]] = {
    "block": (24, QFont.Weight.DemiBold),
    "step": (18, QFont.Weight.Normal),
    "status": (22, QFont.Weight.Bold),
    "clock": (20, QFont.Weight.DemiBold),
    "technique": (50, QFont.Weight.ExtraBold),
    "how": (25, QFont.Weight.Normal),
    "chip": (19, QFont.Weight.DemiBold),
    "cautions": (20, QFont.Weight.DemiBold),
    "next": (22, QFont.Weight.Normal),
    "caption": (23, QFont.Weight.Normal),
    "action": (16, QFont.Weight.DemiBold),
    "keycap": (14, QFont.Weight.Bold),
    "too_much_title": (40, QFont.Weight.ExtraBold),
    "too_much_text": (24, QFont.Weight.Normal),
    "too_much_button": (22, QFont.Weight.Bold),
    "overlay": (56, QFont.Weight.ExtraBold),
    "osd": (44, QFont.Weight.Bold),
    "legend": (16, QFont.Weight.Normal),
    "timeline": (15, QFont.Weight.Normal),
}
#: Never below these, whatever the window (the 40 px on-screen display is a promise).
FLOORS: dict[str, int] = {"osd": 40, "overlay": 40, "keycap": 11, "action": 12}
#: Sides of the painted meters (time ring, beat disc) at scale 1.
RING_SIDE = 176


def window_scale(width: int, height: int) -> float:
    """1 at 1280×800, more on bigger windows, a little less on small ones."""
    scale = min(width / BASE_WIDTH, height / BASE_HEIGHT)
    return min(MAX_WINDOW_SCALE, max(MIN_WINDOW_SCALE, scale))


@dataclass(frozen=True)
class TypeScale:
    """The sizes in use: ``factor`` = window scale × the part of the text size that fits."""

    factor: float
    family: str = ""

    def px(self, role: str) -> int:
        base, _ = ROLES[role]
        return max(FLOORS.get(role, 8), round(base * self.factor))

    def font(self, role: str, *, italic: bool = False) -> QFont:
        font = QFont(self.family) if self.family else QFont()
        font.setPixelSize(self.px(role))
        font.setWeight(ROLES[role][1])
        font.setItalic(italic)
        return font

    def side(self, base: float = RING_SIDE) -> int:
        return round(base * self.factor)


def candidate_factors(window: float, text_scale: float) -> list[float]:
    """From the asked-for factor down to the normal-text one (never below it)."""
    top = window * max(1.0, text_scale)
    if top <= window:
        return [window]
    return [top - (top - window) * i / FIT_STEPS for i in range(FIT_STEPS + 1)]


#: When even the window's own scale does not fit (a short window with the sound-loss
#: strip above the page), the type may shrink this far below it, in these steps, rather
#: than let the caption slide over the time ring.
SQUEEZE_FLOOR = 0.8
SQUEEZE_STEPS = 4


def squeezed_factors(window: float) -> list[float]:
    """Below the window's scale, tried only after every factor of :func:`candidate_factors`."""
    return [window * (1 - (1 - SQUEEZE_FLOOR) * i / SQUEEZE_STEPS) for i in range(1, 5)]


def first_that_fits(factors: Iterable[float], fits: Callable[[float], bool]) -> float | None:
    for factor in factors:
        if fits(factor):
            return factor
    return None
