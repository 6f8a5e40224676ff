"""insert_new: one statement that inserts what is new and says which rows those were."""

from __future__ import annotations

from minsheng.consultation.bulk import insert_new
from minsheng.consultation.models import Suggestion
from minsheng.consultation.receipts import new_receipt


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
