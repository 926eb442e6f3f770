"""Analysis: checks, comparisons, roll-ups, progress and every query over loaded datasets."""
