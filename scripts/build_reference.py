"""Build the committed reference tables in analysis/reference/ from ../shared/data.

python scripts/build_reference.py            # write the JSON tables
python scripts/build_reference.py --check    # rebuild in memory and compare
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.reference import REFERENCE_DIR  # noqa: E402
from analysis.reference.build import amplicon_panel, genus_lineages, shotgun_panel  # noqa: E402


def build_all(data: Path) -> dict[str, dict[str, Any]]:
    """Every table, keyed by file name."""
    profiles = [
        p.read_text() for p in sorted((data / "expected" / "gmwi2" / "profiles").glob("*.txt"))
    ]
    profiles += [p.read_text() for p in sorted((data / "corpus").glob("metaphlan*.txt"))]
    genus_map = genus_lineages(profiles)
    species = pd.read_csv(
        data / "reference" / "gmhi_validation_metaphlan2_species_abundance.csv",
        encoding="utf-8-sig",
        index_col=0,
    )
    metadata = pd.read_csv(
        data / "reference" / "gmhi_validation_metadata.csv", encoding="utf-8-sig"
    )
    shared = pd.read_csv(
        data / "corpus" / "mothur_Baxter2016_fit.final.tx.1.subsample.shared",
        sep="\t",
        dtype={"Group": str},
    )
    taxonomy = pd.read_csv(
        data / "corpus" / "mothur_Baxter2016_fit.final.tx.1.cons.taxonomy", sep="\t"
    )
    mapping = pd.read_csv(data / "corpus" / "mothur_Baxter2016_mapping.csv", dtype={"sample": str})
    return {
        "genus_lineages.json": {
            "source": "MetaPhlAn 3/4 profiles in shared/data",
            "genera": genus_map,
        },
        "panel_shotgun.json": shotgun_panel(species, metadata, genus_map),
        "panel_16s.json": amplicon_panel(shared, taxonomy, mapping),
    }


def main() -> int:
    """Write or check the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    tables = build_all(args.data)
    differing = []
    for name, table in tables.items():
        path = REFERENCE_DIR / name
        text = json.dumps(table, indent=1, sort_keys=True) + "\n"
        if args.check:
            if not path.exists() or path.read_text() != text:
                differing.append(name)
        else:
            path.write_text(text)
            print(f"wrote {path} ({len(text):,} bytes)")
    if differing:
        print("out of date: " + ", ".join(differing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
