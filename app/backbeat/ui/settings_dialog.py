"""The settings window: sound, reminders, look. Every change applies at once; a volume
slider being dragged sends its value a moment after it rests, and once more on release,
so a drag is not dozens of sound re-renders and settings writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from backbeat.core.prompts import VoiceSpeed
from backbeat.ui.settings import CLICK_SOUNDS, AppSettings
from backbeat.ui.theme import TextSize, ThemeChoice

THEME_LABELS = {
    ThemeChoice.SYSTEM: "Follow the system",
    ThemeChoice.LIGHT: "Light",
    ThemeChoice.DARK: "Dark",
}
TEXT_SIZE_LABELS = {TextSize.NORMAL: "Normal", TextSize.LARGE: "Large", TextSize.LARGEST: "Largest"}
CLICK_LABELS = {"wood": "Wood block", "tick": "Soft tick"}
VOICE_SPEED_LABELS = {
    VoiceSpeed.SLOWER: "Slower",
    VoiceSpeed.NORMAL: "Normal (about 157 words a minute)",
    VoiceSpeed.FASTER: "Faster",
}
OUTPUT_LABELS = {
    "auto": "Automatic (PortAudio)",
    "portaudio": "PortAudio",
    "simpleaudio": "simpleaudio (no fades, slower to pause)",
}


#: How long a dragged slider rests before its value is applied.
SLIDER_SETTLE_MS = 250


def _volume_slider(name: str) -> QSlider:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 100)
    slider.setSingleStep(5)
    slider.setPageStep(10)
    slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    slider.setAccessibleName(name)
    slider.setMinimumWidth(200)
    return slider


class SettingsDialog(QDialog):
    settings_requested = Signal(object)  # an AppSettings

    def __init__(
        self,
        settings: AppSettings,
        parent: QWidget | None = None,
        output_devices: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backbeat settings")
        self._settings = settings
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SLIDER_SETTLE_MS)
        self._settle.timeout.connect(self._changed)
        form = QFormLayout()
        form.setVerticalSpacing(12)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._form = form
        self.metronome_on = QCheckBox("&Play the metronome")
        self.metronome_volume = _volume_slider("Metronome volume")
        self.click_sound = QComboBox()
        for key in CLICK_SOUNDS:
            self.click_sound.addItem(CLICK_LABELS.get(key, key), key)
        self.voice_on = QCheckBox("&Speak the prompts")
        self.voice_volume = _volume_slider("Voice volume")
        self.voice_speed = QComboBox()
        for speed, label in VOICE_SPEED_LABELS.items():
            self.voice_speed.addItem(label, speed.value)
        self.spot_reminders = QCheckBox("Say &when to move to the next spot")
        self.spot_sound = QCheckBox("A soft sound &instead of words")
        self.theme = QComboBox()
        for choice, label in THEME_LABELS.items():
            self.theme.addItem(label, choice.value)
        self.text_size = QComboBox()
        for size, label in TEXT_SIZE_LABELS.items():
            self.text_size.addItem(label, size.value)
        self.reduced_motion = QCheckBox("Re&duced motion (no moving marker)")
        self.output = QComboBox()
        for key, label in OUTPUT_LABELS.items():
            self.output.addItem(label, key)
        self.output_device = QComboBox()
        self.output_device.addItem("The system's default", "")
        for name in output_devices:
            self.output_device.addItem(name, name)
        if settings.output_device and settings.output_device not in output_devices:
            self.output_device.addItem(
                f"{settings.output_device} (not found)", settings.output_device
            )
        self.set_settings(settings)
        # "&" in a row's name gives its field an Alt+letter (the label is its buddy).
        form.addRow("Metronome", self.metronome_on)
        form.addRow("Metronome &volume", self.metronome_volume)
        form.addRow("&Click sound", self.click_sound)
        form.addRow("Voice", self.voice_on)
        form.addRow("V&oice volume", self.voice_volume)
        form.addRow("Speaking &rate", self.voice_speed)
        form.addRow("Reminders", self.spot_reminders)
        form.addRow("", self.spot_sound)
        form.addRow("T&heme", self.theme)
        form.addRow("Te&xt size", self.text_size)
        form.addRow("Motion", self.reduced_motion)
        form.addRow("So&und output", self.output)
        form.addRow("Output devic&e", self.output_device)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        for box in (
            self.metronome_on,
            self.voice_on,
            self.spot_reminders,
            self.spot_sound,
            self.reduced_motion,
        ):
            box.toggled.connect(self._changed)
        for slider in (self.metronome_volume, self.voice_volume):
            slider.valueChanged.connect(self._slider_moved)
            slider.sliderReleased.connect(self._changed)
        for combo in (
            self.click_sound,
            self.voice_speed,
            self.theme,
            self.text_size,
            self.output,
            self.output_device,
        ):
            combo.currentIndexChanged.connect(self._changed)

    def set_settings(self, settings: AppSettings) -> None:
        """Show ``settings`` (changed elsewhere, e.g. by M or V) without echoing them back."""
        self._settings = settings
        widgets = (
            self.metronome_on,
            self.metronome_volume,
            self.click_sound,
            self.voice_on,
            self.voice_volume,
            self.voice_speed,
            self.spot_reminders,
            self.spot_sound,
            self.theme,
            self.text_size,
            self.reduced_motion,
            self.output,
            self.output_device,
        )
        for widget in widgets:
            widget.blockSignals(True)
        try:
            sound = settings.sound
            self.metronome_on.setChecked(sound.metronome_on)
            self.metronome_volume.setValue(round(sound.metronome_volume * 100))
            self.click_sound.setCurrentIndex(CLICK_SOUNDS.index(sound.click_sound))
            self.voice_on.setChecked(sound.voice_on)
            self.voice_volume.setValue(round(sound.voice_volume * 100))
            self.voice_speed.setCurrentIndex(list(VOICE_SPEED_LABELS).index(sound.voice_speed))
            self.spot_reminders.setChecked(sound.spot_reminders)
            self.spot_sound.setChecked(sound.spot_reminder_style == "sound")
            self.spot_sound.setEnabled(sound.spot_reminders)
            self.output.setCurrentIndex(max(0, self.output.findData(settings.output)))
            self.output_device.setCurrentIndex(
                max(0, self.output_device.findData(settings.output_device))
            )
            self.theme.setCurrentIndex(list(THEME_LABELS).index(settings.theme))
            self.text_size.setCurrentIndex(list(TEXT_SIZE_LABELS).index(settings.text_size))
            self.reduced_motion.setChecked(settings.reduced_motion)
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def current(self) -> AppSettings:
        sound = replace(
            self._settings.sound,
            metronome_on=self.metronome_on.isChecked(),
            metronome_volume=self.metronome_volume.value() / 100,
            click_sound=str(self.click_sound.currentData()),
            voice_on=self.voice_on.isChecked(),
            voice_volume=self.voice_volume.value() / 100,
            voice_speed=VoiceSpeed(str(self.voice_speed.currentData())),
            spot_reminders=self.spot_reminders.isChecked(),
            spot_reminder_style="sound" if self.spot_sound.isChecked() else "words",
        )
        return replace(
            self._settings,
            sound=sound,
            output=str(self.output.currentData()),
            output_device=str(self.output_device.currentData()),
            theme=ThemeChoice(str(self.theme.currentData())),
            text_size=TextSize(str(self.text_size.currentData())),
            reduced_motion=self.reduced_motion.isChecked(),
        )

    def _slider_moved(self) -> None:
        if any(s.isSliderDown() for s in (self.metronome_volume, self.voice_volume)):
            self._settle.start()  # still being dragged: wait for it to rest
        else:
            self._changed()  # a key press or a click on the groove: one step

    def _changed(self) -> None:
        self.spot_sound.setEnabled(self.spot_reminders.isChecked())
        self._settle.stop()
        settings = self.current()
        if settings == self._settings:
            return
        self._settings = settings
        self.settings_requested.emit(settings)

    def showEvent(self, event: QShowEvent) -> None:
        """Opened with Ctrl+, or the Settings button: it takes the keyboard at once."""
        super().showEvent(event)
        self.fit_contents()
        self.activateWindow()
        self.raise_()
        if self.focusWidget() is None or not self.isAncestorOf(self.focusWidget()):
            self.metronome_on.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_contents()

    def fit_contents(self) -> None:
        """Grow (or shrink) to the words in the current text size, never clipping them."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        self.setMinimumSize(layout.totalMinimumSize())
        self.resize(layout.totalSizeHint().expandedTo(layout.totalMinimumSize()))
