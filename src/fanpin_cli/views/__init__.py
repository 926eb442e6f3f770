"""Views: turn analysis results into Outputs (rows, record fields, labelled columns) for a command.

One module per family of commands; each imports only what its command needs.
"""
