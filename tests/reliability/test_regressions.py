"""Bugs found by these tests and the fuzzer, pinned in process."""

from __future__ import annotations

import pytest

from ecs_netmode_lsp.analysis import analyze
from ecs_netmode_lsp.source import apply_edits

TASK = "- community.aws.ecs_taskdefinition:\n    family: web\n    network_mode: {}\n"


def fixed_by_the_one_finding(text: str) -> str:
    """Return ``text`` with the fix of its one finding applied."""
    before = analyze(text)
    assert len(before.findings) == 1
    fix = before.findings[0].fix
    assert fix is not None
    return apply_edits(text, [fix])


def assert_fix_clears_the_finding(text: str) -> None:
    """The one finding's fix leaves YAML that parses and has no finding."""
    after = analyze(fixed_by_the_one_finding(text))
    assert after.problem is None
    assert after.findings == ()


@pytest.mark.parametrize(
    "value",
    [
        "!vault |\n      $ANSIBLE_VAULT;1.1;AES256\n      6231336539",
        "!Ref NetworkMode",
        '!Sub "${Mode}"',
        "!custom bridge",
    ],
    ids=["vault", "ref", "sub", "custom"],
)
def test_fix_of_tagged_value_removes_the_finding(value: str) -> None:
    """Fixing a tagged network_mode leaves plain awsvpc, and no finding."""
    text = TASK.format(value)
    assert_fix_clears_the_finding(text)


@pytest.mark.parametrize(
    "text",
    ["é" * 10 + "\x01", "- name: 🚀🚀🚀\n  ecs_taskdefinition: {network_mode: \x07}\n"],
    ids=["accents", "emoji"],
)
def test_forbidden_character_offset_is_in_code_points(text: str) -> None:
    """The notice for a forbidden character points at that character."""
    problem = analyze(text).problem
    assert problem is not None
    assert problem.offset < len(text)
    assert text[problem.offset] in "\x01\x07"


@pytest.mark.parametrize(
    "text",
    [
        "- action: ecs_taskdefinition network_mode='host\n",
        '- ecs_taskdefinition: network_mode="bridge\n',
    ],
    ids=["action-single", "module-double"],
)
def test_fix_of_unclosed_free_form_quote(text: str) -> None:
    """Fixing free-form network_mode with an unclosed quote removes the finding."""
    assert_fix_clears_the_finding(text)


@pytest.mark.parametrize(
    "text",
    [
        "- ecs_taskdefinition:\n    &a family: web\n",
        "- ecs_taskdefinition:\n    !!str family: web\n",
        "- ecs_taskdefinition:\n    !etwork_@m- ecs_taskdefinition:\n",
        "- ecs_taskdefinition:\n    ? family\n    : web\n",
        "- ecs_taskdefinition:\n    ? {network_mode: awsvpc}\n    : a key\n",
    ],
    ids=["anchor", "tag", "fuzzer", "explicit-key", "mapping-key"],
)
def test_added_key_after_key_properties_parses(text: str) -> None:
    """The missing-key fix keeps the mapping's indentation."""
    assert_fix_clears_the_finding(text)


@pytest.mark.parametrize(
    "value", ["!foo &t {a: host}", "!vault &t host"], ids=["mapping", "scalar"]
)
def test_fix_of_tag_before_anchor_with_the_pure_parser(value: str) -> None:
    """A tag written before an anchor goes too, when the pure parser composes.

    A re-defined anchor (``&m`` twice) sends the text to the pure-Python parser,
    which starts such a node at its anchor, not its tag (found by the fuzzer).
    """
    text = f"{TASK.format(value)}- x: &m 1\n- y: &m 2\n"
    fixed = fixed_by_the_one_finding(text)
    assert "network_mode: &t awsvpc\n" in fixed
    after = analyze(fixed)
    assert after.problem is None
    assert after.findings == ()


@pytest.mark.parametrize(
    "text",
    [
        "- ecs_taskdefinition:\n    network_mode: !unsafe #{{ mode }}'\n",
        "- ecs_taskdefinition:\n    network_mode: !vault\n    family: web\n",
        "- ecs_taskdefinition:\n    network_mode: &mode\n    family: web\n",
        "- ecs_taskdefinition: {network_mode: &m !!str , family: web}\n",
        "- ecs_taskdefinition:\n    ? network_mode\n    family: web\n",
        "- ecs_taskdefinition: {network_mode, family: web}\n",
        "- x: &m 1\n- y: &m 2\n- ecs_taskdefinition:\n    network_mode:\n    a: b\n",
    ],
    ids=["unsafe", "vault", "anchor", "flow-props", "explicit-key", "flow-key", "pure"],
)
def test_fix_of_empty_value_removes_the_finding(text: str) -> None:
    """An empty network_mode, bare or with only an anchor or tag, is fixed.

    The fix wrote awsvpc before the tag (``awsvpc!unsafe``, found by the
    fuzzer), after a key without a colon, or, with the pure parser, at the
    start of the next line.
    """
    assert_fix_clears_the_finding(text)


@pytest.mark.parametrize(
    "body",
    ["- a: *{}\n", "- a: !{}!x b\n"],
    ids=["undefined-alias", "undefined-tag-handle"],
)
def test_parse_error_message_stays_short(body: str) -> None:
    """A parse error quoting a huge name is cut to a short message.

    A re-defined anchor sends the text to the pure parser, whose messages
    quote the whole alias name or tag handle.
    """
    name = "a" * 300_000
    text = "- x: &m 1\n- y: &m 2\n" + body.format(name)
    problem = analyze(text).problem
    assert problem is not None
    assert len(problem.message) <= 200
    assert problem.message.startswith(("found undefined", "while parsing"))
