"""The spoken commands, their synonyms, and the grammar the recogniser searches."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: The word that must come first while the wake word is on ("coach, next").
WAKE_WORD = "coach"
#: "Coach" said alone opens this long a window for the command (people pause after a
#: name, and espeak-ng's comma pause splits "coach, next" into two utterances).
WAKE_WINDOW_SECONDS = 2.0
#: "stay here" adds this much time to the current technique.
STAY_LONGER_SECONDS = 30.0
#: The wake word alone is less likely than a command: the grammar search must not take
#: a slow "coach ... next" for "coach" and a noise.
LONE_WAKE_WEIGHT = 0.3


class Command(enum.Enum):
    NEXT = "next"
    PREVIOUS = "previous"
    PAUSE = "pause"
    RESUME = "go on"
    TOO_MUCH = "too much"
    LIGHTER = "lighter"
    END = "end the massage"
    LOUDER = "louder"
    QUIETER = "quieter"
    REPEAT = "repeat"
    TIME_LEFT = "how long"
    STAY_LONGER = "stay here"
    METRONOME_OFF = "metronome off"
    METRONOME_ON = "metronome on"

    @property
    def label(self) -> str:
        """What the user is shown ("heard: next")."""
        return self.value


#: Each command's phrases; the first is the one the docs and the help name. Every word
#: must be in the recogniser's dictionary (or in EXTRA_PRONUNCIATIONS).
PHRASES: Mapping[Command, tuple[str, ...]] = {
    Command.NEXT: ("next", "next one"),
    Command.PREVIOUS: ("back", "previous", "go back"),
    Command.PAUSE: ("pause", "wait"),
    Command.RESUME: ("go on", "continue", "resume"),
    Command.TOO_MUCH: ("too much", "ouch", "that hurts"),
    Command.LIGHTER: ("lighter", "softer", "gentler"),
    Command.END: ("end the massage", "stop the massage", "finish the massage"),
    Command.LOUDER: ("louder", "speak up"),
    Command.QUIETER: ("quieter", "too loud"),
    Command.REPEAT: ("repeat", "say again", "say that again"),
    Command.TIME_LEFT: ("how long", "time left", "how much longer"),
    Command.STAY_LONGER: ("stay here", "stay longer", "longer"),
    Command.METRONOME_OFF: ("metronome off", "clicks off"),
    Command.METRONOME_ON: ("metronome on", "clicks on"),
}

#: Words of the phrases that the bundled US English dictionary lacks, and pronunciations
#: it lacks (CMU phone set; "word(2)" is a word's second). "back" also with the open /a/
#: of southern British English (espeak-ng's "en"): with the dictionary's /ae/ alone, 3 of
#: 36 espeak-ng "back"s were lost clean, heard as "coach stop the" (benchmarks/README.md).
EXTRA_PRONUNCIATIONS: Mapping[str, str] = {
    "metronome": "M EH T R AH N OW M",
    "back(2)": "B AA K",
}

#: Phrases made one word of the grammar (:func:`phrase_word`), so the search cannot end
#: inside them. Espeak-ng's "next" ended in the first word of "that hurts", heard as
#: "coach that", which is no command (4 of 36 lost clean). Not every phrase: the first
#: words of the others are where noise and ordinary speech end and are turned away; with
#: every phrase joined, wrong commands at 10 dB pink noise went from 5 to 14, at 5 dB
#: from 19 to 49, and the protocol descriptions gave 2 false commands with the wake word
#: ("stop the massage" joined too: 1) (benchmarks/README.md).
JOINED_PHRASES: frozenset[str] = frozenset({"that hurts"})


@dataclass(frozen=True)
class Heard:
    """A command taken from the microphone, with when its utterance began and ended
    (monotonic) and the words recognised."""

    command: Command
    words: str
    ended_at: float
    began_at: float  # when its speech began


class CommandSet:
    """The phrases in play and the wake word rule, turned into a JSGF grammar and back."""

    def __init__(
        self,
        wake_word: bool = True,
        phrases: Mapping[Command, Iterable[str]] = PHRASES,
    ) -> None:
        self.wake_word = wake_word
        self._by_phrase: dict[str, Command] = {}
        for command, options in phrases.items():
            for phrase in options:
                key = _normalise(phrase)
                if key in self._by_phrase:
                    raise ValueError(f"the phrase {phrase!r} is given to two commands")
                self._by_phrase[key] = command

    @property
    def words(self) -> set[str]:
        """Every word of the phrases, and the wake word."""
        found = {WAKE_WORD}
        for phrase in self._by_phrase:
            found.update(phrase.split())
        return found

    @property
    def joined_phrases(self) -> dict[str, tuple[str, ...]]:
        """The grammar's word for each joined phrase (JOINED_PHRASES), with its words."""
        return {phrase_word(p): tuple(p.split()) for p in self._by_phrase if phrase_word(p) != p}

    def grammar(self) -> str:
        """JSGF: the wake word alone, or a phrase with or without it before (whether
        one without it counts is decided by :meth:`parse`). With the wake word on, the
        forms without it are made unlikely, or the search would drop a quick "coach"."""
        alternatives = " | ".join(sorted(phrase_word(p) for p in self._by_phrase))
        rare = LONE_WAKE_WEIGHT if self.wake_word else 1.0
        return (
            "#JSGF V1.0;\n"
            "grammar backbeat;\n"
            f"<command> = {alternatives};\n"
            f"public <utterance> = /{LONE_WAKE_WEIGHT}/ {WAKE_WORD} | /1/ {WAKE_WORD} <command>"
            f" | /{rare}/ <command>;\n"
        )

    def is_wake_word(self, words: str) -> bool:
        return _normalise(words) == WAKE_WORD

    def parse(self, words: str, woken: bool = False) -> Command | None:
        """The command for a recognised word string, or None when it is not one.
        ``woken``: the wake word was said alone just before."""
        tokens = _normalise(words).split()
        if tokens and tokens[0] == WAKE_WORD:
            tokens = tokens[1:]
        elif self.wake_word and not woken:
            return None
        return self._by_phrase.get(" ".join(tokens))


def phrase_word(phrase: str) -> str:
    """The phrase as a word of the grammar: one of JOINED_PHRASES as one word
    ("that_hurts", pronounced as its words said one after the other), any other as it
    is. :meth:`CommandSet.parse` reads the "_" as a space."""
    words = _normalise(phrase)
    return "_".join(words.split()) if words in JOINED_PHRASES else words


def _normalise(text: str) -> str:
    kept = "".join(c if c.isalpha() or c == "'" else " " for c in text.lower())
    return " ".join(kept.split())
