"""Shared engine fixtures: a small synthetic corpus with ground truth, generated once per session."""

from pathlib import Path

import pytest

from minsheng.engine.synth import generate, write_corpus

TEDDY = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "teddy2020"


@pytest.fixture(scope="session")
def corpus():
    return generate(4000, seed=11)


@pytest.fixture(scope="session")
def corpus_csv(corpus, tmp_path_factory) -> Path:
    return write_corpus(corpus, tmp_path_factory.mktemp("corpus") / "corpus.csv")
