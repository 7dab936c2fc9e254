"""Colours and type for the light and dark looks, and the stylesheet built from them.

Custom-painted widgets receive a :class:`Theme` as an attribute; the stock widgets get
the same colours through the application palette and one stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from backbeat import resources


class ThemeChoice(StrEnum):
    LIGHT = "light"
    DARK = "dark"
    SYSTEM = "system"


class TextSize(StrEnum):
    NORMAL = "normal"
    LARGE = "large"
    LARGEST = "largest"


TEXT_SCALE: dict[TextSize, float] = {
    TextSize.NORMAL: 1.0,
    TextSize.LARGE: 1.2,
    TextSize.LARGEST: 1.4,
}


@dataclass(frozen=True)
class Theme:
    name: str
    dark: bool
    background: str
    surface: str
    surface_alt: str
    border: str
    text: str
    muted: str
    accent: str  # the active zone, the beat, the ring
    accent_text: str  # text drawn on the accent colour
    accent_soft: str
    warning: str  # gentle areas, "too much" panel
    warning_soft: str
    danger: str  # the never-touch spine, errors
    zone_fill: str
    zone_edge: str
    body_fill: str
    text_scale: float = 1.0

    def color(self, name: str, alpha: int = 255) -> QColor:
        colour = QColor(getattr(self, name))
        colour.setAlpha(alpha)
        return colour

    def px(self, size: float) -> int:
        """A font size in pixels, scaled by the user's text size."""
        return round(size * self.text_scale)

    def px_capped(self, size: float, cap: float = 1.1) -> int:
        """For type that is already huge, or sits in fixed-width places (the control
        buttons): it grows only a little, so the session screen still fits."""
        return round(size * min(self.text_scale, cap))


LIGHT = Theme(
    name="light",
    dark=False,
    background="#f6f3ee",
    surface="#ffffff",
    surface_alt="#ece7df",
    border="#d9d2c7",
    text="#1f2328",
    muted="#535a66",
    accent="#0b6b64",
    accent_text="#ffffff",
    accent_soft="#cfe9e5",
    warning="#8f4a00",
    warning_soft="#fbe7cf",
    danger="#b03020",
    zone_fill="#e9dfd3",
    zone_edge="#c9b8a4",
    body_fill="#f3e6d8",
)

DARK = Theme(
    name="dark",
    dark=True,
    background="#15181c",
    surface="#1e2328",
    surface_alt="#262c33",
    border="#353d46",
    text="#eef1f4",
    muted="#a3adb8",
    accent="#35c2b3",
    accent_text="#0b1513",
    accent_soft="#1d4743",
    warning="#f0a350",
    warning_soft="#4a3419",
    danger="#ff6b5b",
    zone_fill="#3a3430",
    zone_edge="#5b5149",
    body_fill="#2e2925",
)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def resolve_theme(choice: ThemeChoice, size: TextSize, *, system_dark: bool) -> Theme:
    dark = choice is ThemeChoice.DARK or (choice is ThemeChoice.SYSTEM and system_dark)
    base = DARK if dark else LIGHT
    return Theme(**{**base.__dict__, "text_scale": TEXT_SCALE[size]})


def _palette(theme: Theme) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.background,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.surface,
        QPalette.ColorRole.AlternateBase: theme.surface_alt,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.surface_alt,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Highlight: theme.accent,
        QPalette.ColorRole.HighlightedText: theme.accent_text,
        QPalette.ColorRole.ToolTipBase: theme.surface,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.Link: theme.accent,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(theme.muted)
    )
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(theme.muted))
    return palette


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(colour: str) -> float:
        c = QColor(colour)
        channels = []
        for value in (c.redF(), c.greenF(), c.blueF()):
            linear = value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
            channels.append(linear)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def tick_image(theme: Theme) -> Path:
    """The tick drawn in a ticked box (the text colour on the accent)."""
    name = "tick-dark.svg" if theme.dark else "tick-light.svg"
    return resources.assets_dir() / "icons" / name


