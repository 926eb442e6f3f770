"""Files read and written safely: atomic replacement, temporary files, bounded reads, streams."""
