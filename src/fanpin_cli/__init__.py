"""fanpin: query, check, compare and export poverty-return monitoring indicators."""

__version__ = "0.1.0"
