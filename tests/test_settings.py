"""Every setting is documented: the README's settings table names each field of Settings as
its environment variable, and names nothing that is not one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aslgraph.config import Settings, default_validation_memory, physical_memory

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.quick


def test_every_setting_is_in_the_readme() -> None:
    missing = [name for name in Settings.model_fields if f"`ASLGRAPH_{name.upper()}`" not in README]
    assert missing == []


def test_the_readme_names_only_settings_that_exist() -> None:
    named = set(re.findall(r"`ASLGRAPH_([A-Z_]+)`", README))
    assert sorted(n for n in named if n.lower() not in Settings.model_fields) == []


def test_the_validation_memory_cap_is_at_most_half_the_machine(tmp_path: Path) -> None:
    small = tmp_path / "meminfo"
    small.write_text("MemTotal:        4000000 kB\nMemFree: 1 kB\n", encoding="ascii")
    assert physical_memory(small) == 4_096_000_000
    assert physical_memory(tmp_path / "absent") == 0
    cap = default_validation_memory()
    assert 0 < cap <= 8 * 1_073_741_824
    total = physical_memory()
    assert total == 0 or cap <= total // 2
