"""ZIP archives and paired uploads: a count table joined with its taxonomy (and metadata)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

import numpy as np

from analysis.formats import dada2, mothur, qiime2
from analysis.formats.pieces import CountTable, Metadata, Taxonomy
from analysis.formats.table import make_table
from analysis.model import AnalysisError, Caveat, ParsedTable

MAX_MEMBERS = 50
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


def read_zip(data: bytes) -> dict[str, bytes]:
    """Members of a ZIP, refusing bombs, oversized members, nested archives and odd paths."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise AnalysisError("corrupt_archive", "the ZIP file cannot be opened") from exc
    files = [i for i in infos if not i.is_dir()]
    if len(files) > MAX_MEMBERS:
        raise AnalysisError(
            "zip_bomb", f"the ZIP holds {len(files)} files; at most {MAX_MEMBERS} are read"
        )
    total = 0
    members: dict[str, bytes] = {}
    for info in files:
        path = PurePosixPath(info.filename)
        if (
            path.is_absolute()
            or ".." in path.parts
            or path.name.startswith("._")
            or "__MACOSX" in path.parts
        ):
            continue
        if path.suffix.lower() in {".zip", ".gz", ".tar", ".7z"} and path.suffix.lower() != ".gz":
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            raise AnalysisError(
                "zip_member_too_large",
                f"{path.name} is {info.file_size:,} bytes unpacked",
                member=path.name,
            )
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and info.file_size > 1_000_000
        ):
            raise AnalysisError(
                "zip_bomb",
                f"{path.name} expands {info.file_size // info.compress_size}-fold",
                member=path.name,
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise AnalysisError("zip_bomb", "the ZIP unpacks to more than 200 MB")
        try:
            with archive.open(info) as handle:
                content = handle.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
            raise AnalysisError(
                "corrupt_archive", f"{path.name} inside the ZIP is damaged"
            ) from exc
        if len(content) > MAX_MEMBER_BYTES:
            raise AnalysisError(
                "zip_member_too_large", f"{path.name} is too large unpacked", member=path.name
            )
        members[str(path)] = content
    if not members:
        raise AnalysisError("unknown_format", "the ZIP holds no readable files")
    return members


def parse_zip(data: bytes) -> ParsedTable:
    """A ZIP: one results file, or a table with its taxonomy (and optional metadata)."""
    return combine(read_zip(data))


def classify(text: str) -> str | None:
    """Which half of an amplicon result a text file is, or None."""
    if qiime2.is_taxonomy(text) or mothur.is_taxonomy(text) or dada2.is_taxonomy(text):
        return "taxonomy"
    if qiime2.is_feature_table(text) or mothur.is_shared(text) or dada2.is_counts(text):
        return "count_table"
    if qiime2.is_metadata(text):
        return "metadata"
    return None


def read_count_table(text: str) -> tuple[CountTable, list[Caveat]]:
    """Parse whichever count table this is."""
    if qiime2.is_feature_table(text):
        return qiime2.parse_feature_table(text), []
    if mothur.is_shared(text):
        return mothur.parse_shared(text)
    return dada2.parse_counts(text), []


def read_taxonomy(text: str) -> Taxonomy:
    """Parse whichever taxonomy this is."""
    if qiime2.is_taxonomy(text):
        return qiime2.parse_taxonomy(text)
    if mothur.is_taxonomy(text):
        return mothur.parse_taxonomy(text)
    return dada2.parse_taxonomy(text)


def _need(table: CountTable) -> AnalysisError:
    return AnalysisError(
        "needs_companion_file",
        "this count table names its features by id only; the taxonomy file is needed too",
        have=table.kind,
        need="taxonomy",
    )


def join(
    table: CountTable, taxonomy: Taxonomy | None, metadata: Metadata | None, caveats: list[Caveat]
) -> ParsedTable:
    """Name a count table's features with its taxonomy and build the ParsedTable."""
    values = table.values
    if values.isna().to_numpy().any():
        values = values.fillna(0.0)
    if table.inline_lineages is not None:
        lineages = list(table.inline_lineages)
    elif taxonomy is not None:
        lookup = taxonomy.lineages
        missing = [i for i in values.index if i not in lookup]
        if len(missing) == len(values.index):
            raise AnalysisError(
                "no_taxonomy", "none of the table's feature ids are in the taxonomy file"
            )
        if missing:
            caveats.append(Caveat("unmatched_features", {"count": len(missing)}))
        empty = (None,) * 7
        lineages = [lookup.get(i, empty) for i in values.index]
    else:
        raise _need(table)
    method = "16s"
    kind = "counts"
    ids = list(values.index)
    clades = None
    if (
        ids
        and all(str(i).startswith(("s__", "k__")) for i in ids[:50])
        and float(values.sum().max()) <= 105
    ):
        # MetaPhlAn output stored as BIOM (American Gut shotgun): keep clades for the indices.
        method, kind = "shotgun", "percent"
        clades = values.copy()
    elif float(values.sum().max()) <= 1.05 and not bool(np.all(np.mod(values.to_numpy(), 1) == 0)):
        # The cheap test first: the whole-number test needs a table-sized temporary.
        kind = "fraction"
    metadata_rows = metadata.rows if metadata is not None else {}
    sample_metadata = {
        str(s): metadata_rows[str(s)] for s in values.columns if str(s) in metadata_rows
    }
    return make_table(
        fmt=table.fmt,
        method=method,  # type: ignore[arg-type]
        profiler_version=table.profiler_version,
        values=values,
        lineages=lineages,
        value_kind=kind,  # type: ignore[arg-type]
        caveats=caveats,
        read_depth={str(s): float(v) for s, v in values.sum().items()} if kind == "counts" else {},
        sample_metadata=sample_metadata,
        clades=clades,
    )


def parse_single_text(text: str, filename: str | None) -> ParsedTable | None:
    """One amplicon file on its own: complete tables parse, halves ask for the other half."""
    kind = classify(text)
    if kind is None:
        return None
    if kind == "metadata":
        raise AnalysisError("metadata_only", "this is a sample metadata file, not results")
    if kind == "taxonomy":
        raise AnalysisError(
            "needs_companion_file",
            "this is a taxonomy file; the count table (feature table) is needed too",
            have="taxonomy",
            need="feature table",
        )
    table, caveats = read_count_table(text)
    return join(table, None, None, caveats)


def combine(files: dict[str, bytes]) -> ParsedTable:
    """Several files that belong together (a ZIP's members, or two uploads)."""
    from analysis.formats import read_table
    from analysis.formats.text import decode, looks_binary

    tables: list[tuple[CountTable, list[Caveat]]] = []
    taxonomy: Taxonomy | None = None
    metadata: Metadata | None = None
    complete: list[tuple[str, bytes]] = []
    for name, content in sorted(files.items()):
        if content[:4] == b"\x89HDF":
            from analysis.formats.biom import parse_biom_hdf5

            tables.append((parse_biom_hdf5(content), []))
            continue
        if looks_binary(content) or content[:2] == b"\x1f\x8b":
            complete.append((name, content))
            continue
        text, _ = decode(content)
        kind = classify(text)
        if kind == "count_table":
            tables.append(read_count_table(text))
        elif kind == "taxonomy":
            taxonomy = read_taxonomy(text)
        elif kind == "metadata":
            metadata = qiime2.parse_metadata(text)
        else:
            complete.append((name, content))
    if tables:
        table, caveats = tables[0]
        if len(tables) > 1:
            caveats.append(Caveat("several_tables"))
        return join(table, taxonomy, metadata, caveats)
    if complete:
        name, content = complete[0]
        return read_table(content, PurePosixPath(name).name)
    if taxonomy is not None:
        raise AnalysisError(
            "needs_companion_file",
            "only a taxonomy file was found",
            have="taxonomy",
            need="feature table",
        )
    if metadata is not None:
        raise AnalysisError("metadata_only", "only a sample metadata file was found")
    raise AnalysisError("unknown_format", "nothing in the archive is a results file")
