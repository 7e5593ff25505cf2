"""mOTUs / CAMI profiling format (``@@TAXID RANK TAXPATH TAXPATHSN PERCENTAGE``), one or more
samples per file (each block starts with its own ``@SampleID`` header)."""

from __future__ import annotations

import pandas as pd

from analysis.formats.limits import check_samples
from analysis.formats.table import make_table
from analysis.model import AnalysisError, ParsedTable
from analysis.taxonomy import Lineage, lineage_from_ranks


def sniff(text: str) -> bool:
    """The CAMI column header line."""
    return "@@TAXID" in text[:20000]


class _Block:
    def __init__(self, sample: str) -> None:
        self.sample = sample
        self.ranks: list[str] = []
        self.species: dict[str, float] = {}
        self.assigned = 0.0


def parse(text: str, filename: str | None = None) -> ParsedTable:
    """Species rows with their lineage from TAXPATHSN; the unassigned share is unclassified."""
    version = None
    blocks: list[_Block] = []
    lineages: dict[str, Lineage] = {}
    block: _Block | None = None
    in_table = False
    for line in text.split("\n"):
        if line.startswith("@SampleID:"):
            block = _Block(line.split(":", 1)[1].strip() or "sample")
            blocks.append(block)
            check_samples(len(blocks))
            in_table = False
        elif line.startswith("@Version:"):
            version = "CAMI " + line.split(":", 1)[1].strip()
        elif line.startswith("@Ranks:"):
            if block is None:
                block = _Block("sample")
                blocks.append(block)
            block.ranks = line.split(":", 1)[1].strip().split("|")
        elif line.startswith("@@TAXID"):
            in_table = True
            if block is None:
                block = _Block("sample")
                blocks.append(block)
        elif in_table and block is not None and line.strip() and not line.startswith(("#", "@")):
            parts = line.split("\t")
            if len(parts) < 5:
                raise AnalysisError("unknown_format", "a CAMI profile row has fewer than 5 columns")
            taxid, rank, value = parts[0], parts[1], float(parts[4])
            if rank == "superkingdom":
                block.assigned += value
            elif rank == "species":
                block.species[taxid] = block.species.get(taxid, 0.0) + value
                if taxid not in lineages:
                    names = parts[3].split("|")
                    lineages[taxid] = lineage_from_ranks(
                        dict(zip(block.ranks, names, strict=False))
                    )
    if filename:
        for b in blocks:
            if b.sample == "unnamed sample":
                b.sample = filename.rsplit("/", 1)[-1].split(".")[0]
    if not lineages:
        raise AnalysisError("no_taxonomy", "the CAMI profile has no species rows")
    ids = list(lineages)
    values = pd.DataFrame(
        {b.sample: [b.species.get(i, 0.0) for i in ids] for b in blocks}, index=ids
    )
    if len(blocks) != values.shape[1]:  # repeated sample ids: keep every block apart
        values = pd.DataFrame(
            [[b.species.get(i, 0.0) for b in blocks] for i in ids],
            index=ids,
            columns=[b.sample for b in blocks],
        )
    unclassified = {
        b.sample: max(0.0, 1 - sum(b.species.values()) / b.assigned) if b.assigned else 0.0
        for b in blocks
    }
    return make_table(
        fmt="motus_cami",
        method="shotgun",
        profiler_version=version,
        values=values,
        lineages=[lineages[i] for i in ids],
        value_kind="percent",
        unclassified=unclassified,
    )
