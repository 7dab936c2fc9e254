from __future__ import annotations

import pytest

from backbeat.listen.commands import Command, Heard
from backbeat.listen.dispatcher import CommandDispatcher


class FakeControls:
    """Records the calls, in the order made."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        def record(*args: object) -> None:
            self.calls.append((name, args[0] if args else None))

        return record


def dispatch(
    command: Command, paused: bool = False
) -> tuple[bool, list[tuple[str, object]], list[Heard]]:
    controls = FakeControls()
    told: list[Heard] = []
    dispatcher = CommandDispatcher(controls, is_paused=lambda: paused, on_heard=told.append)
    acted = dispatcher.dispatch(Heard(command, command.value, 1.0, 0.5))
    return acted, controls.calls, told


@pytest.mark.parametrize(
    ("command", "call"),
    [
        (Command.NEXT, ("next", None)),
        (Command.PREVIOUS, ("previous", None)),
        (Command.PAUSE, ("pause", None)),
        (Command.TOO_MUCH, ("too_much", None)),
        (Command.LIGHTER, ("continue_lighter", None)),
        (Command.END, ("end", None)),
        (Command.LOUDER, ("louder", None)),
        (Command.QUIETER, ("quieter", None)),
        (Command.REPEAT, ("repeat_prompt", None)),
        (Command.TIME_LEFT, ("tell_time_left", None)),
        (Command.STAY_LONGER, ("stay_longer", 30.0)),
        (Command.METRONOME_OFF, ("set_metronome", False)),
        (Command.METRONOME_ON, ("set_metronome", True)),
    ],
)
def test_each_command_acknowledges_then_acts_and_is_told(
    command: Command, call: tuple[str, object]
) -> None:
    acted, calls, told = dispatch(command)
    assert acted
    assert calls == [("acknowledge_command", None), call]
    assert [h.command for h in told] == [command]


def test_go_on_resumes_only_when_paused() -> None:
    assert dispatch(Command.RESUME, paused=True)[1] == [
        ("acknowledge_command", None),
        ("resume", None),
    ]
    acted, calls, told = dispatch(Command.RESUME, paused=False)
    assert not acted and calls == [] and len(told) == 1


def test_pause_while_paused_does_nothing_and_is_not_acknowledged() -> None:
    acted, calls, told = dispatch(Command.PAUSE, paused=True)
    assert not acted
    assert calls == []
    assert [h.command for h in told] == [Command.PAUSE]  # still shown as heard
