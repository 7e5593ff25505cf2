"""BIOM tables: 1.0 JSON (also gzipped) and 2.1 HDF5, read with biom-format."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd

from analysis.formats.limits import MAX_NNZ, check_samples, check_shape
from analysis.formats.pieces import CountTable
from analysis.model import AnalysisError
from analysis.taxonomy import parse_lineage

#: BIOM table types that hold functions, not taxa (PICRUSt writes "Gene table").
FUNCTIONAL_TYPES = {"gene table", "function table", "pathway table", "metabolite table"}


def _refuse_functional(kind: str) -> AnalysisError:
    return AnalysisError(
        "functional_profile",
        f"this BIOM file is a {kind}, a functional profile, not a taxonomic one",
        tool="PICRUSt",
    )


def check_biom_json(obj: dict[str, Any]) -> None:
    """Refuse functional tables and shapes beyond the bounds before biom-format reads them."""
    kind = str(obj.get("type") or "").strip()
    if kind.lower() in FUNCTIONAL_TYPES:
        raise _refuse_functional(kind)
    shape = obj.get("shape")
    if not (isinstance(shape, list) and len(shape) == 2 and all(isinstance(n, int) for n in shape)):
        raise AnalysisError("malformed_file", "the BIOM table has no valid shape")
    rows, columns = shape
    if rows < 0 or columns < 0:
        raise AnalysisError("malformed_file", "the BIOM table has a negative shape")
    check_samples(columns)
    check_shape(rows, columns)
    data = obj.get("data")
    if isinstance(data, list) and len(data) > MAX_NNZ:
        raise AnalysisError("too_large", "the BIOM table stores too many values", what="values")


def check_biom_hdf5(handle: Any) -> None:
    """Validate the sparse matrix's shape, indptr and indices before any native reader."""
    kind = handle.attrs.get("type", "")
    if isinstance(kind, bytes):
        kind = kind.decode("utf-8", "replace")
    if str(kind).strip().lower() in FUNCTIONAL_TYPES:
        raise _refuse_functional(str(kind))
    shape = handle.attrs.get("shape")
    try:
        rows, columns = (int(n) for n in shape)
    except (TypeError, ValueError) as exc:
        raise AnalysisError("malformed_hdf5", "the BIOM table has no valid shape") from exc
    if rows < 0 or columns < 0:
        raise AnalysisError("unsafe_file", "the BIOM table declares a negative shape")
    check_samples(columns)
    check_shape(rows, columns)
    for axis, length, width in (("observation", rows, columns), ("sample", columns, rows)):
        group = handle.get(f"{axis}/matrix")
        if group is None:
            continue
        sizes = [
            group[name].shape[0] if name in group else 0 for name in ("indptr", "indices", "data")
        ]
        if sizes[1] > MAX_NNZ or sizes[2] > MAX_NNZ:
            raise AnalysisError("too_large", "the BIOM table stores too many values", what="values")
        if sizes[0] == 0:
            continue
        indptr = np.asarray(group["indptr"][()], dtype=np.int64)
        indices = np.asarray(group["indices"][()], dtype=np.int64) if sizes[1] else np.zeros(0)
        if (
            len(indptr) != length + 1
            or indptr[0] != 0
            or bool(np.any(np.diff(indptr) < 0))
            or indptr[-1] != sizes[1]
            or sizes[1] != sizes[2]
        ):
            raise AnalysisError("unsafe_file", f"the BIOM {axis} index pointers are inconsistent")
        if len(indices) and (int(indices.min()) < 0 or int(indices.max()) >= width):
            raise AnalysisError("unsafe_file", f"the BIOM {axis} indices point outside the table")


def is_biom_json(obj: Any) -> bool:
    """A BIOM 1.0 JSON object."""
    return isinstance(obj, dict) and "Biological Observation Matrix" in str(obj.get("format", ""))


def _to_count_table(table: Any, fmt: str) -> CountTable:
    ids = [str(i) for i in table.ids(axis="observation")]
    samples = [str(s) for s in table.ids(axis="sample")]
    matrix = (
        table.matrix_data.toarray()
        if hasattr(table.matrix_data, "toarray")
        else np.asarray(table.matrix_data)
    )
    values = pd.DataFrame(matrix, index=ids, columns=samples)
    metadata = table.metadata(axis="observation")
    inline = None
    if metadata is not None and any(m and "taxonomy" in m for m in metadata):
        inline = []
        for m in metadata:
            taxonomy = (m or {}).get("taxonomy", "")
            if isinstance(taxonomy, (list, tuple)):
                taxonomy = "; ".join(str(t).strip() for t in taxonomy)
            inline.append(parse_lineage(str(taxonomy)))
    elif ids and all(i.startswith(("k__", "s__", "g__", "d__")) for i in ids[:50]):
        inline = [parse_lineage(i) for i in ids]
    return CountTable(
        kind="biom_table",
        fmt=fmt,
        values=values,
        inline_lineages=inline,
        profiler_version=str(getattr(table, "generated_by", "") or "") or None,
    )


def parse_biom_json(obj: dict[str, Any]) -> CountTable:
    """A BIOM 1.0 table from decoded JSON."""
    from biom import Table

    check_biom_json(obj)
    try:
        table = Table.from_json(obj)
    except AnalysisError:
        raise
    except Exception as exc:
        raise AnalysisError(
            "unknown_format", f"the BIOM JSON table cannot be read ({type(exc).__name__})"
        ) from exc
    result = _to_count_table(table, "biom_json")
    result.profiler_version = str(obj.get("generated_by") or "") or None
    return result


def parse_biom_hdf5(data: bytes) -> CountTable:
    """A BIOM 2.x HDF5 table."""
    import h5py
    from biom import Table

    try:
        with h5py.File(io.BytesIO(data), "r") as handle:
            check_biom_hdf5(handle)
            table = Table.from_hdf5(handle)
            generated = handle.attrs.get("generated-by", "")
    except AnalysisError:
        raise
    except Exception as exc:
        raise AnalysisError(
            "malformed_hdf5", f"the HDF5 file is not a readable BIOM table ({type(exc).__name__})"
        ) from exc
    result = _to_count_table(table, "biom_hdf5")
    if isinstance(generated, bytes):
        generated = generated.decode("utf-8", "replace")
    result.profiler_version = str(generated) or None
    return result
