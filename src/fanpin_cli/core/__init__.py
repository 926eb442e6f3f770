"""The core every layer uses: schema, model, units, numerals, labels, messages, errors."""
