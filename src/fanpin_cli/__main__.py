"""Entry point for `python -m fanpin_cli` (fanpin_cli.entry takes Ctrl-C first)."""

from fanpin_cli.entry import main

raise SystemExit(main())
