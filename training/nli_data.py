"""Training pairs (claim, evidence, label) for the offline verifier.

Built only from TRAINING material in ``../shared/data``: SciFact claims_train,
FEVEROUS-S minus its ``ci_subset`` claims (and minus any claim whose gold
evidence overlaps a ci_subset claim's), the VitaminC train sample and WiCE dev.
SciFact dev, the FEVEROUS ci_subset, FEVER-Symmetric, VitaminC test and WiCE
test are never read here: they are what the benchmark reports.

Labels: 0 = entails, 1 = contradicts, 2 = neutral (see ``training.nli_bert.CLASSES``).
A held-out slice, split by claim, serves calibration and the int8-vs-fp32 check.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

ENTAILS, CONTRADICTS, NEUTRAL = 0, 1, 2
_WIKI_LINK = re.compile(r"\[\[[^|\]]*\|([^\]]*)\]\]")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the of in on at to for and or is are was were be been by with as that this from it its "
    "which who has have had not no".split()
)


@dataclass(frozen=True)
class Pair:
    claim: str
    evidence: str
    label: int
    source: str
    group: str  # the claim's key: pairs of one claim stay on one side of the split


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _overlap(claim: str, sentence: str) -> float:
    a, b = _words(claim), _words(sentence)
    return len(a & b) / max(1, len(a))


def _hardest(claim: str, sentences: Iterable[str], k: int) -> list[str]:
    """The ``k`` sentences sharing most words with the claim: neutral but close."""
    return sorted(sentences, key=lambda s: -_overlap(claim, s))[:k]


def scifact_pairs(root: Path, rng: random.Random) -> list[Pair]:
    """Rationale sentences as entails/contradicts; other sentences as neutral."""
    corpus = {d["doc_id"]: d["abstract"] for d in _jsonl(root / "corpus.jsonl")}
    doc_ids = sorted(corpus)
    pairs: list[Pair] = []
    for claim in _jsonl(root / "claims_train.jsonl"):
        text, group = claim["claim"], f"scifact:{claim['id']}"
        used: set[tuple[int, int]] = set()
        for doc, rationales in claim["evidence"].items():
            abstract = corpus[int(doc)]
            for rationale in rationales:
                label = ENTAILS if rationale["label"] == "SUPPORT" else CONTRADICTS
                sentences = [abstract[i] for i in rationale["sentences"]]
                used.update((int(doc), i) for i in rationale["sentences"])
                for sentence in sentences:
                    pairs.append(Pair(text, sentence, label, "scifact", group))
                if len(sentences) > 1:
                    pairs.append(Pair(text, " ".join(sentences), label, "scifact", group))
        cited = [
            s
            for doc in claim["cited_doc_ids"]
            if doc in corpus
            for i, s in enumerate(corpus[doc])
            if (doc, i) not in used
        ]
        n_hard = 3 if not claim["evidence"] else 2
        for sentence in _hardest(text, cited, n_hard):
            pairs.append(Pair(text, sentence, NEUTRAL, "scifact", group))
        other = corpus[rng.choice(doc_ids)]
        pairs.append(Pair(text, rng.choice(other), NEUTRAL, "scifact", group))
    return pairs


def _strip_wiki(line: str) -> str:
    return _WIKI_LINK.sub(r"\1", line.split("\t", 1)[-1]).strip()


def ci_subset_held(root: Path) -> tuple[set[int], set[str]]:
    """What training must not see of FEVEROUS: the ci_subset claim ids and the
    text of every line of their gold evidence."""
    claims = list(_jsonl(root / "ci_subset" / "claims_200.jsonl"))
    passages = {p["id"]: p["text"] for p in _jsonl(root / "ci_subset" / "passages.jsonl")}
    held_lines = {passages[pid] for c in claims for pid in c["gold_passage_ids"] if pid in passages}
    return {int(c["id"]) for c in claims}, held_lines


def feverous_pairs(root: Path, rng: random.Random) -> list[Pair]:
    """Gold evidence as entails/contradicts; another claim's evidence, and one line
    of a supported claim's multi-line evidence, as neutral.

    The partial-evidence neutrals matter: without them every FEVEROUS sentence that
    is related to its claim was labelled entails or contradicts, and the model
    learned to call a true claim's partial evidence "contradicts" (it chose REFUTED
    for 90 of the 100 SUPPORTED ci_subset claims, which are verified one gold line
    at a time). A single line of a true claim cannot contradict it; one of several
    lines does not alone entail it.

    Claims of the ci_subset, and claims whose gold lines overlap a ci_subset
    claim's gold lines, are left out so that nothing reported was seen.
    """
    held, held_lines = ci_subset_held(root)
    rows = json.loads((root / "programfc_feverous_s_dev.json").read_text(encoding="utf-8"))
    kept: list[tuple[str, list[tuple[str, str]], int, str]] = []
    for row in rows:
        titled = [
            (x.split("\t", 1)[0], _strip_wiki(x)) for x in row["evidence"].split("\n") if x.strip()
        ]
        if int(row["id"]) in held or held_lines.intersection(line for _, line in titled):
            continue
        label = ENTAILS if row["label"] == "supports" else CONTRADICTS
        kept.append((row["claim"], titled, label, f"feverous:{row['id']}"))
    pages: dict[str, set[str]] = {}
    for _, lines, _, _ in kept:
        for title, line in lines:
            pages.setdefault(title, set()).add(line)
    pairs: list[Pair] = []
    for claim, titled, label, group in kept:
        lines = [line for _, line in titled]
        pairs.append(Pair(claim, " ".join(lines), label, "feverous", group))
        if label == ENTAILS and len(lines) >= 2:
            pairs.append(Pair(claim, rng.choice(lines), NEUTRAL, "feverous-partial", group))
        same_page = sorted(set().union(*(pages[t] for t, _ in titled)) - set(lines))
        if same_page and rng.random() < 0.6:
            pairs.append(Pair(claim, rng.choice(same_page), NEUTRAL, "feverous-page", group))
        if rng.random() < 0.35:
            _, other, _, _ = rng.choice(kept)
            pairs.append(Pair(claim, rng.choice(other)[1], NEUTRAL, "feverous", group))
    return pairs


def topic_pairs(pages: dict[str, set[str]], rng: random.Random, limit: int) -> list[Pair]:
    """Two different facts about one subject: a line of a FEVEROUS page as the claim
    (its leading clause, or the whole line) and another line of the same page as
    the evidence, labelled neutral. ``pages``: :func:`feverous_pages`.

    News claims meet exactly this in retrieved evidence ("Brics began in 2009 with
    four members" against "Brics is a group of emerging economies"), and a model
    taught by FEVEROUS refutations that "same subject, other content" means
    contradiction answered REFUTED for it. Grouped by page, so a page's pairs stay
    on one side of the held-out split.
    """
    usable = {t: sorted(lines) for t, lines in pages.items()}
    titles = sorted(t for t, lines in usable.items() if len(lines) >= 2)
    rng.shuffle(titles)
    out: list[Pair] = []
    for title in titles[:limit]:
        first, second = rng.sample(usable[title], 2)
        if _overlap(first, second) > 0.6:  # near-duplicates may entail each other
            continue
        claim = leading_clause(first) if rng.random() < 0.5 else None
        group = "topic:" + hashlib.sha256(title.encode()).hexdigest()[:16]
        out.append(Pair(claim or first, second, NEUTRAL, "feverous-topic", group))
    return out


def feverous_pages(root: Path) -> dict[str, set[str]]:
    """The evidence lines of the FEVEROUS claims used for training, by page title:
    the ci_subset claims and every line of a ci_subset claim's gold evidence left out."""
    held, held_lines = ci_subset_held(root)
    rows = json.loads((root / "programfc_feverous_s_dev.json").read_text(encoding="utf-8"))
    pages: dict[str, set[str]] = {}
    for row in rows:
        if int(row["id"]) in held:
            continue
        for x in row["evidence"].split("\n"):
            line = _strip_wiki(x)
            if x.strip() and line not in held_lines:
                pages.setdefault(x.split("\t", 1)[0], set()).add(line)
    return pages


def vitaminc_pairs(root: Path) -> list[Pair]:
    labels = {"supports": ENTAILS, "refutes": CONTRADICTS, "not enough info": NEUTRAL}
    return [
        Pair(row["claim"], row["evidence"], labels[row["label"]], "vitaminc", f"vitc:{row['id']}")
        for i in range(5)
        for row in _jsonl(root / f"train_{i}.jsonl")
    ]


def wice_pairs(root: Path, rng: random.Random) -> list[Pair]:
    """WiCE dev: supporting sets of supported claims entail; close non-supporting
    sentences are neutral. ``not_supported`` means "not entailed", so never contradicts."""
    pairs: list[Pair] = []
    for n, row in enumerate(_jsonl(root / "entailment_retrieval" / "claim" / "dev.jsonl")):
        claim, sentences, group = row["claim"], row["evidence"], f"wice:{n}"
        support = {i for group_ in row["supporting_sentences"] for i in group_}
        if row["label"] == "supported":
            for indices in row["supporting_sentences"][:2]:
                text = " ".join(sentences[i] for i in indices if i < len(sentences))
                pairs.append(Pair(claim, text, ENTAILS, "wice", group))
        others = [s for i, s in enumerate(sentences) if i not in support and len(s) > 30]
        for sentence in _hardest(claim, others, 1 if row["label"] != "not_supported" else 2):
            pairs.append(Pair(claim, sentence, NEUTRAL, "wice", group))
    return pairs


_NUM = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)(?![\w.,]?\d)")
_AUX = re.compile(r"\b(is|are|was|were|can|could|does|do|did|has|have|had|will|may|might)\b")


