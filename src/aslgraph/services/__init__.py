"""Domain services: what the CLI and the HTTP routes call. No HTTP and no printing here."""
