"""Reading reports: the text of a report in any format, and the figures written in it."""
