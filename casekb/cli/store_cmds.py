"""Commands that make and inspect stores: init, check, build, schema (placeholder)."""


def register(subparsers) -> None:
    """Add this module's commands to the `casekb` parser."""
