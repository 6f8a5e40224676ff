import pytest


@pytest.fixture
def routed(cast):
    """A suggestion as the handling loop sees it: submitted, then dispatched to a department (its clock runs)."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit

    def make(text="建议在学校门口增设人行横道", department=None, contact=""):
        s = suggestion_submit(campaign=cast.campaign, text=text, contact=contact)
        return suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=department or cast.dept_a)

    return make
