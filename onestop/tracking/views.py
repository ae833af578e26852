"""Public tracking pages."""
from . import bp  # noqa: F401
