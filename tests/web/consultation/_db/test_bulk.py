"""insert_new: one statement that inserts what is new and says which rows those were."""

from __future__ import annotations

from minsheng.consultation._db.bulk import insert_new
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.receipts import new_receipt


def _row(cast, external_id):
    return Suggestion(campaign=cast.campaign, channel=cast.channel, source="api", external_id=external_id,
                      receipt=new_receipt(), text=f"建议 {external_id}")


def test_it_returns_only_the_rows_it_inserted(cast):
    first = insert_new([_row(cast, "a"), _row(cast, "b")], returning=("external_id",))
    again = insert_new([_row(cast, "b"), _row(cast, "c")], returning=("external_id",))
    assert sorted(first) == [("a",), ("b",)] and again == [("c",)]
    assert Suggestion.objects.count() == 3


def test_it_fills_defaults_and_chunks(cast):
    rows = [_row(cast, str(i)) for i in range(25)]
    assert len(insert_new(rows, returning=("receipt",), chunk=10)) == 25
    stored = Suggestion.objects.get(external_id="7")
    assert stored.status == "received" and stored.received_at is not None


def test_large_chunks_take_the_same_rows_as_small_ones(cast):
    rows = [_row(cast, f"big-{i}") for i in range(60)]
    assert len(insert_new(rows, returning=("external_id",), chunk=50)) == 60
    assert len(insert_new([_row(cast, f"big-{i}") for i in range(55, 65)], returning=("external_id",))) == 5
    assert Suggestion.objects.filter(external_id__startswith="big-").count() == 65
