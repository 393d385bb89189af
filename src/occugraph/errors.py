"""One exception type for everything a user can get wrong.

Its ``str()`` is the single stderr line the build prints for a bad file, in the
style of pyoxigraph's located ``SyntaxError``: ``path:line: [kind] message``.
"""

from __future__ import annotations


class OccugraphError(Exception):
    """An error the user can act on, located where that is known."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.kind = kind

    def located(self, *, path: str | None = None, kind: str | None = None) -> OccugraphError:
        """Fill in what the raiser could not know (extractors never see paths)."""
        self.path = self.path or path
        self.kind = self.kind or kind
        return self

    def __str__(self) -> str:
        kind = f"[{self.kind}] " if self.kind else ""
        if self.path is None and self.line is None:
            return f"{kind}{self.message}"
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {kind}{self.message}"


class InputError(OccugraphError):
    """A source document that cannot be read or does not fit its kind."""
