"""What a check reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(slots=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    rule: str
    name: str
    family: str
    severity: str
    message: str
    text: str
    suggestions: list[str] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)
    title: str = ""

    @property
    def shown_name(self) -> str:
        """The rule's Swedish title, or its stable name."""
        return self.title or self.name

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.start, self.end, self.rule)
