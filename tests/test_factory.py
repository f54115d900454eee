from claims.extract_llm import LLMExtractor
from claims.extract_offline import OfflineExtractor
from claims.factory import build_extractor, build_verifier
from claims.settings import Settings
from claims.verify_llm import LLMVerifier
from retrieval.embedder import default_embedder
from tests.fakes import FakeEmbedder


def test_llm_mode_builds_llm_parts_with_settings():
    settings = Settings(llm="openai", openai_base_url="http://127.0.0.1:9/v1", model="m-1")
    assert isinstance(build_extractor(settings, FakeEmbedder()), LLMExtractor)
    assert isinstance(build_verifier(settings, FakeEmbedder()).primary, LLMVerifier)


def test_offline_mode_builds_offline_parts_on_the_shipped_models():
    settings = Settings(llm="none")
    assert isinstance(build_extractor(settings, default_embedder()), OfflineExtractor)
    verifier = build_verifier(settings, default_embedder())
    assert not isinstance(verifier, LLMVerifier)
