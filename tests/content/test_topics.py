"""Topic files: all 32 exist and validate; a malformed file stops start-up with its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.messages import ContentError
from content.topics import (
    FINDING_KEYS,
    REQUIRED_IDS,
    TOPICS_DIR,
    load_topics,
    meaning_for_finding,
    topics_for_finding,
)


def test_every_required_topic_exists_and_validates() -> None:
    topics = load_topics()
    assert set(REQUIRED_IDS) <= set(topics)
    for topic in topics.values():
        assert len(topic.short) <= 600
        assert len(topic.citations) >= 2
        assert all(c.doi or c.pmid for c in topic.citations)


def test_every_finding_has_a_meaning_and_a_topic() -> None:
    for key in FINDING_KEYS:
        assert meaning_for_finding(key)
        assert topics_for_finding(key)


def test_a_malformed_file_names_itself(tmp_path: Path) -> None:
    for path in TOPICS_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text())
    broken = tmp_path / "scfa.butyrate.toml"
    broken.write_text(broken.read_text().replace('area = "microbiome"', 'area = "astrology"'))
    with pytest.raises(ContentError, match=r"scfa\.butyrate\.toml: area"):
        load_topics(tmp_path)
    broken.write_text("id = [unclosed")
    with pytest.raises(ContentError, match=r"scfa\.butyrate\.toml"):
        load_topics(tmp_path)


def test_wording_never_diagnoses_or_doses() -> None:
    forbidden = (
        "you have ibs",
        "you have sibo",
        "you have dysbiosis",
        "you have candida",
        "stop taking",
        " mg ",
        "mg/day",
        "capsules a day",
    )
    for topic in load_topics().values():
        text = " ".join([topic.short, topic.long, *(h.text for h in topic.helps)]).lower()
        for phrase in forbidden:
            assert phrase not in text, (topic.id, phrase)
