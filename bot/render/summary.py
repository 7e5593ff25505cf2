"""The texts about one sample: summary, suggestions, every finding, one finding explained, list line."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from analysis.model import CaveatModel, Finding, Report, SampleReport
from bot.callbacks import TOPIC
from bot.render.formatting import INDEX_ORDER, percent, shown_name
from content.analysis_words import caveat_text, format_name, index_note, method_name
from content.analysis_words import finding_label as finding_label
from content.messages import text

MAX_SUMMARY_FINDINGS = 3

#: Findings that call for "talk to your doctor" next to the suggestions.
DOCTOR_FINDINGS = frozenset(
    {"c_difficile_detected", "enterobacteriaceae_bloom", "proteobacteria_bloom", "klebsiella_high"}
)


#: Caveats that mean the healthy adult stool reference does not fit the sample: the summary then
#: shows what is in it, but no comparison, no index value, no finding and no advice.
MISFIT_CAVEATS = ("not_human", "not_stool", "infant_profile")


def reference_misfit(sample: SampleReport) -> CaveatModel | None:
    """The caveat saying the healthy adult reference does not fit this sample, if any."""
    return next((c for c in sample.caveats if c.key in MISFIT_CAVEATS), None)


#: Caveats about numbers the summary never shows.
UNSHOWN_CAVEATS = frozenset({"fb_ratio_context"})


def among_healthy(percentile: float) -> str:
    """Where a value falls among healthy people, in words that never say 0% or 100%.

    A panel of a few hundred people cannot place anyone above all of them or below all of them
    for certain, so the ends read "higher (or lower) than almost everyone" instead.
    """
    if percentile >= 99.5:
        return text("results.among.above_almost_all")
    if percentile < 0.5:
        return text("results.among.below_almost_all")
    if percentile >= 50:
        return text("results.among.higher", share=f"{percentile:.0f}")
    return text("results.among.lower", share=f"{100 - percentile:.0f}")


def finding_where(finding: Finding) -> str:
    """Where a finding's value falls among healthy people."""
    pct = finding.percentile
    if finding.direction == "present" or pct is None:
        return text("results.finding_where_present")
    return among_healthy(float(pct))


def finding_meaning(key: str) -> str:
    """What a finding means, or an empty string when content has no meaning for its key."""
    from content import meaning_for_finding

    try:
        return meaning_for_finding(key)
    except KeyError:
        return ""


def _index_value(name: str, value: float) -> str:
    return f"{value:.2f}" if name != "distance_to_healthy" else f"{value:.2f} (Bray-Curtis)"


def _finding_line(finding: Finding) -> str:
    return text(
        "results.finding_line",
        label=finding_label(finding),
        value_pct=percent(finding.value),
        where=finding_where(finding),
        meaning=finding_meaning(finding.key),
    ).rstrip()


def summary_text(report: Report, sample_id: str) -> str:
    """The one-screen summary of one sample."""
    sample = report.sample(sample_id)
    rank_word = {"species": "results.rank_species", "genus": "results.rank_genus"}.get(
        sample.rank, "results.rank_other"
    )
    lines = [
        text(
            "results.read_line",
            format=format_name(report.format),
            method=method_name(report.method),
            sample=shown_name(sample.sample_id),
            n_taxa=sample.n_taxa,
            rank_word=text(rank_word),
        )
    ]
    misfit = reference_misfit(sample)
    if misfit is not None:
        return _misfit_summary(report, sample, misfit, lines)
    shannon = sample.alpha.shannon
    pct = sample.percentiles.shannon
    reference = sample.percentiles.reference or report.reference_panel
    where = (
        text("results.diversity_where", where=among_healthy(pct), reference=reference)
        if pct is not None
        else text("results.diversity_unknown")
    )
    lines += ["", text("results.diversity", shannon=shannon, where=where)]
    lines += ["", text("results.indices_title")]
    for name in INDEX_ORDER:
        index = sample.index(name)
        label = text(f"results.index.{name}")
        if index.applicable and index.value is not None:
            status = text(f"results.status.{index.status}")
            lines.append(
                text(
                    "results.index_line",
                    name=label,
                    value=_index_value(name, index.value),
                    status=status,
                )
            )
        else:
            lines.append(text("results.index_na", name=label, note=index_note(name, index)))
    findings = sample.findings
    lines.append("")
    if findings:
        lines.append(text("results.findings_title"))
        lines += [_finding_line(finding) for finding in findings[:MAX_SUMMARY_FINDINGS]]
    else:
        lines.append(no_findings_text(report))
    # A caveat about a number the summary does not show (the Firmicutes/Bacteroidetes ratio)
    # would only raise a question the reply never answers.
    caveats = [c for c in (sample.caveats or report.caveats) if c.key not in UNSHOWN_CAVEATS]
    if caveats:
        lines += ["", text("results.caveats_title")]
        lines += [text("results.caveat_line", detail=caveat_text(c)) for c in caveats[:3]]
    lines += ["", text("results.footer")]
    return "\n".join(lines)


