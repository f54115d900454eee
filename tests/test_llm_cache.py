"""The disk cache of LLM answers: keys, round trip, damaged entries."""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage

from claims.llm_cache import LLMCache
from claims.models import Usage
from claims.prompts import ExtractedClaims, VerdictAnswer
from claims.settings import Settings

MESSAGES = [SystemMessage(content="be exact"), HumanMessage(content="<article>x</article>")]


def test_key_depends_on_model_method_messages_and_schema() -> None:
    base = LLMCache.key("m", "json_schema", MESSAGES, ExtractedClaims)
    assert base == LLMCache.key("m", "json_schema", list(MESSAGES), ExtractedClaims)
    assert base != LLMCache.key("m2", "json_schema", MESSAGES, ExtractedClaims)
    assert base != LLMCache.key("m", "json_mode", MESSAGES, ExtractedClaims)
    assert base != LLMCache.key("m", "json_schema", MESSAGES[:1], ExtractedClaims)
    assert base != LLMCache.key("m", "json_schema", MESSAGES, VerdictAnswer)
    other_role = [HumanMessage(content="be exact"), MESSAGES[1]]
    assert base != LLMCache.key("m", "json_schema", other_role, ExtractedClaims)


def test_round_trip(tmp_path) -> None:
    cache = LLMCache(tmp_path)
    key = LLMCache.key("m", "json_schema", MESSAGES, ExtractedClaims)
    assert cache.get(key) is None
    cache.put(key, '{"claims": []}', Usage(prompt_tokens=5, completion_tokens=2, calls=1))
    hit = cache.get(key)
    assert hit is not None
    assert hit.raw == '{"claims": []}'
    assert hit.usage.prompt_tokens == 5


def test_corrupt_or_foreign_entries_are_misses_and_get_overwritten(tmp_path) -> None:
    cache = LLMCache(tmp_path)
    key = LLMCache.key("m", "json_schema", MESSAGES, ExtractedClaims)
    cache.put(key, "answer", Usage())
    path = next(tmp_path.rglob(f"{key}.json"))

    path.write_bytes(b"\x00\xffnot json")
    assert cache.get(key) is None
    path.write_text('{"key": "someone-else", "raw": "x", "usage": {}}')
    assert cache.get(key) is None
    path.write_text(f'{{"key": "{key}", "raw": "x", "usage": {{"prompt_tokens": "many"}}}}')
    assert cache.get(key) is None

    cache.put(key, "fresh", Usage())
    assert cache.get(key).raw == "fresh"


def test_unwritable_cache_is_not_fatal(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    cache = LLMCache(blocker / "cache")
    cache.put("ab" * 32, "x", Usage())
    assert cache.get("ab" * 32) is None


def test_from_settings_respects_use_cache(tmp_path) -> None:
    on = LLMCache.from_settings(Settings(home=tmp_path))
    assert on is not None and on.directory == tmp_path / "cache" / "llm"
    assert LLMCache.from_settings(Settings(home=tmp_path, use_cache=False)) is None
