"""The VoID/DCAT description as an export (the build also writes it next to every dataset)."""
from __future__ import annotations

from pathlib import Path

from .. import void


def write_void(dataset, out: Path) -> Path:
    return void.write_description(dataset.quads, dataset.path, out)
