"""Which printed marker names are which clinically weighty marker: the ``Marker.key`` table.

``content`` words each key (what the marker is, what a result outside the lab's range can
mean, when to see someone); triage reads keyed markers like it reads symptoms. Names are
matched as labs print them, after :func:`normalise_name` (lower case, Greek beta spelt "b",
punctuation to spaces), so "Pancreatic Elastase 1", "Elastase-1" and "ELASTASE 1" are one key.
A name no pattern matches gets no key: it is shown as printed, with the lab's own range.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["KEYS", "clean_name", "marker_key", "no_verdict", "normalise_name"]

#: (key, pattern on the normalised name), tried in order; the first that matches wins, so the
#: narrower patterns (a toxin, a species) come before the broader ones.
KEYS: tuple[tuple[str, str], ...] = (
    # Inflammation, digestion, barrier, immune response.
    ("calprotectin", r"\bcalprotectin\b"),
    ("lactoferrin", r"\blactoferrin\b"),
    ("lysozyme", r"\blysozyme\b"),
    ("occult_blood", r"\boccult blood\b|\bfobt\b|^fit$|隐血|潜血"),
    ("elastase", r"\belastase\b"),
    ("zonulin", r"\bzonulin\b"),
    ("secretory_iga", r"\bsecretory iga\b|\bsiga\b"),
    ("anti_gliadin_iga", r"\banti gliadin\b"),
    ("eosinophil_protein_x", r"\beosinophil (?:activation )?protein\b|\bepx\b|\bedn\b"),
    ("b_glucuronidase", r"\bb glucuronidase\b|\bbeta glucuronidase\b"),
    ("steatocrit", r"\bsteatocrit\b"),
    ("m2_pk", r"\bm2 ?pk\b|\btumou?r m2\b"),
    # Bacterial pathogens: toxins first (C. difficile toxins, Shiga toxins).
    ("c_difficile_toxin_a", r"\b(?:c|clostridi(?:um|oides)) difficile toxin a\b"),
    ("c_difficile_toxin_b", r"\b(?:c|clostridi(?:um|oides)) difficile toxin b\b"),
    ("stec", r"\bstx ?[12]\b|\bo157\b|\bshiga\b|\bstec\b|\benterohemorrhagic\b|^e coli ehec$"),
    ("epec_ehec", r"\bepec ehec\b"),
    ("epec", r"\bepec\b|\benteropathogenic\b"),
    ("etec", r"\betec\b|\benterotoxigenic\b"),
    ("shigella", r"\bshigella\b|\beiec\b|\benteroinvasive\b"),
    ("salmonella", r"\bsalmonella\b"),
    ("campylobacter", r"\bcampylobacter\b"),
    ("yersinia", r"\byersinia\b"),
    ("vibrio_cholerae", r"\bvibrio cholerae\b"),
    ("h_pylori", r"^(?:h|helicobacter) pylori(?: (?:dna|antigen|stool antigen|ag))?$"),
    # Parasites.
    ("giardia", r"\bgiardia\b"),
    ("cryptosporidium", r"\bcryptosporidium\b"),
    ("entamoeba_histolytica", r"\bentamoeba histolytica\b"),
    ("cyclospora", r"\bcyclospora\b"),
    ("blastocystis", r"\bblastocystis\b"),
    ("dientamoeba_fragilis", r"\bdientamoeba\b"),
    ("ova_and_parasites", r"\bova\b.*\bparasites\b|\bmicroscopic\s+exam\b"),
    # Viruses.
    ("norovirus", r"\bnorovirus\b"),
    ("adenovirus", r"\badenovirus\b"),
    ("rotavirus", r"\brotavirus\b"),
    ("astrovirus", r"\bastrovirus\b"),
    ("sapovirus", r"\bsapovirus\b"),
)

_COMPILED = tuple((key, re.compile(pattern)) for key, pattern in KEYS)

#: Markers printed with a range on which no verdict is given (a ratio of phyla is not a
#: diagnosis): their flag is only the lab's own, never computed.
_NO_VERDICT_RE = re.compile(r"\bratio\b|\bf ?/ ?b\b", re.I)

#: Rows about a marker rather than the marker itself: never keyed.
_NOT_THE_MARKER_RE = re.compile(r"\bvirulence\b|\bresistance\b|\bgenes?\b")


_FOOTNOTE_RE = re.compile(r"[\s*†◆‡§:]+$")


def _one_copy(words: list[str]) -> list[str]:
    """A name's words once, when text extraction interleaved two overlaid copies of it.

    "Eosinophil Activation Protein Eosinophil Activation Protein (EDN," then "(EDN, EPX) EPX)"
    is a run of one copy, a run of the other, then what is left shared between them.
    """
    best = words
    for i in range(1, len(words)):
        for j in range(i + 1, len(words)):
            rest = words[j:]
            for k in range(len(rest) + 1):
                left, right = words[:i] + rest[:k], words[i:j] + rest[k:]
                if left == right and len(left) < len(best):
                    best = left
    return best


def clean_name(name: str) -> str:
    """A printed name without footnote marks (``Cryptosporidium◆``, ``Color††``) or a doubled copy.

    Parameters
    ----------
    name
        A marker name as extracted.
    """
    words = _FOOTNOTE_RE.sub("", " ".join(name.split())).split()
    return " ".join(_one_copy(words) if 6 <= len(words) <= 24 else words)


def normalise_name(name: str) -> str:
    """Lower case, accents and footnote marks gone, Greek beta as "b", punctuation as spaces.

    Parameters
    ----------
    name
        A marker name as printed.
    """
    text = name.replace("β", "b").replace("ß", "b")
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s]+", " ", text)
    return " ".join(text.split())


def marker_key(name: str) -> str | None:
    """The content key for a printed marker name, or None when it has none.

    Parameters
    ----------
    name
        A marker name as printed: "Calprotectin", "Pancreatic Elastase 1", "Elastase-1",
        "Clostridioides difficile Toxin B", "Giardia lamblia", "Shiga-like Toxin E. coli stx1".
    """
    normal = normalise_name(name)
    if not normal or _NOT_THE_MARKER_RE.search(normal):
        return None
    for key, pattern in _COMPILED:
        if pattern.search(normal):
            return key
    return None


def no_verdict(name: str) -> bool:
    """Whether a marker gets no computed flag (a ratio such as Firmicutes/Bacteroidetes).

    Parameters
    ----------
    name
        A marker name as printed.
    """
    return bool(_NO_VERDICT_RE.search(name))
