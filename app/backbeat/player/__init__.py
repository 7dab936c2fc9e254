"""The session player: one Qt-free object that every front end drives (the window, the
terminal coach, voice commands). It sits above the audio and below the front ends."""
