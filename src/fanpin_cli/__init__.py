"""fanpin: query, check, compare and export poverty-return monitoring indicators."""

__version__ = "0.1.0"

# Whether a big load may move its records out of the garbage collector's sight (gc.freeze):
# only in the command line's own process (cli.app.main sets it), never in a library
# caller's, whose own objects gc.freeze would freeze with them.
FREEZE_GC = False


def freeze_gc() -> None:
    """gc.freeze() when FREEZE_GC says this process is the command line's."""
    if FREEZE_GC:
        import gc

        gc.freeze()
