"""HTTP routers, one module per resource; each exposes ``router`` (see ``app.ROUTERS``)."""
