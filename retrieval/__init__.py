"""The knowledge base: load sources, chunk them, store them in Chroma, search them.

Public API::

    kb = open_knowledge_base(settings)          # embedded store, or a Chroma server
    kb.ingest_paths([Path("sources/")])          # -> IngestReport
    kb.search("claim text", top_k=5)             # -> list[Evidence]  (a claims Retriever)
"""

from retrieval.documents import Document, IngestReport, SkippedFile
from retrieval.knowledge_base import KnowledgeBase, open_knowledge_base
from retrieval.store import ChromaEmbeddingFunction

__all__ = [
    "ChromaEmbeddingFunction",
    "Document",
    "IngestReport",
    "KnowledgeBase",
    "SkippedFile",
    "open_knowledge_base",
]
