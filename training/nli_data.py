"""Training pairs (claim, evidence, label) for the offline verifier.

Built only from TRAINING material under a data root (``--data``, by default
``../shared/data``): SciFact claims_train, FEVEROUS-S minus its ``ci_subset``
claims, the VitaminC train sample and WiCE dev (the original ~8.6k pairs), plus
VitaminC's official test splits (real and synthetic, contrastive), FEVER-NLI
(binary: entails vs not), Fool Me Twice (gold evidence, and same-page non-gold
sentences as neutral), SufficientFacts (evidence with one fact removed: neutral;
its full evidence: the original label), FEVER 2.0 adversarial and MNLI/SNLI dev,
and synthetic pairs aimed at the errors of issue #12 (list subsets and
restatements entail, same-page other facts are neutral, changed numbers and
negations contradict).

What the benchmark reports is never used: any pair whose claim (normalised) is a
claim of SciFact dev, FEVER-Symmetric (v0.1, v0.2), WiCE test, the VitaminC test
sample or the FEVEROUS ci_subset, or whose evidence is a FEVER-Symmetric evidence
sentence or a ci_subset gold line, is dropped (:func:`EvalOverlap`).

Labels: 0 = entails, 1 = contradicts, 2 = neutral (see ``training.nli_bert.CLASSES``),
3 = "not entails" (FEVER-NLI's merged REFUTES/NEI: trained with a masked loss,
-log(p(contradicts) + p(neutral))). The held-out slice is split by claim: pairs
that share a normalised claim or a group (a VitaminC revision case) stay together.
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

from eval.datasets.scifact import read_claims, read_corpus

ENTAILS, CONTRADICTS, NEUTRAL = 0, 1, 2
NOT_ENTAILS = 3  # contradicts or neutral, not known which (FEVER-NLI)
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
    """Rationale sentences as entails/contradicts; other sentences as neutral.
    (The release's raw sentence text, as the shipped model was trained on.)"""
    corpus = {int(d.id): d.sentences or [] for d in read_corpus(root, strip=False)}
    doc_ids = sorted(corpus)
    pairs: list[Pair] = []
    for claim in read_claims(root, "train"):
        text, group = claim.claim, f"scifact:{claim.id}"
        used: set[tuple[int, int]] = set()
        for rationale in claim.rationales:
            doc = int(rationale.doc_id)
            label = ENTAILS if rationale.label == "SUPPORT" else CONTRADICTS
            sentences = [corpus[doc][i] for i in rationale.sentences]
            used.update((doc, i) for i in rationale.sentences)
            for sentence in sentences:
                pairs.append(Pair(text, sentence, label, "scifact", group))
            if len(sentences) > 1:
                pairs.append(Pair(text, " ".join(sentences), label, "scifact", group))
        cited = [
            s
            for doc in map(int, claim.cited_doc_ids)
            if doc in corpus
            for i, s in enumerate(corpus[doc])
            if (doc, i) not in used
        ]
        n_hard = 3 if not claim.rationales else 2
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


_FEVER_TOKENS = (
    ("-LRB-", "("),
    ("-RRB-", ")"),
    ("-LSB-", "["),
    ("-RSB-", "]"),
    ("-COLON-", ":"),
    ("`` ", '"'),
    (" ''", '"'),
    ("( ", "("),
    (" )", ")"),
    (" ,", ","),
    (" .", "."),
    (" ;", ";"),
    (" :", ":"),
    (" 's", "'s"),
    (" n't", "n't"),
    (" %", "%"),
)


def detok(text: str) -> str:
    """FEVER-style tokenised Wikipedia text ("Paris -LRB- France -RRB- ." ) as prose."""
    for old, new in _FEVER_TOKENS:
        text = text.replace(old, new)
    return re.sub(r"\s+", " ", text.replace("\ufffd", " ")).strip()


def norm(text: str) -> str:
    """A claim or sentence reduced for overlap checks: lower case words only."""
    return " ".join(_WORD.findall(detok(text).lower()))


class EvalOverlap:
    """Claims and evidence sentences of the evaluation sets, normalised; a training
    pair touching any of them is dropped."""

    def __init__(self, root: Path) -> None:
        claims: set[str] = set()
        evidence: set[str] = set()
        sym = root / "fever_symmetric"
        for path in [
            *(sym / "symmetric_v0.1").glob("*.jsonl"),
            *(sym / "symmetric_v0.2").glob("*.jsonl"),
        ]:
            for row in _jsonl(path):
                claims.add(norm(row.get("claim") or row.get("sentence2", "")))
                evidence.add(norm(row.get("evidence") or row.get("sentence1", "")))
        claims.update(norm(c.claim) for c in read_claims(root / "scifact", "dev"))
        wice = root / "wice" / "data" / "entailment_retrieval" / "claim" / "test.jsonl"
        claims.update(norm(r["claim"]) for r in _jsonl(wice))
        claims.update(norm(r["claim"]) for r in _jsonl(root / "vitaminc" / "test.jsonl"))
        ci = root / "feverous" / "ci_subset"
        claims.update(norm(r["claim"]) for r in _jsonl(ci / "claims_200.jsonl"))
        _, held_lines = ci_subset_held(root / "feverous")
        evidence.update(norm(line) for line in held_lines)
        claims.discard("")
        evidence.discard("")
        self.claims, self.evidence = claims, evidence

    def keep(self, pair: Pair) -> bool:
        return norm(pair.claim) not in self.claims and norm(pair.evidence) not in self.evidence


def vitaminc_official_pairs(root: Path, rng: random.Random) -> list[Pair]:
    """VitaminC's official test splits (real + synthetic): contrastive revision pairs
    grouped by ``case_id``; plus, for the real split, a claim against the evidence of
    another revision case of the same page, labelled neutral (same topic, other fact)."""
    labels = {"SUPPORTS": ENTAILS, "REFUTES": CONTRADICTS, "NOT ENOUGH INFO": NEUTRAL}
    pairs: list[Pair] = []
    by_page: dict[str, list[tuple[str, str]]] = {}
    for split in ("real", "synthetic"):
        for row in _jsonl(root / split / "test.jsonl"):
            claim, evidence = detok(row["claim"]), detok(row["evidence"])
            group = f"vitc:{row['case_id']}"
            pairs.append(Pair(claim, evidence, labels[row["label"]], f"vitaminc-{split}", group))
            if split == "real":
                by_page.setdefault(row["page"], []).append((row["case_id"], evidence))
    page_of = {f"vitc:{case}": page for page, rows in by_page.items() for case, _ in rows}
    for row in list(pairs):
        if row.source != "vitaminc-real" or rng.random() >= 0.25:
            continue
        others = [
            e
            for case, e in by_page[page_of[row.group]]
            if f"vitc:{case}" != row.group and _overlap(row.claim, e) < 0.5
        ]
        if others:
            pairs.append(Pair(row.claim, rng.choice(others), NEUTRAL, "vitaminc-page", row.group))
    return pairs


def fever_nli_pairs(root: Path) -> list[Pair]:
    """FEVER-NLI (DocNLI's binary FEVER part): entails, or NOT_ENTAILS (masked loss)."""
    pairs: list[Pair] = []
    for name in ("dev.tsv", "test.tsv"):
        with (root / name).open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                label, premise, claim = parts
                claim = detok(claim)
                group = "claim:" + norm(claim)
                pairs.append(
                    Pair(
                        claim,
                        detok(premise),
                        ENTAILS if label == "entailment" else NOT_ENTAILS,
                        "fever-nli",
                        group,
                    )
                )
    return pairs


def fm2_pairs(root: Path, rng: random.Random, neutrals_per_claim: int = 3) -> list[Pair]:
    """Fool Me Twice: gold evidence entails/contradicts; single gold sentences of a
    two-sentence support are partial evidence (neutral); same-page non-gold sentences
    closest to the claim are neutral (weak labels: unchecked)."""
    pairs: list[Pair] = []
    for name in ("dev.jsonl", "test.jsonl"):
        for row in _jsonl(root / name):
            claim, group = row["text"], f"fm2:{row['id']}"
            gold = [g["text"] for g in row["gold_evidence"]]
            label = ENTAILS if row["label"] == "SUPPORTS" else CONTRADICTS
            pairs.append(Pair(claim, " ".join(gold), label, "fm2", group))
            gold_set = set(gold)
            others = [
                r["text"]
                for r in row["retrieved_evidence"]
                if r["text"] not in gold_set and len(r["text"]) > 30
            ]
            # the closest ones are the hard cases, but the very closest may be unlabelled
            # evidence: skip sentences that share most of the claim's words
            ranked = [s for s in _hardest(claim, others, len(others)) if _overlap(claim, s) < 0.6]
            for sentence in ranked[:neutrals_per_claim]:
                pairs.append(Pair(claim, sentence, NEUTRAL, "fm2-page", group))
    return pairs


_SPAN = re.compile(r"<span[^>]*>(.*?)</span>", re.DOTALL)
_TITLE = re.compile(r"\[\[[^\]]*\]\]\s*")


def sufficient_facts_pairs(root: Path) -> list[Pair]:
    """SufficientFacts: evidence with a fact removed is neutral when the annotators
    agree it no longer suffices (otherwise keeps the original label); the full
    original evidence, as a contrastive twin, keeps the original label. Rows with
    annotator disagreement are left out."""
    before = {"SUPPORTS": ENTAILS, "SUPPORTED": ENTAILS, "REFUTES": CONTRADICTS}
    pairs: list[Pair] = []
    for name in ("fever", "hover", "vitaminc"):
        for row in _jsonl(root / f"{name}_sufficient_facts.jsonl"):
            if row["agreement"] == "disagree" or row["label_before"] not in before:
                continue
            claim = detok(row["claim"])
            group = "claim:" + norm(claim)
            reduced = detok(" ".join(s for _, s in row["evidence"]))
            original = before[row["label_before"]]
            label = NEUTRAL if row["label_after"] == "NOT ENOUGH" else original
            if reduced:
                pairs.append(Pair(claim, reduced, label, f"sufficient-{name}", group))
            full = detok(_TITLE.sub("", _SPAN.sub(r"\1", row["text_orig"])))
            if label == NEUTRAL and full:
                pairs.append(Pair(claim, full, original, f"sufficient-{name}-full", group))
    return pairs


def fever2_pairs(root: Path) -> list[Pair]:
    """FEVER 2.0 adversarial: the rows of one claim id joined as its evidence."""
    rows: dict[int, list[dict]] = {}
    for row in _jsonl(root / "fever2_fixers_dev_SR.jsonl"):
        rows.setdefault(row["id"], []).append(row)
    pairs: list[Pair] = []
    for claim_id, group in sorted(rows.items()):
        label = ENTAILS if group[0]["label"] == "SUPPORTS" else CONTRADICTS
        evidence = " ".join(dict.fromkeys(detok(r["evidence"]) for r in group))
        pairs.append(
            Pair(detok(group[0]["claim"]), evidence, label, "fever2", f"fever2:{claim_id}")
        )
    return pairs


def mnli_snli_pairs(root: Path) -> list[Pair]:
    labels = {"entailment": ENTAILS, "contradiction": CONTRADICTS, "neutral": NEUTRAL}
    pairs: list[Pair] = []
    for name, source in (("mnli_dev_matched.jsonl", "mnli"), ("snli_dev.jsonl", "snli")):
        for row in _jsonl(root / name):
            if row["label"] in labels:
                group = f"{source}:" + norm(row["premise"])[:200]
                pairs.append(
                    Pair(row["hypothesis"], row["premise"], labels[row["label"]], source, group)
                )
    return pairs


_ITEM = r"(?:the )?[A-Z][\w.'&-]*(?: (?:of |the |de )?[A-Z][\w.'&-]*)*"
_LIST = re.compile(rf"(?<=\s)({_ITEM}(?:, {_ITEM}){{2,}},? (?:and|or) {_ITEM})")


def list_subset_pairs(sentences: list[str], rng: random.Random, limit: int) -> list[Pair]:
    """List expansion: a sentence listing several names entails the same sentence
    listing only some of them ("expanded to include South Africa, Egypt and Iran"
    against "... South Africa, Egypt, Ethiopia, Iran, and the United Arab Emirates")."""
    out: list[Pair] = []
    pool = [s for s in sentences if len(s.split()) <= 60]
    rng.shuffle(pool)
    for sentence in pool:
        if len(out) >= limit:
            break
        m = _LIST.search(sentence)
        if m is None:
            continue
        items = [x for x in re.split(r",? (?:and|or) |, ", m.group(1)) if x]
        if len(items) < 3:
            continue
        keep = sorted(rng.sample(range(len(items)), rng.randint(2, len(items) - 1)))
        kept = [items[i] for i in keep]
        joined = ", ".join(kept[:-1]) + " and " + kept[-1]
        claim = sentence[: m.start(1)] + joined + sentence[m.end(1) :]
        group = "list:" + hashlib.sha256(sentence.encode()).hexdigest()[:16]
        out.append(Pair(claim, sentence, ENTAILS, "synthetic-list", group))
    return out


def _held_out(group: str, fraction: float) -> bool:
    digest = hashlib.sha256(group.encode()).digest()
    return digest[0] / 256 < fraction


def _split_keys(pairs: list[Pair]) -> list[str]:
    """Each pair's split key: the smallest of the group and normalised-claim keys
    connected to it (union-find), so a claim and a VitaminC case stay on one side."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        a, b = find(p.group), find("claim:" + norm(p.claim))
        if a != b:
            lo, hi = sorted((a, b))
            parent[hi] = lo
    return [find(p.group) for p in pairs]


#: ``build_pairs`` recipes: the shipped model's ~8.6k-pair set, the ~100k-pair set, and
#: the two mixed (``mixed``: the shipped set twice beside a sample of the large one).
RECIPES = ("shipped", "large", "mixed")

#: ``mixed``: how many times the shipped set's training pairs are repeated.
SHIPPED_WEIGHT = 2


def mixed_pairs(
    data_root: Path, *, seed: int = 13, limit: int | None = None
) -> tuple[list[Pair], list[Pair]]:
    """The shipped set's training pairs ``SHIPPED_WEIGHT`` times beside a class-balanced
    sample (``limit`` pairs) of the large set, shuffled; held out: both sets' held-out
    pairs. No claim is on both sides: a large-set pair whose claim or group the shipped
    split holds out is dropped, and so is a shipped pair whose claim the large split
    holds out."""
    ship_train, ship_held = build_pairs(data_root, seed=seed, recipe="shipped")
    big_train, big_held = build_pairs(data_root, seed=seed, limit=limit, recipe="large")
    ship_claims = {norm(p.claim) for p in ship_held}
    big_claims = {norm(p.claim) for p in big_held}
    big_train = [
        p for p in big_train if norm(p.claim) not in ship_claims and not _held_out(p.group, 0.08)
    ]
    ship_train = [p for p in ship_train if norm(p.claim) not in big_claims]
    train = ship_train * SHIPPED_WEIGHT + big_train
    random.Random(seed).shuffle(train)
    return train, ship_held + big_held


def build_pairs(
    data_root: Path,
    *,
    seed: int = 13,
    limit: int | None = None,
    holdout: float = 0.05,
    ratio: float = 1.3,
    recipe: str = "large",
) -> tuple[list[Pair], list[Pair]]:
    """(train, held-out) pairs, roughly class-balanced, shuffled with ``seed``.

    ``limit`` caps the training pairs (classes capped alike); the held-out slice
    (about ``holdout`` of the claims, split by claim) serves the int8 check,
    temperature and calibration.

    ``recipe="shipped"`` builds the shipped model's set exactly as it was built
    (about 8.6k pairs): the original four sources and their synthetic pairs only,
    no overlap filter (those sources never read an evaluation set), an 8 % hash
    split by ``group``, and down-sampling in input order; ``holdout`` and
    ``ratio`` are then fixed (0.08, 1.3)."""
    if recipe not in RECIPES:
        raise ValueError(f"unknown recipe {recipe!r}: one of {', '.join(RECIPES)}")
    if recipe == "mixed":
        return mixed_pairs(data_root, seed=seed, limit=limit)
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
    if recipe == "shipped":
        held = [p for p in pairs if _held_out(p.group, 0.08)]
        train = [p for p in pairs if not _held_out(p.group, 0.08)]
        train = _balance(train, rng, limit, 1.3, presort=False)
        rng.shuffle(train)
        return train, held
    extra = (
        vitaminc_official_pairs(data_root / "vitaminc_official_test", rng)
        + fever_nli_pairs(data_root / "fever_nli_binary")
        + fm2_pairs(data_root / "fm2", rng)
        + sufficient_facts_pairs(data_root / "sufficient_facts")
        + fever2_pairs(data_root / "fever2_adversarial")
        + mnli_snli_pairs(data_root / "mnli_snli_dev")
    )
    wiki = sorted(
        {p.evidence for p in extra if p.source in ("vitaminc-real", "fm2") and p.label != NEUTRAL}
    )
    extra += list_subset_pairs(wiki, rng, limit=3000)
    extra += restatement_pairs(wiki, rng, limit=3000)
    entailed = [
        p for p in extra if p.label == ENTAILS and p.source in ("fm2", "fever2", "vitaminc-real")
    ]
    extra += synthetic_pairs(entailed, rng, limit=3000)
    pairs += extra
    overlap = EvalOverlap(data_root)
    dropped = Counter(p.source for p in pairs if not overlap.keep(p))
    if dropped:
        print(
            f"dropped (overlap with evaluation sets): {dict(sorted(dropped.items()))}", flush=True
        )
    pairs = [p for p in pairs if overlap.keep(p)]
    keys = _split_keys(pairs)
    held = [p for p, k in zip(pairs, keys, strict=True) if _held_out(k, holdout)]
    train = [p for p, k in zip(pairs, keys, strict=True) if not _held_out(k, holdout)]
    train = _balance(train, rng, limit, ratio)
    rng.shuffle(train)
    return train, held


def _balance(
    pairs: list[Pair],
    rng: random.Random,
    limit: int | None,
    ratio: float = 1.3,
    *,
    presort: bool = True,
) -> list[Pair]:
    """Down-sample so that no 3-way class has more than ``ratio`` x the smallest one
    (NOT_ENTAILS pairs are kept, and capped alike); ``limit`` caps the total.
    ``presort=False`` shuffles each class in input order, as the shipped model's
    builder did."""
    by_label: dict[int, list[Pair]] = {}
    for p in pairs:
        by_label.setdefault(p.label, []).append(p)
    smallest = min(len(v) for k, v in by_label.items() if k != NOT_ENTAILS)
    cap = int(smallest * ratio)
    if limit is not None:  # the largest common cap that keeps the total within limit
        lo, hi = 0, cap
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if sum(min(mid, len(v)) for v in by_label.values()) <= limit:
                lo = mid
            else:
                hi = mid - 1
        cap = lo
    caps = dict.fromkeys(by_label, cap)
    out: list[Pair] = []
    for label in sorted(by_label):
        group = by_label[label]
        # sorted by source first so that down-sampling is independent of input order
        if presort:
            group.sort(key=lambda p: (p.source, p.group, p.claim, p.evidence))
        rng.shuffle(group)
        out.extend(group[: caps[label]])
    return out


_NAMES = {
    ENTAILS: "entails",
    CONTRADICTS: "contradicts",
    NEUTRAL: "neutral",
    NOT_ENTAILS: "not-entails",
}


def describe(pairs: list[Pair]) -> str:
    counts = Counter((p.source, p.label) for p in pairs)
    return ", ".join(f"{s}/{label}={n}" for (s, label), n in sorted(counts.items()))


def table(pairs: list[Pair]) -> str:
    """Counts per source and label, one source a line, with totals."""
    counts = Counter((p.source, p.label) for p in pairs)
    labels = sorted({label for _, label in counts})
    head = f"{'source':28}" + "".join(f"{_NAMES[k]:>13}" for k in labels) + f"{'total':>9}"
    lines = [head]
    for source in sorted({s for s, _ in counts}):
        row = [counts[(source, k)] for k in labels]
        lines.append(f"{source:28}" + "".join(f"{n:>13}" for n in row) + f"{sum(row):>9}")
    totals = [sum(n for (s, lab), n in counts.items() if lab == k) for k in labels]
    lines.append(f"{'total':28}" + "".join(f"{n:>13}" for n in totals) + f"{sum(totals):>9}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="nli_data", description="print the training-set counts")
    parser.add_argument("--data", required=True, help="data root (e.g. ../shared/data)")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--recipe", choices=RECIPES, default="large")
    parser.add_argument("--out", default=None, help="write train.jsonl and heldout.jsonl here")
    args = parser.parse_args(argv)
    train, held = build_pairs(Path(args.data), limit=args.limit, recipe=args.recipe)
    print(f"train {len(train)} pairs\n{table(train)}")
    print(f"held-out {len(held)} pairs\n{table(held)}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        write_jsonl(train, out / "train.jsonl")
        write_jsonl(held, out / "heldout.jsonl")
    return 0


def write_jsonl(pairs: list[Pair], path: Path) -> None:
    path.write_text("".join(json.dumps(asdict(p)) + "\n" for p in pairs), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
