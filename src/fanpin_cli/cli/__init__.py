"""The command-line interface: Typer commands that parse, call the library and format."""
