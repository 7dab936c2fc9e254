from __future__ import annotations

import pytest

from backbeat.listen.commands import PHRASES, Command, CommandSet, phrase_word


def test_with_the_wake_word_a_command_must_follow_it() -> None:
    commands = CommandSet(wake_word=True)
    assert commands.parse("coach next") is Command.NEXT
    assert commands.parse("next") is None
    assert commands.parse("next", woken=True) is Command.NEXT


def test_without_the_wake_word_both_forms_count() -> None:
    commands = CommandSet(wake_word=False)
    assert commands.parse("next") is Command.NEXT
    assert commands.parse("coach next") is Command.NEXT


@pytest.mark.parametrize(
    ("words", "command"),
    [
        ("coach ouch", Command.TOO_MUCH),
        ("coach softer", Command.LIGHTER),
        ("coach continue", Command.RESUME),
        ("coach wait", Command.PAUSE),
        ("coach back", Command.PREVIOUS),
        ("coach stay here", Command.STAY_LONGER),
        ("coach metronome off", Command.METRONOME_OFF),
        ("Coach, how long?", Command.TIME_LEFT),
    ],
)
def test_synonyms(words: str, command: Command) -> None:
    assert CommandSet().parse(words) is command


def test_words_that_are_not_a_phrase_are_no_command() -> None:
    commands = CommandSet()
    assert commands.parse("coach next stroke") is None
    assert commands.parse("coach") is None
    assert commands.parse("") is None
    assert commands.is_wake_word("Coach")


def test_every_command_has_phrases_and_the_grammar_holds_them_all() -> None:
    grammar = CommandSet().grammar()
    assert set(PHRASES) == set(Command)
    for phrases in PHRASES.values():
        for phrase in phrases:
            assert phrase_word(phrase) in grammar


def test_a_phrase_given_to_two_commands_is_refused() -> None:
    with pytest.raises(ValueError, match="two commands"):
        CommandSet(phrases={Command.NEXT: ("go",), Command.RESUME: ("go",)})


def test_a_joined_phrase_is_one_word_of_the_grammar() -> None:
    """So the search cannot end inside it ("coach that" of "that hurts")."""
    commands = CommandSet()
    grammar = commands.grammar()
    assert "that_hurts" in grammar and "that hurts" not in grammar
    assert commands.joined_phrases == {"that_hurts": ("that", "hurts")}
    assert "end the massage" in grammar
    assert commands.parse("coach that_hurts") is Command.TOO_MUCH
    assert commands.parse("coach that") is None
