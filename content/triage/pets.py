"""Whether a symptom belongs to a pet: the pet named before it, with no person in between."""

from __future__ import annotations

import re

#: Pets and dog breeds as English speakers name them ("my labrador" is not the writer).
_ENGLISH_PETS = (
    r"dog|dogs|puppy|pup|cat|cats|kitten|rabbit|bunny|hamster|guinea pig|horse|pony|parrot|"
    r"ferret|budgie|tortoise|pet|labrador|lab|spaniel|terrier|collie|poodle|beagle|pug|retriever|husky|"
    r"dachshund|greyhound|whippet|chihuahua|alsatian|labradoodle|cockapoo|schnauzer"
)

#: Who the writer is ("I", "my ..."): a symptom told about oneself is not the pet's.
FIRST_PERSON = re.compile(
    r"\b(?:i|im|ive|id|me|myself|we|us)\b|\bmy (?!(?:" + _ENGLISH_PETS + r")\b)"
)

PET_WORDS = (
    r"(?:" + _ENGLISH_PETS + r"|"
    r"cane|perro|perrito|chien|mon chat|le chat|ma chatte|notre chat|hund|katze|cachorro|gato|gatto|собак\w*|кошк\w*|кот|кота|коту|котик\w*)"
)
PET = re.compile(r"\b" + PET_WORDS + r"\b")
OWNED_PET = re.compile(r"\b(?:my|our|the|his|her)\s(?:\w+\s)?" + PET_WORDS + r"\b")
WRITER_SYMPTOM = re.compile(
    r"\bmy (?:poo|stool|tummy|belly|bum|stomach|bowels?)\b|\bi (?:am|have|had|ve|keep)\b|\bim\b|\bive\b"
)


def is_pet(text: str, left: int, start: int, end: int) -> bool:
    """A pet is the one with the symptom: named before it in the clause, with no person between."""
    before = text[left:start]
    clause = text[left:end]
    if (
        OWNED_PET.search(clause)
        and not WRITER_SYMPTOM.search(clause)
        and not _PERSON.search(clause)
    ):
        return True
    pets = list(PET.finditer(before))
    if pets:
        between = before[pets[-1].end() :]
        return not FIRST_PERSON.search(between) and not re.search(
            r"\b(?:mum|dad|son|daughter|baby|husband|wife)\b", between
        )
    # A later sentence about "him/her/it" with no person in it, in a message about a pet; when a
    # person was named too ("my mum ... walks the dog ... she's been going 4 times a day"), the
    # "she" may be either, and the person is assumed (the safer reading).
    sentence = text[left : max(end, start)]
    earlier = text[:left]
    return (
        bool(PET.search(earlier))
        and not FIRST_PERSON.search(sentence)
        and not _PERSON.search(sentence)
        and not _PERSON.search(earlier)
    )


_PERSON = re.compile(
    r"\b(?:mum|mom|mam|mother|dad|father|son|daughter|baby|husband|wife|partner|child|kid|toddler|"
    r"gran|granny|grandma|nan|nana|grandad|grandpa|brother|sister|friend|neighbour|patient)\b"
)
