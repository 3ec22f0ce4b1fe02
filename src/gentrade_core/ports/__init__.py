"""The ports: Protocols the adapters subclass. Each port module owns its error types."""
