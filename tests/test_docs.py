"""The README stays true to the code: every setting documented, every link pointing somewhere."""

from __future__ import annotations

import re

from tests.settings_env import REPO_ROOT, settings_variables

README = REPO_ROOT / "README.md"
FOLDERS = ("bench", "tests")  # the folders with a README of their own


def _configuration_table() -> set[str]:
    section = README.read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE))


def test_readme_documents_every_environment_variable_settings_read():
    missing = settings_variables() - _configuration_table()
    assert missing == set()


def test_quick_start_is_the_two_make_commands():
    section = README.read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    assert [c.strip() for c in commands] == ["make run", "make test"]


def test_relative_links_in_the_docs_point_to_existing_files():
    pages = [README, *REPO_ROOT.glob("docs/*.md"), *(REPO_ROOT / d / "README.md" for d in FOLDERS)]
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
