"""Reading datasets: TOML directories (load), spreadsheets (sheets), the store that keeps them
parsed."""
