"""Every setting is documented: the README's settings table names each field of Settings as
its environment variable, and names nothing that is not one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aslgraph.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.quick


def test_every_setting_is_in_the_readme() -> None:
    missing = [name for name in Settings.model_fields if f"`ASLGRAPH_{name.upper()}`" not in README]
    assert missing == []


def test_the_readme_names_only_settings_that_exist() -> None:
    named = set(re.findall(r"`ASLGRAPH_([A-Z_]+)`", README))
    assert sorted(n for n in named if n.lower() not in Settings.model_fields) == []
