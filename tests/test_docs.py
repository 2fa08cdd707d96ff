"""The docs hold together: a short README, links that resolve, cited docs that exist.

- README.md stays at most 200 lines; the rest lives in docs/, one page per reader.
- Every relative link in README.md and docs/*.md points at a file of the repository, and its
  `#anchor`, if any, at a heading of that file (GitHub's heading slugs).
- Every `docs/<name>.md` that code or SQL under bot/ and storage/ cites exists in docs/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
README_MAX_LINES = 200

_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_CITED = re.compile(r"docs/[\w./-]+?\.md")


def _prose_lines(path: Path) -> list[str]:
    """The lines of a markdown file outside fenced code blocks."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|__", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    found: set[str] = set()
    for line in _prose_lines(path):
        m = _HEADING.match(line)
        if m:
            found.add(_slug(m.group(1)))
    return found


def _relative_links(path: Path) -> list[str]:
    links = []
    for line in _prose_lines(path):
        for target in _LINK.findall(re.sub(r"`[^`]*`", "", line)):
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: ...
                links.append(target)
    return links


def test_readme_is_short() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines (at most {README_MAX_LINES}): move detail to docs/"
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for link in _relative_links(page):
        target, _, anchor = link.partition("#")
        file = (page.parent / target).resolve() if target else page
        if not file.exists():
            broken.append(
                f"{link}: no file {file.relative_to(REPO) if file.is_relative_to(REPO) else file}"
            )
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(f"{link}: no heading with anchor #{anchor}")
    assert not broken, f"{page.relative_to(REPO)}: broken links:\n" + "\n".join(broken)


def test_docs_cited_by_the_code_exist() -> None:
    missing = []
    for folder in ("bot", "storage"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix not in (".py", ".sql") or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            for cited in sorted(set(_CITED.findall(text))):
                if not (REPO / cited).is_file():
                    missing.append(f"{path.relative_to(REPO)} cites {cited}")
    assert not missing, "docs cited but not in the repository:\n" + "\n".join(missing)


def test_the_checks_catch_what_they_should(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# A `code` heading: yes\n\n[ok](#a-code-heading-yes) [gone](missing.md)\n"
        "```\n[in code](nowhere.md)\n```\n[web](https://example.com)\n",
        encoding="utf-8",
    )
    assert _relative_links(page) == ["#a-code-heading-yes", "missing.md"]
    assert _anchors(page) == {"a-code-heading-yes"}
