"""App wiring for tests: the real Chroma knowledge base with scripted models.

``CLAIMSCOPE_APP_SERVICES=tests.app_realkb``: retrieval is the real thing
(embedded Chroma, MiniLM, BM25); extraction and verification are scripted.
"""

from tests.app_fakes import models
from ui.wiring import knowledge_base

__all__ = ["knowledge_base", "models"]