def _shift_number(text: str, rng: random.Random) -> str | None:
    """The text with one number changed (a year by a few years, others by a factor)."""
    matches = list(_NUM.finditer(text))
    if not matches:
        return None
    m = rng.choice(matches)
    raw = m.group(1)
    value = float(raw)
    if "." not in raw and 1500 <= value <= 2100:
        new = str(int(value) + rng.choice([-7, -3, -2, -1, 1, 2, 4, 9]))
    elif "." in raw:
        new = f"{value * rng.choice([0.5, 1.5, 2.0, 3.0]):.{len(raw.split('.')[1])}f}"
    else:
        new = str(
            int(value) + rng.choice([1, 2, 3, 5, 10])
            if value < 20
            else int(value * rng.choice([0.5, 2, 3]))
        )
    if new == raw:
        return None
    return text[: m.start(1)] + new + text[m.end(1) :]


def _negate(text: str) -> str | None:
    m = _AUX.search(text)
    if m is None or re.search(r"\b(not|never|no)\b|n't", text):
        return None
    return text[: m.end()] + " not" + text[m.end() :]


def synthetic_pairs(base: list[Pair], rng: random.Random, limit: int) -> list[Pair]:
    """Contradictions made by changing a number or negating an entailed claim.

    Small models miss exactly these; the edits are applied only to claims whose
    evidence entails them, so the edited claim is contradicted by that evidence.
    """
    out: list[Pair] = []
    candidates = [p for p in base if p.label == ENTAILS]
    rng.shuffle(candidates)
    for pair in candidates:
        if len(out) >= limit:
            break
        shifted = _shift_number(pair.claim, rng)
        if shifted is not None and _NUM.search(pair.evidence):
            out.append(Pair(shifted, pair.evidence, CONTRADICTS, "synthetic-number", pair.group))
            continue
        negated = _negate(pair.claim)
        if negated is not None and rng.random() < 0.5:
            out.append(Pair(negated, pair.evidence, CONTRADICTS, "synthetic-negation", pair.group))
    return out


