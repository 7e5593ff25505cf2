"""Bounds before work: shapes, depths and sizes are checked before anything is allocated."""

from __future__ import annotations

import io
import json
import time
import zipfile

import h5py
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import AnalysisError, analyze
from analysis.formats import limits


def _key(data: bytes, name: str = "f.tsv") -> str:
    with pytest.raises(AnalysisError) as info:
        analyze(data, name)
    return info.value.key


def test_a_10_mb_tsv_with_a_million_columns_is_refused_in_well_under_a_second() -> None:
    columns = 1_000_000
    data = (
        "taxon\t"
        + "\t".join(f"S{i}" for i in range(columns))
        + "\nBacteroides\t"
        + "\t".join("1" for _ in range(columns))
        + "\n"
    ).encode()
    assert len(data) > 9_000_000
    start = time.perf_counter()
    assert _key(data) == "too_large"
    assert time.perf_counter() - start < 0.5


@settings(max_examples=30, deadline=None)
@given(depth=st.integers(min_value=limits.MAX_JSON_DEPTH + 1, max_value=5000))
def test_json_nested_beyond_the_limit_is_too_deep(depth: int) -> None:
    data = ("[" * depth + "]" * depth).encode()
    with pytest.raises(AnalysisError) as info:
        analyze(data, "deep.json")
    assert info.value.key == "too_deep" and info.value.details["what"]


@settings(max_examples=30, deadline=None)
@given(depth=st.integers(min_value=1, max_value=limits.MAX_JSON_DEPTH))
def test_json_within_the_depth_limit_is_not_refused_for_depth(depth: int) -> None:
    data = ('{"a": ' * depth + '"[[[["' + "}" * depth).encode()
    with pytest.raises(AnalysisError) as info:
        analyze(data, "shallow.json")
    assert info.value.key != "too_deep"


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(min_value=0, max_value=10**8),
    columns=st.integers(min_value=0, max_value=10**7),
)
def test_check_shape_refuses_exactly_what_is_beyond_the_bounds(rows: int, columns: int) -> None:
    beyond = (
        columns > limits.MAX_COLUMNS or rows > limits.MAX_ROWS or rows * columns > limits.MAX_CELLS
    )
    if beyond:
        with pytest.raises(AnalysisError) as info:
            limits.check_shape(rows, columns)
        assert info.value.key == "too_large"
    else:
        limits.check_shape(rows, columns)


@settings(max_examples=8, deadline=None)
@given(samples=st.integers(min_value=limits.MAX_SAMPLES + 1, max_value=3000))
def test_too_many_sample_columns(samples: int) -> None:
    header = "taxon\t" + "\t".join(f"S{i}" for i in range(samples))
    row = "Bacteroides\t" + "\t".join("1" for _ in range(samples))
    assert _key(f"{header}\n{row}\n{row.replace('Bacteroides', 'Prevotella')}\n".encode()) == (
        "too_many_samples"
    )


def _biom_hdf5(indptr: list[int], indices: list[int], shape: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        handle.attrs["id"] = "t"
        handle.attrs["type"] = "OTU table"
        handle.attrs["format-url"] = "http://biom-format.org"
        handle.attrs["format-version"] = (2, 1)
        handle.attrs["generated-by"] = "test"
        handle.attrs["creation-date"] = "2020-01-01T00:00:00"
        handle.attrs["shape"] = shape
        handle.attrs["nnz"] = len(indices)
        for axis, n in (("observation", shape[0]), ("sample", shape[1])):
            group = handle.create_group(axis)
            group.create_dataset("ids", data=np.array([f"{axis}{i}".encode() for i in range(n)]))
            matrix = group.create_group("matrix")
            matrix.create_dataset("data", data=np.ones(len(indices)))
            matrix.create_dataset("indices", data=np.array(indices, dtype=np.int32))
            ptr = indptr if axis == "observation" else [0] * (n + 1)
            matrix.create_dataset("indptr", data=np.array(ptr, dtype=np.int32))
            group.create_group("metadata")
            group.create_group("group-metadata")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("indptr", "indices"),
    [
        ([0, 2, 1], [0, 1]),  # indptr goes backwards
        ([0, 1, 2], [0, 7]),  # an index beyond the samples
        ([0, 1, 2], [0, -3]),  # a negative index
        ([0, 1, 9], [0, 1]),  # indptr beyond the stored values
    ],
)
def test_biom_hdf5_with_bad_indices_is_unsafe(indptr: list[int], indices: list[int]) -> None:
    assert _key(_biom_hdf5(indptr, indices, (2, 2)), "t.biom") == "unsafe_file"


def test_biom_hdf5_declaring_a_huge_shape_is_refused_before_reading() -> None:
    assert _key(_biom_hdf5([0, 1, 2], [0, 1], (2, 10**6)), "t.biom") in {
        "too_large",
        "too_many_samples",
    }


def test_biom_json_declaring_a_huge_shape_is_refused() -> None:
    table = {
        "id": None,
        "format": "Biological Observation Matrix 1.0.0",
        "type": "OTU table",
        "matrix_type": "sparse",
        "shape": [10**7, 400],
        "rows": [],
        "columns": [],
        "data": [],
    }
    assert _key(json.dumps(table).encode(), "t.biom") == "too_large"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_archives_are_opened_one_level_deep_only() -> None:
    inner = _zip({"table.tsv": b"taxon\tS1\nBacteroides\t3\n"})
    assert _key(_zip({"inner.zip": inner}), "outer.zip") == "too_deep"
    artifact = _zip({"u/metadata.yaml": b"type: x\n", "u/data/x.zip": inner})
    assert _key(_zip({"a.qza": artifact}), "outer.zip") == "too_deep"
