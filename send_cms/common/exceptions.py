"""Errors the services raise and every layer translates the same way."""


class TransitionNotAllowed(Exception):
    """The current state does not allow this step (a form error on pages, 409 in the API)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
