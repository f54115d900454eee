"""Sentence splitting, passage grouping, content-hash ids and rank fusion (pure code)."""

from __future__ import annotations

from retrieval import Document
from retrieval.chunking import (
    MAX_PASSAGE_CHARS,
    PYSBD_MAX_BLOCK_CHARS,
    chunk_document,
    passage_id,
    split_sentences,
)
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.lexical import LexicalIndex, tokenize

TEXT = (
    "# Kazan summit\n\n"
    "The 2024 Brics summit was held in Kazan on Oct. 22. Mr. Putin hosted 36 delegations!  "
    "Was it a success?\n\n"
    "South Africa joined the group in 2010."
)


def doc(text: str, source: str = "/src/a.txt", doc_id: str | None = None) -> Document:
    return Document(id=doc_id or source, text=text, source=source, title="a")


def test_sentences_have_exact_trimmed_offsets_and_respect_abbreviations():
    spans = split_sentences(TEXT)
    sentences = [TEXT[s:e] for s, e in spans]
    assert sentences == [
        "# Kazan summit",
        "The 2024 Brics summit was held in Kazan on Oct. 22.",
        "Mr. Putin hosted 36 delegations!",
        "Was it a success?",
        "South Africa joined the group in 2010.",
    ]


def test_huge_blocks_use_the_regex_splitter_with_exact_offsets():
    block = "Dr. Smith measured 3.5 kg. The cat sat. " * (PYSBD_MAX_BLOCK_CHARS // 30)
    spans = split_sentences(block)
    assert block[spans[0][0] : spans[0][1]] == "Dr. Smith measured 3.5 kg."
    assert block[spans[1][0] : spans[1][1]] == "The cat sat."
    assert all(block[s:e] == block[s:e].strip() and e > s for s, e in spans)


def test_passages_point_into_their_document_and_sentences_into_the_passage():
    text = (
        TEXT
        + "\n\n"
        + " ".join(f"Sentence number {i} says something about cells." for i in range(60))
    )
    passages = chunk_document(doc(text))
    assert len(passages) > 3
    for p in passages:
        assert text[p.start : p.end] == p.text
        assert len(p.text) <= MAX_PASSAGE_CHARS
        assert p.sentences and all(p.text[s.start : s.end] == s.text for s in p.sentences)
    covered = [s.text for p in passages for s in p.sentences]
    assert covered[:5] == [TEXT[s:e] for s, e in split_sentences(TEXT)]


def test_an_over_long_sentence_is_cut_at_the_hard_cap():
    text = "word " * 500 + "end."
    passages = chunk_document(doc(text))
    assert len(passages) >= 3
    assert all(
        len(p.text) <= MAX_PASSAGE_CHARS and text[p.start : p.end] == p.text for p in passages
    )
    assert passages[-1].text.endswith("end.")


def test_passage_ids_hash_source_document_and_text():
    a = chunk_document(doc(TEXT))
    assert [p.id for p in a] == [p.id for p in chunk_document(doc(TEXT))]
    assert a[0].id != chunk_document(doc(TEXT, source="/src/b.txt"))[0].id
    assert a[0].id == passage_id("/src/a.txt", "/src/a.txt", a[0].text)
    edited = chunk_document(doc(TEXT + " " + "A new closing sentence was added."))
    assert a[0].id == edited[0].id or len(a) == 1
    assert chunk_document(doc("   \n\n  ")) == []


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]])
    assert [pid for pid, _ in fused] == ["b", "a", "d", "c"]
    assert abs(dict(fused)["b"] - (1 / 62 + 1 / 61)) < 1e-12


def test_bm25_index_filters_and_ignores_unknown_words():
    index = LexicalIndex(
        ["p1", "p2", "p3"],
        [
            "Brics began in 2009 with four members.",
            "Kazan hosted the Brics summit.",
            "Cells divide.",
        ],
        [
            {"source": "a", "published_ord": 700000},
            {"source": "b", "published_ord": 739000},
            {"source": "a"},
        ],
    )
    assert [pid for pid, _ in index.search("Brics members in 2009", top_k=5)] == ["p1", "p2"]
    assert [pid for pid, _ in index.search("Brics", top_k=5, source="b")] == ["p2"]
    from datetime import date

    assert [
        pid for pid, _ in index.search("Brics", top_k=5, published_before=date(2000, 1, 1))
    ] == ["p1"]
    assert index.search("zebra quokka", top_k=5) == []
    assert tokenize("The cells ARE dividing") == ["cell", "dividing"]
