"""Findings that are about presence: a trace is not a finding."""

from __future__ import annotations


def test_a_trace_of_c_difficile_is_not_a_finding_but_a_real_share_is() -> None:
    from analysis import analyze

    def profile(cdiff: float) -> bytes:
        rest = 100.0 - cdiff
        rows = [
            "#mpa_v30_CHOCOPhlAn_201901",
            "#clade_name\tNCBI_tax_id\trelative_abundance\tadditional_species",
            "k__Bacteria\t2\t100.0\t",
            f"k__Bacteria|p__Bacteroidetes|c__Bacteroidia|o__Bacteroidales|f__Bacteroidaceae|"
            f"g__Bacteroides|s__Bacteroides_vulgatus\t2|1|2|3|4|5|6\t{rest / 2}\t",
            f"k__Bacteria|p__Firmicutes|c__Clostridia|o__Clostridiales|f__Ruminococcaceae|"
            f"g__Faecalibacterium|s__Faecalibacterium_prausnitzii\t2|1|2|3|4|5|7\t{rest / 2}\t",
            f"k__Bacteria|p__Firmicutes|c__Clostridia|o__Clostridiales|f__Peptostreptococcaceae|"
            f"g__Clostridioides|s__Clostridioides_difficile\t2|1|2|3|4|5|8\t{cdiff}\t",
        ]
        return ("\n".join(rows) + "\n").encode()

    def keys(cdiff: float) -> set[str]:
        report = analyze(profile(cdiff), "p.txt")
        return {f.key for f in report.samples[0].findings}

    assert "c_difficile_detected" not in keys(0.005)  # 0.005% of the sample
    assert "c_difficile_detected" in keys(0.5)
