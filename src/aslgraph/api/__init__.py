"""The HTTP interface: one FastAPI app (``create_app``) over the services."""
