"""GenTrade's pure core: the domain, the use cases and the ports adapters implement."""
