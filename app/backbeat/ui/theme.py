"""Colours and type for the light and dark looks, and the stylesheet built from them.

Custom-painted widgets receive a :class:`Theme` as an attribute; the stock widgets get
the same colours through the application palette and one stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


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
    muted="#5d6470",
    accent="#0f7c74",
    accent_text="#ffffff",
    accent_soft="#cfe9e5",
    warning="#b86100",
    warning_soft="#fbe7cf",
    danger="#c0392b",
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


def stylesheet(theme: Theme) -> str:
    """Object names in the widgets (``#techniqueTitle`` ...) pick their size here."""
    t = theme
    return f"""
    QWidget {{ font-size: {t.px(16)}px; color: {t.text}; }}
    QMainWindow, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget {{
        background: {t.background};
    }}
    QFrame#card {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 14px; }}
    QLabel#muted, QLabel#hint {{ color: {t.muted}; }}
    QLabel#hint {{ font-size: {t.px(14)}px; }}
    QLabel#heading {{ font-size: {t.px(20)}px; font-weight: 700; }}
    QLabel#appTitle {{ font-size: {t.px(30)}px; font-weight: 800; color: {t.accent}; }}
    QLabel#description {{ font-size: {t.px(15)}px; }}
    QLabel#summaryTitle {{ font-size: {t.px(30)}px; font-weight: 700; }}
    QLabel#sectionTitle {{ font-size: {t.px(18)}px; font-weight: 600; }}
    QLabel#blockTitle {{ font-size: {t.px_capped(24, 1.2)}px; font-weight: 600; color: {t.accent}; }}
    QLabel#techniqueTitle {{ font-size: {t.px_capped(52, 1.2)}px; font-weight: 800; }}
    QLabel#howTo {{ font-size: {t.px_capped(26, 1.2)}px; }}
    QLabel#chip {{
        font-size: {t.px_capped(19, 1.2)}px; font-weight: 600; background: {t.surface_alt};
        border-radius: 12px; padding: 6px 14px;
    }}
    QLabel#nextUp {{ font-size: {t.px_capped(22, 1.2)}px; color: {t.muted}; }}
    QLabel#caption {{
        font-size: {t.px_capped(24, 1.2)}px; font-style: italic; color: {t.text};
        background: {t.accent_soft}; border-radius: 12px; padding: 8px 16px;
    }}
    QLabel#error {{ color: {t.danger}; font-size: {t.px(14)}px; }}
    QLabel#total {{ font-size: {t.px(22)}px; font-weight: 700; }}
    QFrame#banner {{ background: {t.warning_soft}; border: 1px solid {t.warning}; border-radius: 10px; }}
    QFrame#banner QLabel {{ color: {t.text}; }}
    QFrame#tooMuch {{ background: {t.warning_soft}; border: 2px solid {t.warning}; border-radius: 16px; }}
    QLabel#tooMuchTitle {{ font-size: {t.px(40)}px; font-weight: 800; color: {t.warning}; }}
    QLabel#tooMuchText {{ font-size: {t.px(24)}px; }}
    QPushButton {{
        background: {t.surface_alt}; border: 1px solid {t.border}; border-radius: 10px;
        padding: 8px 16px;
    }}
    QPushButton:hover {{ border-color: {t.accent}; }}
    QPushButton:checked {{ background: {t.accent_soft}; border-color: {t.accent}; }}
    QPushButton:disabled {{ color: {t.muted}; }}
    QPushButton#primary {{
        background: {t.accent}; color: {t.accent_text}; border: none;
        font-size: {t.px(22)}px; font-weight: 700; padding: 14px 28px;
    }}
    QPushButton#primary:disabled {{ background: {t.border}; color: {t.muted}; }}
    QPushButton#control {{ padding: 6px 4px; }}
    QPushButton#control:checked {{ background: {t.surface_alt}; }}
    QPushButton#control[off="true"] {{ color: {t.muted}; text-decoration: line-through; }}
    QPushButton#control[warning="true"] {{ background: {t.warning_soft}; border-color: {t.warning}; }}
    QLabel#keycap {{
        font-size: {t.px(13)}px; font-weight: 700; color: {t.muted}; background: {t.surface};
        border: 1px solid {t.border}; border-bottom-width: 3px; border-radius: 6px; padding: 1px 10px;
    }}
    QLabel#keyAction {{ font-size: {t.px_capped(16)}px; font-weight: 600; background: transparent; }}
    QLabel#keyAction[off="true"] {{ color: {t.muted}; text-decoration: line-through; }}
    QLabel#status {{ font-size: {t.px(22)}px; font-weight: 700; color: {t.warning}; }}
    QLabel#cautions {{ font-size: {t.px_capped(20, 1.2)}px; font-weight: 600; color: {t.warning}; }}
    QPushButton#danger {{ background: {t.warning}; color: {t.accent_text}; border: none; }}
    QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox {{
        background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px; padding: 6px 8px;
    }}
    QLineEdit[invalid="true"] {{ border: 2px solid {t.danger}; }}
    QListWidget {{
        background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; padding: 4px;
    }}
    QListWidget::item {{ padding: 8px; border-radius: 8px; }}
    QListWidget::item:selected {{ background: {t.accent_soft}; color: {t.text}; }}
    QRadioButton, QCheckBox {{ spacing: 10px; }}
    QCheckBox::indicator, QRadioButton::indicator {{
        width: 16px; height: 16px; border: 2px solid {t.muted}; background: {t.surface};
    }}
    QCheckBox::indicator {{ border-radius: 4px; }}
    QRadioButton::indicator {{ border-radius: 10px; }}
    QCheckBox::indicator:checked, QRadioButton::indicator:checked {{
        background: {t.accent}; border-color: {t.accent};
    }}
    QTableWidget {{ background: {t.surface}; border: 1px solid {t.border}; gridline-color: {t.border}; }}
    QHeaderView::section {{ background: {t.surface_alt}; border: none; padding: 6px; }}
    """


def apply_theme(app: QApplication, theme: Theme) -> None:
    app.setPalette(_palette(theme))
    app.setStyleSheet(stylesheet(theme))
