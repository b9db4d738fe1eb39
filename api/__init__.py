"""inclusion-kg front ends: the ``ikg`` command line and the FastAPI service."""
