"""Where the dataset shipped with fanpin is: inside an installed package, or in a checkout."""

from __future__ import annotations

from pathlib import Path

BUNDLED = "@bundled"  # --data @bundled names the dataset shipped with fanpin
MARKER = "dataset.toml"


def bundled_data_dir() -> Path:
    """The dataset shipped with fanpin.

    A wheel (built from the checkout or from the sdist) carries it as `fanpin_cli/data`,
    copied there from `data/` at the repository root by the build. A checkout run with
    `uv run` and an editable install import the package from `src/fanpin_cli`, next to which
    nothing is copied: there the dataset is `data/` two levels up. There is no symlink
    between the two, so a Windows checkout works too. Found without importing
    importlib.resources (3 ms of start-up) for a package on the file system; anything else
    (a zip import) asks importlib.resources itself.
    """
    import fanpin_cli

    package = Path(fanpin_cli.__file__).parent
    installed = package / "data"
    if installed.is_dir():
        return installed
    checkout = package.parent.parent / "data"
    if (checkout / MARKER).is_file() and (package.parent.parent / "pyproject.toml").is_file():
        return checkout
    from importlib.resources import files

    return Path(str(files("fanpin_cli").joinpath("data")))
