"""Entry point for `python -m fanpin_cli`."""

from fanpin_cli.cli.app import main

raise SystemExit(main())
