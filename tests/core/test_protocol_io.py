"""Loading whatever a file holds, and saving: clear messages, round trips, atomic writes."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from backbeat.core.model import Protocol
from backbeat.core.plan import PlanOverrides, apply_overrides
from backbeat.core.protocol_io import (
    Problem,
    ProtocolError,
    dump_protocol,
    load_protocol,
    parse_protocol,
    save_protocol,
)
from backbeat.core.yaml_nodes import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from tests.conftest import PROTOCOLS_DIR
from tests.core.protocol_text import VALID, problems_of, where


def only_problem(path: Path) -> Problem:
    with pytest.raises(ProtocolError) as caught:
        load_protocol(path)
    assert len(caught.value.problems) == 1, caught.value.problems
    problem = caught.value.problems[0]
    assert problem.path == str(path)
    assert str(caught.value) == f"{path}:{problem.line}:{problem.column}: {problem.message}"
    return problem


def write(tmp_path: Path, content: str | bytes, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_load_sets_the_source_and_parses(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    protocol = load_protocol(path)
    assert protocol.source == str(path)
    assert protocol == parse_protocol(VALID)


def test_missing_file(tmp_path: Path) -> None:
    problem = only_problem(tmp_path / "nowhere.yaml")
    assert (problem.line, problem.column, problem.message) == (1, 1, "no such file")


def test_a_directory(tmp_path: Path) -> None:
    assert "folder, not a protocol file" in only_problem(tmp_path).message


def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert only_problem(fifo).message == "this is not a regular file"


def test_empty_and_comment_only_files(tmp_path: Path) -> None:
    for content in ("", "\n\n", "# just a comment\n"):
        message = only_problem(write(tmp_path, content)).message
        assert message.startswith("the file is empty")


def test_binary_data(tmp_path: Path) -> None:
    path = write(tmp_path, bytes(range(256)) * 4)
    assert "binary data" in only_problem(path).message


def test_not_utf8_gives_the_position_of_the_bad_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "id: x\ntitle: Caf\xe9\n".encode("latin-1"))
    problem = only_problem(path)
    assert (problem.line, problem.column) == (2, 11)
    assert "not UTF-8" in problem.message and "0xe9" in problem.message


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + VALID.encode())
    assert load_protocol(path).id == "test-massage"


def test_syntax_error_reports_the_yaml_position(tmp_path: Path) -> None:
    text = VALID.replace("title: Stroking", "title: [Stroking")
    problems = problems_of(text)
    # The flow list opened on one line runs into the next key: that is where YAML stops.
    assert problems == [
        (
            *where(text, ": 2m"),
            "not valid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence)",
        )
    ]


def test_tab_indentation_is_a_syntax_error_with_position() -> None:
    problems = problems_of("id: x\n\ttitle: y\n")
    assert (problems[0][0], problems[0][1]) == (2, 1)
    assert problems[0][2].endswith("indent with spaces, not tabs")


def test_control_characters_are_refused_with_position() -> None:
    problems = problems_of("id: x\ntitle: a\x07b\n")
    assert problems == [
        (2, 9, "the control character U+0007 is not allowed in a YAML file; remove it")
    ]


def test_several_documents() -> None:
    problems = problems_of(VALID + "---\nid: other\n")
    assert (problems[0][0], problems[0][1]) == (where(VALID + "---", "---")[0], 1)
    assert "expected a single document" in problems[0][2]


@pytest.mark.parametrize("top", ["- a\n- b\n", "just text\n", "42\n"])
def test_a_top_level_that_is_not_a_mapping(top: str) -> None:
    problems = problems_of(top)
    assert (problems[0][0], problems[0][1]) == (1, 1)
    assert problems[0][2].startswith("the top level of a protocol must be a mapping")


def test_billion_laughs_alias_bomb_stops_with_a_message(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    problem = only_problem(path)
    assert f"expands to more than {MAX_NODES} values" in problem.message


def test_an_alias_that_contains_itself_stops_with_a_message() -> None:
    problems = problems_of("id: &loop [*loop]\n")
    assert "an alias that refers to itself" in problems[0][2]


def test_python_object_tags_are_refused_at_their_position(tmp_path: Path) -> None:
    text = VALID.replace(
        "title: Stroking", "title: !!python/object/apply:os.system ['touch pwned']"
    )
    problems = problems_of(text)
    line, column = where(text, "!!python")
    assert [(p[0], p[1]) for p in problems] == [(line, column)]
    assert "the tag !!python/object/apply:os.system is not allowed" in problems[0][2]
    assert not (Path.cwd() / "pwned").exists()


def test_other_unknown_tags_and_merge_keys() -> None:
    assert "the tag !custom is not allowed" in problems_of("id: !custom x\n")[0][2]
    merged = problems_of("base: &b {title: x}\nother:\n  <<: *b\n")
    assert (merged[0][0], merged[0][1]) == (3, 3)
    assert "merge keys (<<) are not supported" in merged[0][2]


def test_files_of_several_megabytes_are_refused_with_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "# padding\n" * (3 * 1024 * 1024 // 10))
    message = only_problem(path).message
    assert f"at most {MAX_FILE_BYTES // 1024} KiB" in message


def test_a_file_with_too_many_values_stops_where_the_limit_is_passed(tmp_path: Path) -> None:
    path = write(tmp_path, "- a\n" * (MAX_NODES + 10))
    problem = only_problem(path)
    assert (problem.line, problem.column) == (MAX_NODES, 3)
    assert f"holds more than {MAX_NODES} values" in problem.message


def test_very_deep_nesting(tmp_path: Path) -> None:
    path = write(tmp_path, "id: " + "[" * 100_000)
    problem = only_problem(path)
    assert f"nested more than {MAX_DEPTH} levels deep" in problem.message
    assert problem.line == 1 and problem.column == 5 + MAX_DEPTH - 1


def test_huge_numbers_are_problems_not_crashes() -> None:
    text = VALID.replace("rhythm: 60", "rhythm: " + "9" * 5000)
    assert "too big" in problems_of(text)[0][2]
    text = VALID.replace("share: 2", "share: 1.0e+999")
    assert "finite number" in problems_of(text)[0][2]


# --- saving -----------------------------------------------------------------------------


def bundled() -> list[Path]:
    return sorted(PROTOCOLS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", bundled(), ids=lambda p: p.stem)
def test_bundled_protocols_survive_load_save_load(path: Path, tmp_path: Path) -> None:
    original = load_protocol(path)
    copy = tmp_path / path.name
    save_protocol(original, copy)
    assert load_protocol(copy) == original


def test_round_trip_keeps_changed_and_fractional_durations(tmp_path: Path) -> None:
    protocol = parse_protocol(VALID).with_block_durations({"stroking": 150.0, "closing": 100.123})
    target = tmp_path / "changed.yaml"
    save_protocol(protocol, target)
    text = target.read_text(encoding="utf-8")
    assert "duration: 2m30s" in text and "duration: 100.123" in text
    assert load_protocol(target) == protocol
    assert load_protocol(target).blocks[1].duration == 100.123


def test_scaled_protocols_round_trip_exactly(tmp_path: Path) -> None:
    protocol = apply_overrides(parse_protocol(VALID), PlanOverrides(total=1000 / 3))
    save_protocol(protocol, tmp_path / "scaled.yaml")
    assert load_protocol(tmp_path / "scaled.yaml") == protocol


def test_dump_is_readable_block_yaml_in_a_stable_order() -> None:
    text = dump_protocol(parse_protocol(VALID))
    keys = [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")]
    assert keys == ["id", "title", "description", "default_mode", "blocks"]
    assert "rhythm: {relaxing: 20, stimulating: 40}" in text
    assert "zones: [shoulders]" in text  # the block's zones, resolved into the technique
    assert "use:" not in text and "spot_limit: 10s" in text and "share: 2\n" in text
    assert dump_protocol(parse_protocol(text)) == text


def test_saving_replaces_the_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = write(tmp_path, "old contents\n")
    target.chmod(0o600)
    save_protocol(parse_protocol(VALID), target)
    assert load_protocol(target) == parse_protocol(VALID)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_a_failed_save_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = write(tmp_path, VALID)
    too_long = replace(parse_protocol(VALID), id="Not An Id")
    with pytest.raises(ProtocolError) as caught:
        save_protocol(too_long, target)
    assert "may only use lowercase letters" in str(caught.value)
    assert target.read_text(encoding="utf-8") == VALID
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_saving_into_a_missing_folder_or_onto_a_folder(tmp_path: Path) -> None:
    protocol = parse_protocol(VALID)
    with pytest.raises(ProtocolError) as caught:
        save_protocol(protocol, tmp_path / "missing" / "p.yaml")
    assert "does not exist" in str(caught.value)
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(ProtocolError) as caught:
        save_protocol(protocol, tmp_path / "folder.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'folder.yaml'}:1:1: cannot save")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.yaml"]


def test_protocol_equality_ignores_the_source(tmp_path: Path) -> None:
    protocol: Protocol = parse_protocol(VALID)
    assert replace(protocol, source="elsewhere.yaml") == protocol


# --- the format document ------------------------------------------------------------------

FORMAT_DOC = PROTOCOLS_DIR.parent / "docs" / "protocol-format.md"


def test_the_full_example_in_the_format_document_loads() -> None:
    document = FORMAT_DOC.read_text(encoding="utf-8")
    example = document.split("## A full example", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    protocol = parse_protocol(example, "docs/protocol-format.md")
    assert [block.id for block in protocol.blocks] == ["sacrum", "lower-back", "patting", "closing"]
    sacrum = protocol.blocks[0]
    assert [zone.value for zone in sacrum.techniques[0].zones] == ["lumbosacral", "iliac-crest"]
    assert protocol.blocks[1].techniques[1].pressure.value == "light"


def test_the_format_document_lists_every_zone() -> None:
    from backbeat.core.zones import Zone

    document = FORMAT_DOC.read_text(encoding="utf-8")
    table = document.split("## Zones", 1)[1].split("##", 1)[0]
    listed = [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")]
    assert listed == [zone.value for zone in Zone]
