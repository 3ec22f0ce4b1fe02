"""Pure Freqtrade knowledge: code screen, config building, commands, result parsing, markets."""
