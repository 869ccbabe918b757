"""Shared fixtures: the bundled corpus and the project's shared folder (gold answers, real documents)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def realdoc(name_glob: str) -> Path:
    """A real document from ../shared/realdocs, or skip: those files are not part of the repository."""
    folder = SHARED / "realdocs"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (real documents are not in the repository)")
    found = sorted(folder.glob(name_glob))
    if not found:
        pytest.skip(f"no file matching {name_glob} in {folder}")
    return found[0]
