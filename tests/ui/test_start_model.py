"""The start screen's model, without Qt: choices, durations as typed, what may start."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from backbeat.core.durations import DurationError
from backbeat.core.library import LibraryEntry
from backbeat.core.model import Mode
from backbeat.core.protocol_errors import ProtocolError
from backbeat.ui.start_model import StartModel, parse_minutes, protocol_id_for
from tests.ui.conftest import short_protocol


def model() -> StartModel:
    entries = (
        LibraryEntry(Path("/b/short-test.yaml"), True, short_protocol()),
        LibraryEntry(
            Path("/u/broken.yaml"), False, None, ProtocolError.single("/u/broken.yaml", "bad")
        ),
    )
    return StartModel().with_entries(entries, None)


def test_minutes_as_people_type_them() -> None:
    assert parse_minutes("4") == 240
    assert parse_minutes(" 2,5 ") == 150
    assert parse_minutes("2m30s") == 150
    for bad, reason in (
        ("", "empty"),
        ("abc", "not a time"),
        ("-1", "more than zero"),
        ("9999", "at most"),
    ):
        with pytest.raises(DurationError, match=reason):
            parse_minutes(bad)


def test_new_ids_never_clash() -> None:
    assert protocol_id_for("My Evening!", set()) == "my-evening"
    assert protocol_id_for("My Evening", {"my-evening", "my-evening-2"}) == "my-evening-3"
    assert protocol_id_for("???", set()) == "my-protocol"


def test_the_first_loadable_protocol_is_chosen_and_can_start_after_the_check() -> None:
    m = model()
    state = m.view_state()
    assert state.title == "Short test massage"
    assert state.total_label == "2 min"
    assert not state.can_start and "health check" in state.start_hint
    assert replace_ack(m).view_state().can_start
    assert [c.loadable for c in state.choices] == [True, False]


def replace_ack(m: StartModel) -> StartModel:
    from dataclasses import replace

    return replace(m, acknowledged=True)


def test_a_broken_protocol_cannot_start() -> None:
    m = replace_ack(model()).select(1)
    state = m.view_state()
    assert not state.can_start
    assert "does not load" in state.start_hint


def test_the_mode_choice_survives_a_change_of_protocol() -> None:
    m = model().with_mode(Mode.STIMULATING).select(0)
    assert m.draft is not None and m.draft.mode is Mode.STIMULATING


def test_a_draft_evaluates_to_the_plan_with_the_edits() -> None:
    m = model()
    assert m.draft is not None
    draft = m.draft.with_block("rubbing", "2").with_total("5")
    result = draft.evaluate()
    assert result.plan is not None
    assert result.plan.total == pytest.approx(300)
    assert result.durations == {"stroking": pytest.approx(180), "rubbing": 120}
    assert draft.reset().evaluate().plan is not None
    assert not draft.reset().edited


def test_a_time_with_units_is_refused_with_the_parsers_own_reason() -> None:
    with pytest.raises(DurationError, match="more than zero"):
        parse_minutes("0m")
    with pytest.raises(DurationError, match="too long"):
        parse_minutes("999m")
    with pytest.raises(DurationError, match="not a time"):
        parse_minutes("5 apples")


def test_a_broken_protocol_shows_the_loaders_message_and_keeps_the_mode() -> None:
    m = model().with_mode(Mode.STIMULATING).select(1)
    state = m.view_state()
    assert "bad" in state.plan_error and "broken.yaml" in state.plan_error
    assert state.mode is Mode.STIMULATING
    # Without an explicit choice, the mode that was showing stays too.
    entries = model().entries
    stimulating = replace(short_protocol(), default_mode=Mode.STIMULATING)
    m = StartModel().with_entries(
        (LibraryEntry(entries[0].path, True, stimulating), entries[1]), None
    )
    assert m.view_state().mode is Mode.STIMULATING
    assert m.select(1).view_state().mode is Mode.STIMULATING
