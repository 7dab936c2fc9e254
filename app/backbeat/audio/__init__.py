"""Everything a user hears: clicks and voice rendered with numpy at exact sample offsets,
offline text-to-speech with a disk cache, and playback backends. Never imports Qt."""

#: The rate every rendered stream, prompt and exported file uses.
OUTPUT_RATE = 44100
