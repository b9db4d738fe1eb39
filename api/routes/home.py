"""The landing page at ``/``: what this service is and where to go (the web UI comes later)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from inclusion_kg.api.app import SERVICE_NAME, service_version

__all__ = ["router"]

router = APIRouter(tags=["service"])

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto;
       padding: 0 1rem; line-height: 1.5; color: #222; }}
code {{ background: #f3f3f3; padding: 0 .2em; }}
li {{ margin: .3rem 0; }}
</style>
</head>
<body>
<h1>{name}</h1>
<p>A knowledge graph of the actors and partnerships that carry migrant inclusion in
European cities. Version {version}.</p>
<ul>
<li><a href="sparql">SPARQL endpoint</a> (<code>/sparql</code>, SPARQL 1.1 Protocol; opening it
without a query returns the service description)</li>
<li><a href="docs">API documentation</a> (<code>/docs</code>, OpenAPI at
<a href="openapi.json"><code>/openapi.json</code></a>)</li>
<li><a href="health">Health</a> (<code>/health</code>) and <a href="metrics">metrics</a>
(<code>/metrics</code>)</li>
</ul>
<p>Reads are open. Writes (<code>/update</code>, <code>/store</code>) need
<code>Authorization: Bearer &lt;IKG_API_TOKEN&gt;</code>.</p>
</body>
</html>
"""


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def landing_page() -> HTMLResponse:
    """Return the landing page (plain HTML, no scripts, nothing from a CDN)."""
    return HTMLResponse(_PAGE.format(name=escape(SERVICE_NAME), version=escape(service_version())))
