"""Each validation rule, with the exact line and column of the problem it reports."""

from __future__ import annotations

from backbeat.core.durations import MAX_DURATION_SECONDS
from backbeat.core.model import Hands, Mode, Path
from backbeat.core.protocol_io import parse_protocol
from backbeat.core.zones import Zone
from tests.core.protocol_text import VALID, problem_at, problems_of, where


def test_the_valid_text_loads_with_use_and_block_zones_resolved() -> None:
    protocol = parse_protocol(VALID)
    stroking, closing = protocol.blocks
    used, inline = stroking.techniques
    assert protocol.default_mode is Mode.RELAXING
    assert used.id == "planar-stroking" and used.zones == (Zone.LUMBAR, Zone.LOWER_THORACIC)
    assert (inline.hands, inline.path, inline.spot_limit, inline.share) == (
        Hands.BOTH,
        Path.CIRCULAR,
        10.0,
        2.0,
    )
    assert inline.rhythm.relaxing == inline.rhythm.stimulating == 60
    assert closing.duration == 90.0 and closing.techniques[0].zones == (Zone.SHOULDERS,)
    assert closing.techniques[0].min_repetitions == 3


def test_unknown_key_suggests_the_closest_and_lists_the_allowed() -> None:
    text = VALID.replace("    title: Stroking", "    titel: Stroking")
    missing, unknown = problems_of(text)
    assert (unknown[0], unknown[1]) == where(text, "titel")
    assert "unknown key 'titel'" in unknown[2] and "did you mean 'title'?" in unknown[2]
    assert "allowed keys: id, title, duration, zones, techniques" in unknown[2]
    # The misspelt key also leaves the block without its title, reported at the block.
    assert missing[2] == "block 'stroking' is missing the required key 'title'"
    assert (missing[0], missing[1]) == where(text, "id: stroking")


def test_missing_required_protocol_key_is_reported_at_the_mapping() -> None:
    text = VALID.replace("default_mode: relaxing\n", "")
    message = problem_at(text, "id: test-massage")
    assert message == "the protocol is missing the required key 'default_mode'"


def test_a_text_where_a_list_is_expected() -> None:
    text = VALID.replace("zones: [lumbar]\n", "zones: lumbar\n")
    message = problem_at(text, "lumbar\n        pressure")
    assert message.startswith("zones must be a list") and "got text ('lumbar')" in message


def test_a_block_that_is_not_a_mapping() -> None:
    text = VALID.replace("blocks:\n", "blocks:\n  - just a line\n")
    assert "block 1 must be a mapping" in problem_at(text, "just a line")


def test_zero_negative_and_non_durations() -> None:
    for bad, expected in (
        ("0s", "more than zero"),
        ("-5", "more than zero"),
        ("two minutes", "expected a duration such as 90s"),
        ("[1, 2]", "must be a duration"),
    ):
        text = VALID.replace("duration: 2m", f"duration: {bad}")
        assert expected in problem_at(text, bad), bad


def test_absurd_block_duration() -> None:
    text = VALID.replace("duration: 2m", "duration: 5h")
    assert "too long: a duration is at most 4h" in problem_at(text, "5h")


def test_sessions_longer_than_the_maximum_are_refused_at_blocks() -> None:
    half = int(MAX_DURATION_SECONDS * 0.6)
    text = VALID.replace("duration: 2m", f"duration: {half}").replace(
        "duration: 90s", f"duration: {half}"
    )
    assert "the blocks add up to" in problem_at(text, "blocks:")


def test_a_huge_or_tiny_spot_limit() -> None:
    for bad in ("2h", "1s"):
        text = VALID.replace("spot_limit: 10s", f"spot_limit: {bad}")
        assert "spot_limit is how long the hands stay on one spot" in problem_at(text, bad)


def test_rhythm_out_of_range_or_not_whole() -> None:
    for bad, expected in (
        ("0", "from 1 to 200, got 0"),
        ("201", "from 1 to 200, got 201"),
        ("25.5", "must be a whole number (from 1 to 200)"),
        ("fast", "must be a number"),
    ):
        text = VALID.replace("rhythm: 60", f"rhythm: {bad}")
        assert expected in problem_at(text, f"rhythm: {bad}".split(": ")[1] + "\n"), bad


def test_rhythm_mapping_checks_each_mode_and_its_keys() -> None:
    text = VALID.replace("stimulating: 40}", "stimulating: 400}")
    assert "stimulating rhythm (movements per minute) must be from 1 to 200" in problem_at(
        text, "400"
    )
    text = VALID.replace("{relaxing: 20, stimulating: 40}", "{relaxing: 20, stimulatng: 40}")
    missing, unknown = problems_of(text)
    assert (unknown[0], unknown[1]) == where(text, "stimulatng")
    assert "did you mean 'stimulating'?" in unknown[2]
    assert (missing[0], missing[1]) == where(text, "{relaxing: 20")
    assert "rhythm is missing the required key 'stimulating'" in missing[2]


