"""Published indices: GMHI, GMWI2 and distance to healthy, in the order they are shown.

A new index is one module ending in ``SPEC = IndexSpec(...)`` (see :mod:`analysis.indices.spec`)
and one line below; the pipeline computes every index listed, the report stores each under its
key, the charts and the bot show them in this order.
"""

from analysis.indices import distance, gmhi, gmwi2
from analysis.indices.spec import IndexInputs, IndexSpec

INDEX_SPECS: tuple[IndexSpec, ...] = (
    gmhi.SPEC,
    gmwi2.SPEC,
    distance.SPEC,
)
INDEX_KEYS: tuple[str, ...] = tuple(spec.key for spec in INDEX_SPECS)

__all__ = ["INDEX_KEYS", "INDEX_SPECS", "IndexInputs", "IndexSpec"]
