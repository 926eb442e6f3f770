"""The store: parsed datasets kept between runs, so a warm run never parses TOML."""
