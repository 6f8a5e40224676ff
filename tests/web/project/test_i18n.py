"""Every browser is answered in Chinese, and Django's stock messages read as we worded them (compiled catalogue)."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.django_db
def test_an_english_browser_is_answered_in_chinese(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.parametrize(("field", "value", "expected"), [
    (forms.CharField(max_length=5), "一二三四五六", "最多 5 个字，现在是 6 个字，请删减后再提交。"),
    (forms.SlugField(), "民 声", "只能使用英文字母、数字、下划线（_）和连字符（-）。"),
    (forms.CharField(), "", "此项必填。"),
])
def test_stock_messages_are_reworded(field, value, expected):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        field.clean(value)
    assert caught.value.messages == [expected]


@pytest.mark.django_db
def test_the_admin_names_the_sign_in_guard_and_the_task_queue_in_chinese(client, cast):
    """django-axes and django-tasks-db ship no Chinese: the admin listed AXES · Access attempts among Chinese."""
    import re

    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    client.force_login(cast.owner)
    html = client.get("/admin/").content.decode()
    assert "登录防护" in html and "后台任务" in html and "登录尝试" in html and "任务结果" in html
    assert not re.search(r"Access (attempts|failures|logs)|Task Results|Tasks Database|Model name", html)
    listing = client.get("/admin/axes/accessattempt/").content.decode()
    assert "尝试时间" in listing and "已锁定" in listing and not re.search(r"Attempt Time|Locked Out", listing)


@pytest.mark.django_db
def test_every_field_and_column_of_the_admin_is_named_in_chinese(rf, cast):
    """Fields without a verbose name reached the admin as Django spells them from the code: a suggestion's page
    said "Contact encrypted", "External id", "Import job"; an import's every field was English."""
    import re

    from django.contrib import admin
    from django.contrib.admin.utils import flatten_fieldsets, label_for_field

    cast.owner.is_staff = cast.owner.is_superuser = True
    request = rf.get("/admin/")
    request.user = cast.owner
    english = []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("minsheng."):
            continue
        names = [*flatten_fieldsets(model_admin.get_fieldsets(request)), *model_admin.get_readonly_fields(request),
                 *(n for n in model_admin.get_list_display(request) if n != "__str__"),
                 *(f for f in model_admin.get_list_filter(request) if isinstance(f, str))]
        form = model_admin.get_form(request)()
        labels = {name: form.fields[name].label if name in form.fields else label_for_field(name, model, model_admin)
                  for name in names}
        english += [f"{model.__name__}.{name}" for name, label in labels.items()
                    if not re.search(r"[\u4e00-\u9fff]", str(label))]
    assert english == []


@pytest.mark.django_db
def test_a_users_page_in_the_admin_lists_permissions_in_chinese(client, cast):
    """Every model of ours is named in Chinese, and a user's page listed a hundred "Can add suggestion reply"
    (Django keeps permission names in English): each reads as its model and action, 建议的答复 · 添加."""
    import re

    from django.apps import apps

    unnamed = [m.__name__ for m in apps.get_models() if m.__module__.startswith("minsheng.")
               and not re.search(r"[\u4e00-\u9fff]", str(m._meta.verbose_name))]
    assert unnamed == []
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    client.force_login(cast.owner)
    for path, name in ((f"/admin/accounts/user/{cast.citizen.pk}/change/", "user_permissions"),
                       ("/admin/auth/group/add/", "permissions")):  # a group's page listed them in English still
        page = client.get(path).content.decode()
        options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', page[page.index(f'name="{name}"'):])
        assert options and "建议的答复 · 添加" in options, path
        assert not [o for o in options if o.startswith("Can ")], path