def test_unknown_zone_suggests_and_lists() -> None:
    text = VALID.replace("zones: [lumbar]\n", "zones: [lumbar, lumbr]\n")
    message = problem_at(text, "lumbr")
    assert "unknown zone 'lumbr'; did you mean 'lumbar'?" in message
    assert "allowed zones: lumbosacral, lumbar, lower-thoracic" in message


def test_the_spine_is_never_a_target() -> None:
    text = VALID.replace("zones: [shoulders]", "zones: [shoulders, spine]")
    message = problem_at(text, "spine]")
    assert "the spine is never a target" in message and "muscles beside it" in message


def test_unknown_enum_values_list_the_allowed() -> None:
    cases = (
        (
            "hands: both\n        path",
            "hands: four\n        path",
            "four",
            "one, both, alternating, weighted",
        ),
        (
            "path: circular",
            "path: wavy",
            "wavy",
            "straight, circular, spiral, figure-eight, zigzag, tapping",
        ),
        (
            "direction: bottom-up\n        zones",
            "direction: upward\n        zones",
            "upward",
            "bottom-up, top-down",
        ),
        ("pressure: medium", "pressure: hard", "hard", "light, medium, deep"),
        ("default_mode: relaxing", "default_mode: relax", "relax", "relaxing, stimulating"),
    )
    for old, new, bad, allowed in cases:
        text = VALID.replace(old, new)
        message = problem_at(text, bad)
        assert f"'{bad}'" in message and f"allowed: {allowed}" in message, message
    assert "did you mean 'relaxing'?" in problem_at(
        VALID.replace("relaxing\ntech", "relax\ntech"), "relax\n"
    )


def test_duplicate_block_ids() -> None:
    text = VALID.replace("id: closing", "id: stroking")
    message = problem_at(text, "stroking\n    title: Closing")
    assert message.startswith("duplicate block id 'stroking' (also used on line 17)")


def test_duplicate_technique_ids_in_a_block() -> None:
    text = VALID.replace("id: fingertip-circles", "id: planar-stroking")
    message = problem_at(text, "planar-stroking\n        title")
    assert "technique id 'planar-stroking' is used twice in block 'stroking'" in message


def test_duplicate_library_keys_and_duplicate_keys_anywhere() -> None:
    twin = "  planar-stroking:\n    title: Twin\nblocks:\n"
    text = VALID.replace("blocks:\n", twin, 1)
    line, column = where(text, "planar-stroking:", occurrence=2)
    problems = problems_of(text)
    assert [(p[0], p[1]) for p in problems] == [(line, column)]
    assert "duplicate key 'planar-stroking' in the techniques library" in problems[0][2]
    text = VALID.replace("    pressure: medium\n", "    pressure: medium\n        pressure: deep\n")
    assert "duplicate key 'pressure'" in problem_at(text, "pressure: deep")


def test_use_of_an_unknown_library_technique() -> None:
    text = VALID.replace(
        "  - use: planar-stroking\n      - id: closing",
        "  - use: planar-strokin\n      - id: closing",
    )
    text = VALID.replace("      - use: planar-stroking\n", "      - use: planar-strokin\n", 1)
    message = problem_at(text, "planar-strokin\n")
    assert (
        "no technique 'planar-strokin' in the techniques library; did you mean 'planar-stroking'?"
        in message
    )


def test_a_use_site_may_override_fields_but_not_invent_keys() -> None:
    text = VALID.replace(
        "      - use: planar-stroking\n", "      - use: planar-stroking\n        presure: deep\n", 1
    )
    assert "did you mean 'pressure'?" in problem_at(text, "presure")
    text = VALID.replace(
        "      - use: planar-stroking\n",
        "      - use: planar-stroking\n        pressure: deep\n",
        1,
    )
    assert parse_protocol(text).blocks[0].techniques[0].pressure.value == "deep"


def test_no_blocks_empty_blocks_and_empty_techniques() -> None:
    head = VALID.split("blocks:")[0]
    assert problem_at(head, "id: test-massage") == (
        "the protocol is missing the required key 'blocks'"
    )
    assert problem_at(head + "blocks: []\n", "[]") == "a protocol needs at least one block"
    (line, column, message), *_ = problems_of(head + "blocks:\n")
    assert (line, column) == (where(head + "blocks:", "blocks:")[0], len("blocks:") + 1)
    assert message.startswith("blocks must be a list") and message.endswith("got nothing")
    last = (
        VALID.rsplit("    techniques:\n      - use: planar-stroking\n", 1)[0]
        + "    techniques: []\n"
    )
    assert problem_at(last, "[]") == "block 'closing' has no techniques: list at least one"


