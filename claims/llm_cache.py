"""A disk cache of LLM answers, so reruns are reproducible and free.

One JSON file per answer under ``<cache_dir>/llm/<2 hex>/<sha256>.json``,
written atomically (temp file + rename), so concurrent claim checks can share
it without a lock. The key is the sha256 of everything that shapes the answer:
model name, structured-output method, the full prompt messages and the output
schema. A file that cannot be read or parsed is treated as a miss and
overwritten by the next answer: a damaged cache never fails a run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.messages import BaseMessage
from pydantic import BaseModel

from claims.models import Usage
from claims.settings import Settings

log = logging.getLogger(__name__)

CACHE_FORMAT = 1


@dataclass(frozen=True)
class CachedAnswer:
    """A stored raw answer and the usage of the call that produced it."""

    raw: str
    usage: Usage


class LLMCache:
    """Raw LLM answers on disk, keyed by model + method + prompt + schema."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMCache | None:
        """The cache under ``settings.cache_dir``, or None when caching is switched off."""
        return cls(settings.cache_dir / "llm") if settings.use_cache else None

    @staticmethod
    def key(
        model: str,
        method: str,
        messages: Sequence[BaseMessage],
        schema: type[BaseModel],
    ) -> str:
        payload = {
            "format": CACHE_FORMAT,
            "model": model,
            "method": method,
            "messages": [{"role": m.type, "content": m.content} for m in messages],
            "schema": schema.model_json_schema(),
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedAnswer | None:
        """The stored answer for ``key``; None when absent or unreadable."""
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") != key or not isinstance(data.get("raw"), str):
                raise ValueError("entry does not match its key")
            return CachedAnswer(raw=data["raw"], usage=Usage.model_validate(data["usage"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.warning("ignoring unreadable LLM cache entry %s: %s", path.name, exc)
            return None

    def put(self, key: str, raw: str, usage: Usage) -> None:
        """Store an answer. A cache that cannot be written is logged, never fatal."""
        path = self._path(key)
        entry = {"key": key, "raw": raw, "usage": usage.model_dump()}
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("could not write LLM cache entry %s: %s", path.name, exc)
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
