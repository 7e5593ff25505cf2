"""The symptom progress chart (matplotlib, Agg): plain data in, PNG bytes out (runs in the pool)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
BLUE, ORANGE, GREEN, VERMILION, PURPLE, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#7F7F7F",
)


def progress_png(data: dict[str, Any]) -> bytes:
    """Stool form, bloating and pain by day; questionnaire totals; microbiome tests marked.

    ``data``: ``{"days": [(iso date, bristol|None, bloating|None, pain|None)], "scores":
    [(iso date, instrument, total)], "tests": [(iso date, label)], "title": str, "labels":
    {axis and legend texts from content}}``.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    label: dict[str, str] = data["labels"]
    days = [(date.fromisoformat(d), b, bl, p) for d, b, bl, p in data["days"]]
    scores = [(date.fromisoformat(d), name, total) for d, name, total in data["scores"]]
    tests = [(date.fromisoformat(d), name) for d, name in data["tests"]]
    fig = Figure(figsize=(10.8, 10.8), dpi=100)
    axes = fig.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1.2, 1]})
    fig.suptitle(data.get("title", ""), fontsize=20)
    stool, symptoms, questionnaires = axes

    forms = [(d, b) for d, b, _, _ in days if b is not None]
    stool.axhspan(2.5, 4.5, color=GREEN, alpha=0.12, label=label["typical"])
    if forms:
        stool.plot(*zip(*forms, strict=True), "o-", color=BLUE, label=label["stool_form"])
    stool.set_ylim(0.5, 7.5)
    stool.set_yticks(range(1, 8))
    stool.set_ylabel(label["bristol_axis"], fontsize=14)

    bloating = [(d, v) for d, _, v, _ in days if v is not None]
    pain = [(d, v) for d, _, _, v in days if v is not None]
    for series, colour, name in ((bloating, ORANGE, "bloating"), (pain, VERMILION, "pain")):
        if series:
            symptoms.plot(*zip(*series, strict=True), "o-", color=colour, label=label[name])
    symptoms.set_ylim(-0.5, 10.5)
    symptoms.set_ylabel(label["scale_axis"], fontsize=14)

    by_instrument: dict[str, list[tuple[date, int]]] = {}
    for when, instrument, total in scores:
        by_instrument.setdefault(instrument, []).append((when, total))
    colours = {"ibs_sss": PURPLE, "phq4": GREEN}
    for instrument, points in by_instrument.items():
        scale = 40 if instrument == "phq4" else 1  # PHQ-4 (0-12) drawn on the 0-500 axis
        questionnaires.plot(
            [w for w, _ in points],
            [t * scale for _, t in points],
            "s-",
            color=colours.get(instrument, GREY),
            label=label.get(instrument, instrument),
        )
    questionnaires.set_ylim(0, 500)
    questionnaires.set_ylabel(label["score_axis"], fontsize=14)
    questionnaires.set_xlabel(label["date_axis"], fontsize=14)

    for ax in axes:
        for when, _ in tests:
            ax.axvline(when, color=GREY, linestyle="--", linewidth=1.5)
        ax.tick_params(labelsize=12)
        ax.grid(alpha=0.3)
        handles, _ = ax.get_legend_handles_labels()
        if handles:
            ax.legend(fontsize=12, loc="upper left")
    for when, name in tests:
        stool.annotate(name, (when, 7.3), fontsize=11, ha="left", va="top", color=GREY)
    if not (days or scores):
        symptoms.text(0.5, 0.5, label["empty"], transform=symptoms.transAxes, ha="center")
    fig.autofmt_xdate()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
