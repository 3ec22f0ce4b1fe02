"""Running Freqtrade itself: the launcher that feeds it a markets snapshot instead of the network."""
