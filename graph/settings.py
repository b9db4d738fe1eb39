"""Configuration of inclusion-kg, read from ``IKG_*`` environment variables and flags.

One frozen :class:`Settings` object is built by the front end and passed down explicitly;
nothing reads the environment at import time, so tests build their own settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_BASE_IRI", "Settings"]

DEFAULT_BASE_IRI = "https://w3id.org/inclusion-kg/"


class Settings(BaseSettings):
    """Service and library settings; every field can be set as ``IKG_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="IKG_", env_file=".env", frozen=True, extra="ignore"
    )

    store: Literal["oxigraph", "memory", "remote"] = Field(
        default="oxigraph",
        description=(
            "Backend: embedded Oxigraph on disk, Oxigraph in memory, or a remote SPARQL endpoint."
        ),
    )
    data_dir: Path = Field(default=Path("data/store"), description="Folder of the on-disk store.")
    remote_query_url: str | None = Field(default=None, description="SPARQL 1.1 Query endpoint.")
    remote_update_url: str | None = Field(default=None, description="SPARQL 1.1 Update endpoint.")
    base_iri: str = Field(default=DEFAULT_BASE_IRI, description="Base of every minted IRI.")
    host: str = Field(default="127.0.0.1", description="Address the server binds to.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port the server binds to.")
    api_token: str | None = Field(default=None, description="Bearer token required for writes.")
    query_timeout: float = Field(
        default=30.0, gt=0, description="Seconds before a query is cut off."
    )
    max_rows: int = Field(default=100_000, gt=0, description="Largest result a query may return.")
    max_upload_bytes: int = Field(
        default=50 * 1024 * 1024, gt=0, description="Largest request body."
    )
    load_seeds: bool = Field(
        default=True, description="Load ontology and seeds into an empty store."
    )
    allowed_urls: tuple[str, ...] = Field(
        default=(), description="URL prefixes that SERVICE or LOAD may fetch (none by default)."
    )

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        """IRIs are minted by appending paths, so the base must end with a slash."""
        if not value.startswith(("http://", "https://")):
            msg = f"IKG_BASE_IRI must be an http(s) IRI, got {value!r}"
            raise ValueError(msg)
        return value if value.endswith("/") else value + "/"
