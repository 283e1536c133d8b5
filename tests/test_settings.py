"""Settings: every one is documented (the README's settings table names each field as its
environment variable, and names nothing that is not one), and the environment is read as the
README says, with a clear error for a value a setting cannot take."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from aslgraph.config import (
    Settings,
    SettingsError,
    default_validation_memory,
    physical_memory,
)

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


def test_settings_are_read_from_the_environment_in_any_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASLGRAPH_PORT", "8123")
    monkeypatch.setenv("aslgraph_access_log", "no")
    monkeypatch.setenv("ASLGRAPH_NOT_A_SETTING", "left alone")
    settings = Settings()
    assert (settings.port, settings.access_log) == (8123, False)
    assert Settings(port=9000).port == 9000  # the constructor's value wins


def test_a_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASLGRAPH_PORT", "eighty")
    monkeypatch.setenv("ASLGRAPH_VALIDATION_ENGINE", "fastest")
    with pytest.raises(SettingsError) as caught:
        Settings()
    message = str(caught.value)
    assert "ASLGRAPH_PORT='eighty'" in message and "integer" in message
    assert "ASLGRAPH_VALIDATION_ENGINE='fastest'" in message and "'pyshacl'" in message
    Settings(port=1, validation_engine="fast")  # given values replace the bad ones


def test_a_bad_constructor_value_is_still_pydantic_s_error() -> None:
    with pytest.raises(ValidationError, match="port"):
        Settings(port="eighty")
    with pytest.raises(ValidationError, match="Extra inputs"):
        Settings(no_such_setting=1)
