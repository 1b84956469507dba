class ApplicationError(Exception):
    """An error a person can act on; `message` is shown to them as is."""

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
