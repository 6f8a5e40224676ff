"""make run ends with one block: the address, every demo person's login and where they click first."""

from __future__ import annotations

import os

from minsheng.demo.accounts import PEOPLE
from minsheng.demo.management.commands.seed_demo import logins_block


def test_the_block_names_every_person_with_a_password_and_a_first_click():
    people = [p[0] for p in PEOPLE] + ["elder"]
    passwords = {u: f"pw-{u}-9" for u in people}
    block = logins_block(site="http://127.0.0.1:8000", slug="plan2020", passwords=passwords, keys={"新华网": "msk_x"})
    lines = block.splitlines()
    assert lines[1].startswith("Minsheng (民声) demo: http://127.0.0.1:8000/")
    for username in people:
        at = next(i for i, line in enumerate(lines) if line.split()[:2] == [username, passwords[username]])
        assert lines[at + 1].strip().startswith("→ "), username
    assert "/manage/c/plan2020/analysis/" in block and "新华网: msk_x" in block


def test_no_person_is_named_twice():
    """The admin's line read 平台管理员 · 平台管理员: the role and the display name are the same words."""
    people = [p[0] for p in PEOPLE] + ["elder"]
    block = logins_block(site="http://x", slug="plan2020", passwords={u: "pw" for u in people}, keys={})
    admin = next(line for line in block.splitlines() if line.split()[:1] == ["admin"])
    assert admin.count("平台管理员") == 1


def test_the_logins_name_the_address_the_site_is_served_at(monkeypatch, tmp_path):
    """make run's seed wrote http://127.0.0.1:8000 into the block whatever port `serve` then used, and so did every
    receipt link in an e-mail: both follow the served address unless MINSHENG_SITE_URL says otherwise."""
    from minsheng.commands.serve import served_site, welcome_text
    from minsheng.demo.management.commands.seed_demo import SITE

    monkeypatch.delenv("MINSHENG_SITE_URL", raising=False)
    served_site("127.0.0.1", 8765)
    assert os.environ["MINSHENG_SITE_URL"] == "http://127.0.0.1:8765"
    path = tmp_path / "logins.txt"
    passwords = {u: "pw" for u in [p[0] for p in PEOPLE] + ["elder"]}
    path.write_text(logins_block(site=SITE, slug="plan2020", passwords=passwords, keys={}), encoding="utf-8")
    shown = welcome_text(path, os.environ["MINSHENG_SITE_URL"])
    assert "http://127.0.0.1:8765/accounts/login/" in shown and ":8000" not in shown and SITE not in shown
    monkeypatch.setenv("MINSHENG_SITE_URL", "https://minsheng.example.gov.cn")
    served_site("127.0.0.1", 8765)
    assert os.environ["MINSHENG_SITE_URL"] == "https://minsheng.example.gov.cn"


def test_the_demo_admin_is_greeted_by_name_once(client, db):
    """Signed in, the demo admin's workbench read 平台管理员 · 平台管理员 (the display name was the role's own words)
    and the admin site 欢迎， admin (the login name). The admin is a person with a name, as every demo user is."""
    from minsheng.accounts.models import User
    from minsheng.demo.accounts import seed_accounts

    seed_accounts(departments=["交通运输局"], partners=[])
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    workbench = client.get("/manage/").content.decode()
    assert "平台管理员 · 平台管理员" not in workbench and f"{admin.display_name} · 平台管理员" in workbench
    assert "平台管理员" not in admin.display_name
    page = client.get("/admin/").content.decode()
    assert admin.display_name in page.split("欢迎")[1][:200]
