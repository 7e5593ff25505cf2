"""Random and mutated input: nothing but AnalysisError ever escapes analyze()."""

from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import AnalysisError, analyze
from tests.conftest import shared_path

# A quick profile for every run; NIGHTLY=1 raises the count (see `make fuzz`).
EXAMPLES = int(os.environ.get("GUTBOT_FUZZ_EXAMPLES", "60"))
SMALL = [
    "metaphlan3_SRR1761667_stool.txt",
    "kraken_report_official_sample_SIMULATED.kreport",
    "bracken_species_output_official_sample_SIMULATED.txt",
    "motus3_cami_profile_ERR479304_stool.profile",
    "ubiome_gut_74607.json",
    "ubiome_gut_74607_export.csv",
    "biom1_json_AmericanGut_MetaphlanWGS.biom",
    "qiime2_movingpictures_taxonomy.tsv",
    "dada2_taxa_species_CRC.csv",
]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_analysis_errors(data: bytes) -> None:
    error: AnalysisError | None = None
    try:
        analyze(data, "upload")
    except AnalysisError as exc:
        error = exc
    if error is not None:
        assert error.key
        assert error.key != "analysis_failed", error.message


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    _only_analysis_errors(data)


@FUZZ
@given(
    st.sampled_from(SMALL),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["flip", "truncate", "drop_lines", "shuffle_columns", "duplicate_lines"]),
)
def test_mutated_real_files(name: str, seed: int, how: str) -> None:
    rng = random.Random(seed)
    data = bytearray(shared_path("corpus", name).read_bytes()[:60_000])
    if how == "flip":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif how == "truncate":
        data = data[: rng.randrange(len(data))]
    else:
        lines = bytes(data).split(b"\n")
        if how == "drop_lines":
            lines = [ln for ln in lines if rng.random() > 0.2]
        elif how == "duplicate_lines":
            lines = lines + rng.sample(lines, min(len(lines), 5))
        else:
            split = [ln.split(b"\t") for ln in lines]
            width = max(len(r) for r in split)
            order = list(range(width))
            rng.shuffle(order)
            lines = [b"\t".join(r[i] for i in order if i < len(r)) for r in split]
        data = bytearray(b"\n".join(lines))
    _only_analysis_errors(bytes(data))


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=30),
            st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**9)),
        ),
        min_size=0,
        max_size=30,
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_random_small_tables(rows: list[tuple[str, float]], sep: str) -> None:
    text = f"taxon{sep}abundance\n" + "\n".join(
        f"{name.replace(sep, ' ')}{sep}{value}" for name, value in rows
    )
    _only_analysis_errors(text.encode("utf-8"))
