"""Hostile files, made on demand: the probes of #21 as bytes, small to build, large to unpack.

Each entry names the file, its bytes and the refusals a correct reader may give (written from
what the file is, not from what the reader says). Nothing is kept on disk;
``python -m tests.hostile_corpus DIR`` writes them all to DIR to try by hand (``/upload`` in the
local chat).
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    name: str
    build: Callable[[], bytes]
    #: Keys of the refusals that describe this file truthfully; empty: it must be read.
    refusals: frozenset[str]


def _wide_table(columns: int) -> bytes:
    header = "#clade_name\t" + "\t".join(f"S{i}" for i in range(columns))
    row = "k__Bacteria|g__Bacteroides\t" + "\t".join("1" for _ in range(columns))
    return f"{header}\n{row}\n".encode()


def _zeros_gzip(size: int) -> bytes:
    """A gzip stream of ``size`` zero bytes, built in chunks (never ``size`` in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk, out, left = b"\0" * MB, [], size
    while left > 0:
        out.append(packer.compress(chunk[: min(MB, left)]))
        left -= MB
    out.append(packer.flush())
    return b"".join(out)


def nested_gzip() -> bytes:
    """A gzip inside a gzip whose inner stream unpacks past the 200 MB bound."""
    return gzip.compress(_zeros_gzip(210 * MB))


def zip_bomb() -> bytes:
    """A ZIP holding a ZIP holding one member of 300 MB of zeros."""
    inner = io.BytesIO()
    with (
        zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("table.tsv", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * MB
        for _ in range(300):
            member.write(chunk)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("results.zip", inner.getvalue())
    return outer.getvalue()


def zip_chain(depth: int = 400) -> bytes:
    """ZIPs nested ``depth`` deep, a small table at the bottom."""
    content, name = _wide_table(1), "table.tsv"
    for level in range(depth):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, content)
        content, name = buffer.getvalue(), f"level{level}.zip"
    return content


def biom_json_huge_shape() -> bytes:
    """A gzipped BIOM 1 (JSON) table declaring 10 million rows and a billion columns."""
    table = {
        "id": None,
        "format": "Biological Observation Matrix 1.0.0",
        "type": "OTU table",
        "matrix_type": "sparse",
        "shape": [10**7, 10**9],
        "rows": [{"id": "o1", "metadata": None}],
        "columns": [{"id": "s1", "metadata": None}],
        "data": [[0, 0, 5]],
    }
    return gzip.compress(json.dumps(table).encode())


def biom_hdf5_bad_indptr() -> bytes:
    """A BIOM 2 (HDF5) table whose index pointers run backwards and indices point outside."""
    import h5py
    import numpy as np

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        handle.attrs["id"] = "hostile"
        handle.attrs["format-version"] = np.array([2, 1])
        handle.attrs["type"] = "OTU table"
        handle.attrs["shape"] = (2, 2)
        handle.attrs["nnz"] = 2
        for axis in ("observation", "sample"):
            group = handle.create_group(axis)
            group.create_dataset("ids", data=np.array([f"{axis}{i}".encode() for i in range(2)]))
            matrix = group.create_group("matrix")
            matrix.create_dataset("data", data=np.ones(2))
            matrix.create_dataset("indices", data=np.array([0, 900_000], dtype=np.int32))
            matrix.create_dataset("indptr", data=np.array([0, 2, 1], dtype=np.int32))
            group.create_group("metadata")
            group.create_group("group-metadata")
    return buffer.getvalue()


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def huge_taxon_name() -> bytes:
    """A MetaPhlAn-style profile whose top genus has a 100,000-character name."""
    genus = "Bacteroides" + "x" * 100_000
    rows = [
        ("k__Bacteria", 100.0),
        (
            f"k__Bacteria|p__Bacteroidetes|c__Bacteroidia|o__Bacteroidales|f__Bacteroidaceae|g__{genus}",
            60.0,
        ),
        (
            "k__Bacteria|p__Firmicutes|c__Clostridia|o__Clostridiales|f__Ruminococcaceae|g__Faecalibacterium",
            40.0,
        ),
    ]
    lines = ["#mpa_v30_CHOCOPhlAn_201901", "#clade_name\tNCBI_tax_id\trelative_abundance"]
    lines += [f"{clade}\t1\t{value}" for clade, value in rows]
    return ("\n".join(lines) + "\n").encode()


CORPUS: tuple[Hostile, ...] = (
    Hostile(
        "million_columns.tsv",
        lambda: _wide_table(1_000_000),
        frozenset({"too_large", "too_many_samples"}),
    ),
    Hostile(
        "hundred_thousand_columns.tsv",
        lambda: _wide_table(100_000),
        frozenset({"too_large", "too_many_samples"}),
    ),
    Hostile("nested.tsv.gz.gz", nested_gzip, frozenset({"too_large"})),
    Hostile("results.zip", zip_bomb, frozenset({"zip_bomb", "too_large", "too_deep"})),
    Hostile("chain.zip", zip_chain, frozenset({"too_deep"})),
    Hostile("table.biom.gz", biom_json_huge_shape, frozenset({"too_large", "too_many_samples"})),
    Hostile("table.biom", biom_hdf5_bad_indptr, frozenset({"unsafe_file"})),
    Hostile("deep.json", deep_json, frozenset({"too_deep"})),
    Hostile("profile.txt", huge_taxon_name, frozenset()),
)


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else "hostile-files")
    target.mkdir(parents=True, exist_ok=True)
    for hostile in CORPUS:
        (target / hostile.name).write_bytes(hostile.build())
        print(target / hostile.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