_CUT = re.compile(r"[,;:(]")
_SUBORDINATE = re.compile(
    r"^(although|though|if|while|when|whereas|after|before|because|unless|despite|as|since|"
    r"in|on|at|during|by|with|for)\b",
    re.IGNORECASE,
)


def leading_clause(sentence: str, min_words: int = 5) -> str | None:
    """The sentence cut at its first comma/colon/semicolon/bracket after ``min_words``
    words, as a statement the sentence asserts; None when there is no such cut or the
    sentence opens with a subordinate or prepositional phrase (whose cut is not asserted)."""
    if _SUBORDINATE.match(sentence.strip()):
        return None
    for m in _CUT.finditer(sentence):
        head = sentence[: m.start()].strip()
        if len(head.split()) >= min_words and head.count("(") == head.count(")"):
            return head.rstrip(" .") + "."
    return None


def restatement_pairs(sentences: list[str], rng: random.Random, limit: int) -> list[Pair]:
    """Claims that restate part of their evidence sentence, labelled entails.

    Without them the model, taught by FEVEROUS refutations that a close paraphrase
    with one fact changed contradicts, also called a claim "contradicted" by the
    very sentence it was copied from ("Brics began in 2009 with four members"
    against "Brics began in 2009 with four members: Brazil, Russia, India and
    China" scored p(contradicts) 0.55). Half are the sentence's leading clause,
    the rest the whole sentence.
    """
    pool = [s for s in sentences if 8 <= len(s.split()) <= 60]
    rng.shuffle(pool)
    out: list[Pair] = []
    for n, sentence in enumerate(pool):
        if len(out) >= limit:
            break
        head = leading_clause(sentence)
        claim = head if head is not None and n % 2 == 0 else sentence
        group = "restate:" + hashlib.sha256(sentence.encode()).hexdigest()[:16]
        out.append(Pair(claim, sentence, ENTAILS, "synthetic-restatement", group))
    return out