def stylesheet(theme: Theme) -> str:
    """Object names in the widgets (``#heading`` ...) pick their look here. The session
    page sets its own fonts (they follow the window), so its labels get colours only.
    Every focusable widget shows a 2 px ring in a colour at 3:1 or more against the page."""
    t = theme
    tick = tick_image(t).as_posix()
    return f"""
    QWidget {{ color: {t.text}; }}
    QMainWindow, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget {{
        background: {t.background};
    }}
    QFrame#card {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 14px; }}
    QLabel#muted, QLabel#hint {{ color: {t.muted}; }}
    QLabel#hint {{ font-size: {t.px(15)}px; }}
    QLabel#heading {{ font-size: {t.px(20)}px; font-weight: 700; }}
    QLabel#appTitle {{ font-size: {t.px(30)}px; font-weight: 800; color: {t.accent}; }}
    QLabel#description {{ font-size: {t.px(15)}px; }}
    QLabel#summaryTitle {{ font-size: {t.px(30)}px; font-weight: 700; }}
    QLabel#sectionTitle {{ font-size: {t.px(18)}px; font-weight: 600; }}
    QLabel#soundNote {{ color: {t.warning}; font-weight: 600; }}
    QLabel#blockTitle {{ color: {t.accent}; }}
    QLabel#chip {{ background: {t.surface_alt}; border-radius: 12px; }}
    QLabel#nextUp {{ color: {t.muted}; }}
    QLabel#caption {{ color: {t.text}; background: {t.accent_soft}; border-radius: 12px; }}
    QLabel#lighterBadge {{
        color: {t.text}; background: {t.warning_soft}; border: 2px solid {t.warning};
        border-radius: 10px;
    }}
    QLabel#cautions {{ color: {t.warning}; }}
    QLabel#pausedOverlay, QLabel#confirm {{
        color: {t.text}; background: {t.surface}; border: 4px solid {t.warning};
        border-radius: 20px;
    }}
    QLabel#osd {{
        color: {t.accent_text}; background: {t.accent}; border-radius: 18px;
    }}
    QLabel#error {{ color: {t.danger}; font-size: {t.px(15)}px; }}
    QLabel#total {{ font-size: {t.px(22)}px; font-weight: 700; }}
    QFrame#banner {{ background: {t.warning_soft}; border: 1px solid {t.warning}; border-radius: 10px; }}
    QFrame#banner QLabel {{ color: {t.text}; }}
    QFrame#tooMuch {{ background: {t.warning_soft}; border: 2px solid {t.warning}; border-radius: 16px; }}
    QLabel#tooMuchTitle {{ color: {t.warning}; }}
    QFrame#help {{ background: {t.surface}; border: 3px solid {t.accent}; border-radius: 16px; }}
    QFrame#help QLabel#keycap {{ font-size: {t.px(15)}px; }}
    QPushButton {{
        background: {t.surface_alt}; border: 2px solid {t.border}; border-radius: 10px;
        padding: 7px 15px;
    }}
    QPushButton:hover {{ border-color: {t.accent}; }}
    QPushButton:focus {{ border: 2px solid {t.accent}; background: {t.accent_soft}; }}
    QPushButton:checked {{ background: {t.accent_soft}; border-color: {t.accent}; }}
    QPushButton:disabled {{ color: {t.muted}; }}
    QPushButton#primary, QPushButton#tooMuchButton {{
        background: {t.accent}; color: {t.accent_text}; border: 3px solid {t.accent};
        padding: 11px 25px;
    }}
    QPushButton#primary {{ font-size: {t.px(22)}px; font-weight: 700; }}
    QPushButton#primary:focus, QPushButton#tooMuchButton:focus {{ border: 3px solid {t.text}; }}
    QPushButton#primary:disabled {{
        background: {t.surface_alt}; color: {t.muted}; border-color: {t.border};
    }}
    QPushButton#control {{ padding: 4px 2px; }}
    QPushButton#control:checked {{ background: {t.surface_alt}; }}
    QPushButton#control[off="true"] {{ color: {t.muted}; text-decoration: line-through; }}
    QPushButton#control[warning="true"] {{ background: {t.warning_soft}; border-color: {t.warning}; }}
    QLabel#keycap {{
        color: {t.text}; background: {t.surface};
        border: 1px solid {t.muted}; border-bottom-width: 3px; border-radius: 6px; padding: 1px 8px;
    }}
    QLabel#keyAction {{ background: transparent; }}
    QLabel#keyAction[off="true"] {{ color: {t.muted}; text-decoration: line-through; }}
    QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox {{
        background: {t.surface}; border: 2px solid {t.border}; border-radius: 8px; padding: 5px 7px;
    }}
    QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus {{
        border: 2px solid {t.accent};
    }}
    QLineEdit[invalid="true"] {{ border: 2px solid {t.danger}; background: {t.surface}; }}
    QComboBox QAbstractItemView {{ background: {t.surface}; selection-background-color: {t.accent_soft}; selection-color: {t.text}; }}
    QListWidget {{
        background: {t.surface}; border: 2px solid {t.border}; border-radius: 10px; padding: 3px;
    }}
    QListWidget:focus {{ border: 2px solid {t.accent}; }}
    QListWidget::item {{ padding: 8px; border-radius: 8px; }}
    QListWidget::item:selected {{ background: {t.accent_soft}; color: {t.text}; }}
    QRadioButton, QCheckBox {{
        spacing: 10px; padding: 3px 6px; border: 2px solid transparent; border-radius: 8px;
    }}
    QRadioButton:focus, QCheckBox:focus {{ border: 2px solid {t.accent}; }}
    QCheckBox::indicator, QRadioButton::indicator {{
        width: {t.px(18)}px; height: {t.px(18)}px; border: 2px solid {t.muted}; background: {t.surface};
    }}
    QCheckBox::indicator {{ border-radius: 4px; }}
    QRadioButton::indicator {{ border-radius: {(t.px(18) + 4) // 2}px; }}
    QCheckBox::indicator:checked {{
        background: {t.accent}; border-color: {t.accent}; image: url({tick});
    }}
    QRadioButton::indicator:checked {{
        background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,
            stop:0 {t.accent_text}, stop:0.35 {t.accent_text}, stop:0.45 {t.accent}, stop:1 {t.accent});
        border-color: {t.accent};
    }}
    QSlider:focus {{ border: 2px solid {t.accent}; border-radius: 6px; }}
    QSlider {{ border: 2px solid transparent; min-height: {t.px(28)}px; }}
    QSlider::groove:horizontal {{ height: 6px; background: {t.border}; border-radius: 3px; }}
    QSlider::sub-page:horizontal {{ background: {t.accent}; border-radius: 3px; }}
    QSlider::handle:horizontal {{
        width: {t.px(20)}px; margin: -{t.px(8)}px 0; border-radius: {t.px(10) + 1}px;
        background: {t.accent}; border: 2px solid {t.text};
    }}
    QTableWidget {{ background: {t.surface}; border: 1px solid {t.border}; gridline-color: {t.border}; }}
    QHeaderView::section {{ background: {t.surface_alt}; border: none; padding: 6px; }}
    """


def apply_theme(app: QApplication, theme: Theme) -> None:
    # The base size goes on the application font, not into the stylesheet: a stylesheet
    # font size would override the fonts the session page sets for itself.
    font = app.font()
    font.setPixelSize(theme.px(16))
    app.setFont(font)
    app.setPalette(_palette(theme))
    app.setStyleSheet(stylesheet(theme))
