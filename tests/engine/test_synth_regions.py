"""`minsheng synth --regions`: the demo corpus says where each suggestion comes from (地区), so the demo shows the
platform's and the report's breakdown by region; without the flag the corpus is byte for byte what it was (the
benchmark corpora and their cached files)."""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from minsheng.cli import main
from minsheng.engine import synth

# `minsheng synth --n 300 --seed 5 --out x.csv` before regions existed (synth VERSION 4).
BEFORE_SHA256 = "e8e535b7ec493f1edc7bd1c9146e8a66e1ad4b9b389efc749710da12ef28e559"
NOVEL_BEFORE_SHA256 = "7b07268651dbdb39b5618ec3aed0b1731f378c80035f338d8814823841d891bc"


def test_without_the_flag_the_corpus_is_byte_identical_to_before(tmp_path):
    out = tmp_path / "c.csv"
    assert main(["synth", "--n", "300", "--seed", "5", "--quiet", "--out", str(out)]) == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == BEFORE_SHA256
    novel = synth.novel_ideas(20, seed=7).to_csv(index=False).encode()
    assert hashlib.sha256(novel).hexdigest() == NOVEL_BEFORE_SHA256


def test_the_benchmark_corpus_has_no_region(tmp_path):
    from minsheng.bench.engine import corpus_path

    assert "region" not in pd.read_parquet(corpus_path(300, 5, tmp_path)).columns


def test_with_the_flag_a_region_column_names_the_texts_district_else_a_skewed_few(tmp_path):
    out = tmp_path / "c.csv"
    assert main(["synth", "--n", "3000", "--seed", "5", "--regions", "--quiet", "--out", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns).index("region") == list(frame.columns).index("channel") + 1
    assert 0.10 <= (frame["region"] == "").mean() <= 0.20
    districts = synth._Writer(5).gaz.districts
    named = re.compile("|".join(map(re.escape, sorted(districts, key=len, reverse=True))))
    given = frame[frame["region"] != ""]
    assert set(given["region"]) <= set(districts)
    unnamed = []
    for title, body, region, family in zip(given["title"], given["body"], given["region"], given["gt_family"],
                                           strict=True):
        found = named.search(title) or named.search(body)
        if found:
            assert region == found.group(0)  # the district the text names (a campaign's: its title's)
        else:
            unnamed.append((family, region))
    # texts that name no place: a few districts, skewed, one per family (a re-post comes from where its original did)
    counts = pd.Series([r for _f, r in unnamed]).value_counts()
    assert len(counts) <= len(synth.REGION_WEIGHTS) and counts.iloc[0] >= 4 * counts.iloc[-1]
    assert all(len(set(rs)) == 1 for rs in pd.DataFrame(unnamed).groupby(0)[1].agg(list))
    # the whole chart is not flat: the largest region holds far more than a district's even share
    assert given["region"].value_counts().iloc[0] > 5 * len(given) / given["region"].nunique()


def test_the_regions_other_columns_are_the_default_corpus(tmp_path):
    with_regions = synth.generate(400, seed=3, regions=True)
    pd.testing.assert_frame_equal(with_regions.drop(columns="region"), synth.generate(400, seed=3))
    novel = synth.novel_ideas(10, seed=7, regions=True)
    assert (novel["region"] != "").sum() >= 5
    assert all(r in b for r, b in zip(novel["region"], novel["body"], strict=True) if r)
