"""A finding: a rule a built file breaks, said as file: rule: detail."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Finding:
    file: str
    rule: str
    detail: str
    severity: str = "error"

    def format(self, root: Path | None = None) -> str:
        file = self.file
        if root is not None and Path(file).is_absolute() and Path(file).is_relative_to(root):
            file = str(Path(file).relative_to(root))
        label = "" if self.severity == "error" else f"{self.severity}: "
        return f"{file}: {self.rule}: {label}{self.detail}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)
