"""Cold-start routing from the teddy2020 taxonomy: obvious messages go to the obvious department."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from minsheng.engine.errors import InputError
from minsheng.engine.routing import TaxonomyRouter, read_taxonomy, route_frame

TEDDY = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "teddy2020"
pytestmark = pytest.mark.skipif(not TEDDY.exists(), reason="teddy2020 data not available")


@pytest.fixture(scope="module")
def router():
    return TaxonomyRouter().fit(read_taxonomy(TEDDY / "taxonomy.csv"))


@pytest.mark.parametrize(("text", "department"), [
    ("小区燃气管道漏气，物业不管", "城乡建设"),
    ("学校乱收费，学生家长负担重", "教育文体"),
    ("化工厂排放污水污染河流，空气恶臭", "环境保护"),
    ("单位拖欠工资，不给缴纳社保", "劳动和社会保障"),
    ("景区门票涨价，旅游市场混乱", "商贸旅游"),
])
def test_obvious_messages_go_to_the_obvious_department(router, text, department):
    out = route_frame(pd.DataFrame({"text": [text]}), router)
    assert out["department"].iloc[0] == department
    assert out["department_confidence"].iloc[0] > 0


def test_no_keyword_means_review(router):
    out = route_frame(pd.DataFrame({"text": ["今天天气很好", "燃气管道漏气"]}), router)
    assert out["department"].iloc[0] is None and out["needs_review"].iloc[0]
    assert out["department_confidence"].iloc[0] == 0.0
    assert not out["needs_review"].iloc[1]


def test_knows_all_fifteen_top_level_categories(router):
    assert len(router.classes_) == 15 and "城乡建设" in router.classes_


def test_routes_real_messages_well_above_chance(router):
    labelled = pd.read_csv(TEDDY / "messages_labeled_text.csv", dtype=str).head(400)
    predicted = router.predict(labelled["text"].tolist())
    assert (predicted == labelled["label"].to_numpy()).mean() > 0.45  # chance among 15 is below 0.1


def test_a_taxonomy_without_level2_is_named(tmp_path):
    path = tmp_path / "tax.csv"
    path.write_text("level1,name\n城乡建设,燃气\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_taxonomy(path)
    assert err.value.field == "level2"


def test_an_empty_taxonomy_is_one_line_and_a_gbk_one_is_read(tmp_path):
    """An empty file raised pandas' EmptyDataError (a traceback from `minsheng train --taxonomy`); a taxonomy
    saved by Excel as GBK was refused as unreadable, though every other input is read in GBK."""
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError):
        read_taxonomy(empty)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("level1,level2\n城乡建设,燃气管理\n教育文体,学校收费\n".encode("gbk"))
    assert read_taxonomy(gbk)["level2"].tolist() == ["燃气管理", "学校收费"]
