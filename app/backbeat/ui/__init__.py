"""The window: Qt widgets that render view states and turn key presses into intents.

``backbeat.ui.app.run_window`` is the entry point; ``controller.SessionController`` is the
one place where the engine, the audio and the widgets meet.
"""