def _misfit_summary(
    report: Report, sample: SampleReport, misfit: CaveatModel, lines: list[str]
) -> str:
    """What is in a sample the healthy adult reference does not fit, and why nothing is compared."""
    lines += ["", text("results.misfit.intro", why=caveat_text(misfit))]
    lines += ["", text("results.misfit.diversity", shannon=sample.alpha.shannon)]
    top = sorted(sample.taxa, key=lambda r: -r.abundance)[:5]
    if top:
        lines += ["", text("results.misfit.top_title")]
        lines += [
            text("results.misfit.top_line", name=shown_name(t.name, 50), share=percent(t.abundance))
            for t in top
        ]
    others = [
        c
        for c in (sample.caveats or report.caveats)
        if c.key not in UNSHOWN_CAVEATS and c.key not in ("profiler_mismatch", misfit.key)
    ]
    if others:
        lines += ["", text("results.caveats_title")]
        lines += [text("results.caveat_line", detail=caveat_text(c)) for c in others[:2]]
    lines += ["", text("results.footer")]
    return "\n".join(lines)


def suggestions(
    report: Report, sample_id: str, *, symptoms_flagged: bool = False
) -> tuple[str, list[tuple[str, str]]]:
    """'What may help': up to three suggestions tied to the findings, and their topic buttons."""
    from content import evidence_label, helps_for_findings

    sample = report.sample(sample_id)
    if reference_misfit(sample) is not None:
        # Advice made for adult human stool does not follow from this sample.
        lines = [text("results.misfit.no_suggestions")]
        if symptoms_flagged:
            lines += ["", text("results.doctor")]
        return "\n".join(lines), []
    keys = [f.key for f in sample.findings]
    helps = helps_for_findings(keys)[:3]
    lines = [text("results.suggestions_title")]
    buttons: list[tuple[str, str]] = []
    for help_item in helps:
        lines.append(
            text(
                "results.suggestion_line",
                text=help_item.text,
                evidence=evidence_label(help_item.evidence),
            )
        )
        topic_id = help_item.topic_id
        if all(data != TOPIC.pack(topic_id) for _, data in buttons):
            from content import get_topic

            buttons.append(
                (
                    text("results.buttons.read_topic", title=get_topic(topic_id).title),
                    TOPIC.pack(topic_id),
                )
            )
    if not helps:
        lines = [text("results.no_suggestions")]
    notable = any(f.key in DOCTOR_FINDINGS and f.severity == "notable" for f in sample.findings)
    if notable or symptoms_flagged:
        lines += ["", text("results.doctor")]
    return "\n".join(lines), buttons


def no_findings_text(report: Report) -> str:
    """Nothing stood out: compared with healthy people only when a healthy group was used."""
    if report.reference_panel is None:
        return text("results.no_findings_no_reference")
    return text("results.no_findings")


def all_findings_text(report: Report, sample_id: str) -> str:
    """Every finding with its numbers and meaning."""
    sample = report.sample(sample_id)
    misfit = reference_misfit(sample)
    if misfit is not None:
        return text("results.misfit.no_findings", why=caveat_text(misfit))
    findings = sample.findings
    if not findings:
        return no_findings_text(report)
    lines = [text("results.all_findings_title", sample=shown_name(sample.sample_id))]
    lines += [_finding_line(finding) for finding in findings]
    return "\n".join(lines)


def explain_text(
    report: Report, sample_id: str, index: int, *, tested_on: datetime
) -> tuple[str, list[str]]:
    """A finding's topic explanation with this user's numbers, and its related topic ids."""
    from content import get_topic, topics_for_finding

    sample = report.sample(sample_id)
    finding = sample.findings[index]
    topic_ids = list(finding.topics or topics_for_finding(finding.key))
    topic = get_topic(topic_ids[0])
    reference = sample.percentiles.reference or report.reference_panel or "-"
    lines = [
        text("results.explain_title", label=finding_label(finding)),
        text(
            "results.explain_numbers",
            value_pct=percent(finding.value),
            where=finding_where(finding),
            reference=reference,
            date=tested_on.strftime("%d %B %Y"),
        ),
        "",
        finding_meaning(finding.key),
        "",
        topic.short,
        "",
        text("results.explain_unknown"),
    ]
    return "\n".join(line for line in lines if line is not None), topic_ids


def result_line(
    report: Report, sample_id: str, created: datetime, filename: str | None = None
) -> str:
    """One line of /results: date, the sample and its file, format and headline numbers."""
    sample = report.sample(sample_id)
    pct = sample.percentiles.shannon
    name = shown_name(sample.sample_id, 30)
    if filename and PurePath(filename).stem == sample.sample_id:
        name = shown_name(filename, 40)  # the sample is named after its file: say it once
    elif filename:
        name = text("results.list_name", sample=name, filename=shown_name(filename, 30))
    return text(
        "results.list_line",
        date=created.strftime("%d %b %Y"),
        name=name,
        format=format_name(report.format),
        shannon=f"{sample.alpha.shannon:.2f}",
        percentile="" if pct is None else f"(p{pct:.0f})",
    ).rstrip()