def test_a_duplicate_block_is_still_checked_so_every_problem_shows_at_once() -> None:
    text = VALID.replace("id: closing", "id: stroking").replace("duration: 90s", "duration: 0")
    problems = problems_of(text)
    line, column = where(text, "duration: 0")
    assert [(p[0], p[1]) for p in problems] == [
        where(text, "stroking\n    title: Closing"),
        (line, column + len("duration: ")),  # at the value
    ]
    assert "duplicate block id" in problems[0][2] and "more than zero" in problems[1][2]


def test_percussion_moves_on_every_ten_seconds_unless_the_file_says_otherwise() -> None:
    tapping = VALID.replace("path: circular", "path: tapping")
    tapping = tapping.replace("        spot_limit: 10s\n", "")
    assert "spot_limit" not in tapping
    protocol = parse_protocol(tapping, "test.yaml")
    limits = {t.id: t.spot_limit for b in protocol.blocks for t in b.techniques}
    assert limits["fingertip-circles"] == 10.0
    assert limits["planar-stroking"] is None


def test_a_step_too_short_for_its_minimum_repetitions_names_the_mode() -> None:
    # 3 shares in 12 s: planar stroking gets 4 s, 1.33 movements at 20/min (relaxing).
    text = VALID.replace("duration: 2m", "duration: 12s")
    problems = problems_of(text)
    line, column = where(text, "use: planar-stroking")
    relaxing = [p for p in problems if "relaxing mode" in p[2]]
    assert [(p[0], p[1]) for p in relaxing] == [(line, column)]
    message = relaxing[0][2]
    assert "4s of block 'stroking' give 1.33 movements at 20/min" in message
    assert "min_repetitions of 3" in message and "at least 27s long" in message
    # The same block, at 27 s, fits exactly three strokes.
    assert parse_protocol(VALID.replace("duration: 2m", "duration: 27s"))


def test_stimulating_mode_is_checked_too() -> None:
    text = VALID.replace("rhythm: 60", "rhythm: {relaxing: 60, stimulating: 1}")
    message = problem_at(text, "id: fingertip-circles")
    assert "too short in stimulating mode" in message and "at 1/min" in message


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    text = (
        VALID.replace("hands: both\n        path", "hands: four\n        path")
        .replace("zones: [shoulders]", "zones: [spine]")
        .replace("duration: 90s", "duration: 0")
    )
    problems = problems_of(text)
    assert [(p[0], p[1]) for p in problems] == [
        where(text, "four"),
        where(text, "0\n    zones: [spine]"),
        where(text, "spine]"),
    ]


def test_problems_print_as_path_line_column_message() -> None:
    from backbeat.core.protocol_io import ProtocolError

    text = VALID.replace("pressure: medium", "pressure: hard")
    try:
        parse_protocol(text, "my.yaml")
    except ProtocolError as error:
        line, column = where(text, "hard")
        assert str(error).startswith(f"my.yaml:{line}:{column}: unknown pressure 'hard'")
        assert str(error.problems[0]) == str(error)
    else:
        raise AssertionError("a bad pressure was accepted")


def test_a_library_that_is_not_a_mapping_is_reported_once() -> None:
    head, rest = VALID.split("techniques:\n", 1)
    text = head + "techniques: [planar-stroking]\nblocks:\n" + rest.split("blocks:\n", 1)[1]
    problems = problems_of(text)
    assert problems[0][:2] == where(text, "[planar-stroking]")
    assert problems[0][2].startswith("techniques (the library of reusable techniques) must be a")
    assert not any("use" in message for _, _, message in problems)


def test_one_library_technique_twice_in_a_block_with_its_own_id() -> None:
    twice = "      - use: planar-stroking\n        id: stroking-again\n        zones: [sides]\n"
    text = VALID.replace(
        "    techniques:\n      - use: planar-stroking\n", "    techniques:\n" + twice, 1
    )
    text = text.replace(
        "      - id: fingertip-circles",
        "      - use: planar-stroking\n" + "      - id: fingertip-circles",
        1,
    )
    again, first, _ = parse_protocol(text).blocks[0].techniques
    assert (again.id, first.id) == ("stroking-again", "planar-stroking")
    assert again.zones == (Zone.SIDES,) and first.zones == (Zone.LUMBAR, Zone.LOWER_THORACIC)
    assert again.title == first.title == "Planar stroking"
