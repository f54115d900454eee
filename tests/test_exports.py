import csv
import io
import json

from claims.models import Article, ClaimResult, Failure, Label, Report
from retrieval.documents import Document
from tests.app_fakes import MemoryKnowledgeBase, ScriptedVerifier
from tests.fakes import FakeExtractor
from ui.app import exports
from ui.app.review_store import ReviewStore

ARTICLE = (
    "Brics was founded in 2006 with four members. "
    '=HYPERLINK("http://evil") is a formula. '
    "The <b>ministry</b> said the plan was approved."
)


def checked_report(source: str | None = "https://news.example/brics") -> Report:
    kb = MemoryKnowledgeBase()
    kb.ingest_documents(
        [
            Document(
                id="d",
                source="brics.txt",
                title="Brics history",
                url="https://ref.example/brics",
                text="Brics was founded in 2009 with four members. It grew.",
            )
        ]
    )
    verifier = ScriptedVerifier()
    results = []
    for claim in FakeExtractor().extract(Article(text=ARTICLE)).claims:
        evidence = kb.search(claim.text)
        if "ministry" in claim.text:
            failure = Failure(stage="verify", error="EndpointError", message="503")
            results.append(ClaimResult(claim=claim, evidence=evidence, failure=failure))
        else:
            verdict = verifier.verify(claim, evidence)
            results.append(
                ClaimResult(claim=claim, evidence=evidence, verdict=verdict, usage=verdict.usage)
            )
    return Report(
        article=Article(text=ARTICLE, title="Brics at 15", source=source),
        claims=results,
        extractor="fake-extractor",
        verifier="scripted-verifier",
    )


def reviewed(tmp_path, report):
    store = ReviewStore.in_data_dir(tmp_path)
    aid = store.save_report(report)
    first, second, third = (r.claim.id for r in report.claims)
    store.record(
        aid,
        first,
        "override",
        reviewer="Ana",
        before="REFUTED",
        after="REFUTED",
        note="the charter says 2009",
    )
    store.record(aid, first, "edit", reviewer="Ana", before="x", after="Brics was founded in 2006.")
    store.record(aid, second, "dismiss", reviewer="Ana")
    store.record(aid, third, "override", reviewer="Bo", before=None, after="SUPPORTED")
    return store, aid


def test_json_export_holds_report_reviews_and_audit(tmp_path):
    report = checked_report()
    store, aid = reviewed(tmp_path, report)
    data = json.loads(exports.to_json(report, store.reviews(aid), store.events(aid)))
    assert data["report"]["article"]["text"] == ARTICLE
    assert [c["claim"]["span"]["text"] for c in data["report"]["claims"]] == [
        r.claim.span.text for r in report.claims
    ]
    assert {r["claim_id"] for r in data["reviews"]} == {r.claim.id for r in report.claims}
    assert [e["action"] for e in data["audit"]] == ["override", "edit", "dismiss", "override"]
    assert (
        data["audit"][0]["reviewer"] == "Ana"
        and data["audit"][0]["note"] == "the charter says 2009"
    )


def test_csv_has_one_row_per_claim_and_defuses_formulas(tmp_path):
    report = checked_report()
    store, aid = reviewed(tmp_path, report)
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(report, store.reviews(aid)))))
    assert len(rows) == 3
    assert rows[0]["claim"] == "Brics was founded in 2006." and rows[0][
        "original_claim"
    ].startswith("Brics")
    assert rows[0]["machine_verdict"] == "REFUTED" and rows[0]["reviewer_verdict"] == "REFUTED"
    assert rows[0]["citations"] == "Brics was founded in 2009 with four members."
    assert rows[0]["sources"] == "Brics history"
    assert rows[1]["dismissed"] == "yes" and rows[1]["claim"].startswith("'=")
    assert (
        rows[2]["failure"].startswith("verify: EndpointError")
        and rows[2]["final_verdict"] == "SUPPORTED"
    )
    assert rows[0]["tokens"] == "240"


def test_markdown_summary_cites_sources_and_escapes_html(tmp_path):
    report = checked_report()
    store, aid = reviewed(tmp_path, report)
    md = exports.to_markdown(report, store.reviews(aid))
    assert md.startswith("# Fact-check: Brics at 15")
    assert "> Brics was founded in 2009 with four members." in md
    assert "[Brics history](<https://ref.example/brics>)" in md
    assert "**Reviewer verdict by Ana:** REFUTED" in md and "the charter says 2009" in md
    assert "Could not be checked" in md
    assert "<b>" not in md and "\\<b\\>" in md
    assert "## Dismissed by the reviewer" in md


def test_claimreview_one_per_reviewed_claim_with_required_fields(tmp_path):
    report = checked_report()
    store, aid = reviewed(tmp_path, report)
    items = json.loads(exports.claimreview_jsonld(report, store.reviews(aid)))
    assert len(items) == 2  # the dismissed claim is not published
    for item in items:
        assert exports.claimreview_problems(item) == []
    first = items[0]
    assert first["@context"] == "https://schema.org" and first["@type"] == "ClaimReview"
    assert first["claimReviewed"] == "Brics was founded in 2006."
    assert first["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    }
    assert first["author"] == {"@type": "Person", "name": "Ana"}
    assert first["itemReviewed"]["@type"] == "Claim"
    assert first["itemReviewed"]["appearance"]["url"] == "https://news.example/brics"
    assert first["url"] == "https://news.example/brics#claim-1"
    assert first["reviewBody"] == "the charter says 2009"
    assert items[1]["reviewRating"]["alternateName"] == "True"


def test_claimreview_without_article_url_and_problem_detection(tmp_path):
    report = checked_report(source=None)
    store, aid = reviewed(tmp_path, report)
    items = exports.to_claimreview(report, store.reviews(aid))
    assert all("url" not in i for i in items)
    assert exports.claimreview_problems(items[0]) == []
    broken = dict(items[0], **{"@type": "Review", "reviewRating": {"ratingValue": 1}})
    del broken["author"]
    problems = exports.claimreview_problems(broken)
    assert "missing author" in problems and "@type is not ClaimReview" in problems
    assert "reviewRating lacks alternateName" in problems


def test_nothing_reviewed_exports_no_claimreview():
    report = checked_report()
    assert exports.to_claimreview(report, {}) == []
    assert all(label in exports.RATINGS for label in Label)