def _held_out(group: str, fraction: float) -> bool:
    digest = hashlib.sha256(group.encode()).digest()
    return digest[0] / 256 < fraction


def build_pairs(
    data_root: Path, *, seed: int = 13, limit: int | None = None, holdout: float = 0.08
) -> tuple[list[Pair], list[Pair]]:
    """(train, held-out) pairs, class-balanced, shuffled with ``seed``."""
    rng = random.Random(seed)
    pairs = (
        scifact_pairs(data_root / "scifact", rng)
        + feverous_pairs(data_root / "feverous", rng)
        + vitaminc_pairs(data_root / "vitaminc")
        + wice_pairs(data_root / "wice" / "data", rng)
    )
    pages = feverous_pages(data_root / "feverous")
    pairs += restatement_pairs(sorted(set().union(*pages.values())), rng, limit=700)
    pairs += topic_pairs(pages, rng, limit=900)
    pairs += synthetic_pairs(pairs, rng, limit=max(200, len(pairs) // 12))
    held = [p for p in pairs if _held_out(p.group, holdout)]
    train = [p for p in pairs if not _held_out(p.group, holdout)]
    train = _balance(train, rng, limit)
    rng.shuffle(train)
    return train, held


def _balance(pairs: list[Pair], rng: random.Random, limit: int | None) -> list[Pair]:
    """Down-sample so that no class has more than 1.3x the smallest one."""
    by_label: dict[int, list[Pair]] = {}
    for p in pairs:
        by_label.setdefault(p.label, []).append(p)
    smallest = min(len(v) for v in by_label.values())
    cap = int(smallest * 1.3)
    if limit is not None:
        cap = min(cap, limit // len(by_label))
    out: list[Pair] = []
    for label in sorted(by_label):
        group = by_label[label]
        rng.shuffle(group)
        out.extend(group[:cap])
    return out


def describe(pairs: list[Pair]) -> str:
    counts = Counter((p.source, p.label) for p in pairs)
    return ", ".join(f"{s}/{label}={n}" for (s, label), n in sorted(counts.items()))


def write_jsonl(pairs: list[Pair], path: Path) -> None:
    path.write_text("".join(json.dumps(asdict(p)) + "\n" for p in pairs), encoding="utf-8")
