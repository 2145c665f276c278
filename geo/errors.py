"""Exceptions raised by ``geo``; the app turns each into one user-facing error."""


class BoundaryError(Exception):
    """A boundary source or file could not be read; the message names it and the fix.

    ``str(error)`` is the Vietnamese message; ``message("en")`` gives the English one.
    """

    def __init__(self, message_vi: str, message_en: str | None = None):
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi

    def message(self, lang: str = "vi") -> str:
        """Return the message in ``lang`` ("vi" or "en")."""
        return self.message_en if lang == "en" else self.message_vi


class BilingualError(Exception):
    """An error with its message in Vietnamese and in English. ``str(error)`` is the English one."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en

    def message(self, lang: str = "vi") -> str:
        """Return the message in ``lang`` ("vi" or "en")."""
        return self.message_en if lang == "en" else self.message_vi
