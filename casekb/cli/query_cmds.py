"""Commands that ask questions: query, explain, describe (placeholder)."""


def register(subparsers) -> None:
    """Add this module's commands to the `casekb` parser."""
