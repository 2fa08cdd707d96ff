"""Which browser the browser tests drive, and what they say when there is none (no browser
needed to run these)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.helpers import INSTALL_HINT, browser_required, find_chromium


def test_labelquest_chromium_is_used_when_it_is_an_executable(tmp_path: Path) -> None:
    exe = tmp_path / "my-chromium"
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    assert find_chromium({"LABELQUEST_CHROMIUM": str(exe)}) == (str(exe), "")


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
@pytest.mark.parametrize("kind", ["missing", "not executable"])
def test_a_bad_labelquest_chromium_is_named_and_nothing_else_is_tried(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "chromium"
    if kind == "not executable":
        path.write_text("", encoding="utf-8")
    found, why = find_chromium({"LABELQUEST_CHROMIUM": str(path)})
    assert found is None
    assert why.startswith(INSTALL_HINT) and f"LABELQUEST_CHROMIUM={path}" in why


def test_only_labelquest_require_browser_1_turns_a_skip_into_a_failure() -> None:
    assert browser_required({"LABELQUEST_REQUIRE_BROWSER": "1"})
    assert not browser_required({"LABELQUEST_REQUIRE_BROWSER": "0"})
    assert not browser_required({})
