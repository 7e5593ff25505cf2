"""BIOM tables: 1.0 JSON (also gzipped) and 2.1 HDF5, read with biom-format."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd

from analysis.formats.pieces import CountTable
from analysis.model import AnalysisError
from analysis.taxonomy import parse_lineage


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

    try:
        table = Table.from_json(obj)
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
            table = Table.from_hdf5(handle)
            generated = handle.attrs.get("generated-by", "")
    except Exception as exc:
        raise AnalysisError(
            "malformed_hdf5", f"the HDF5 file is not a readable BIOM table ({type(exc).__name__})"
        ) from exc
    result = _to_count_table(table, "biom_hdf5")
    if isinstance(generated, bytes):
        generated = generated.decode("utf-8", "replace")
    result.profiler_version = str(generated) or None
    return result
