"""Forms only parse and show input; the rules (checksum, scope, states) live in the services. A form may run a
service's own check of one field beside its others, so that a page names every mistake in one round."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import Area
from minsheng.assistance.idcrypto import id_number_clean
from minsheng.assistance.models import Category, Communication, Need, NeedType, Urgency, phone_validator
from minsheng.assistance.services.recipients import CONSENT_MISSING
from minsheng.forms import TypedDateTimeField


class RecipientForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    id_number = forms.CharField(label=gettext_lazy("身份证号"), max_length=20, help_text=gettext_lazy("18位，加密保存，列表中只显示前4位和后4位"))
    area = forms.ModelChoiceField(label=gettext_lazy("所在村/社区"), queryset=Area.objects.none(), empty_label=gettext_lazy("请选择村/社区"))
    category = forms.ChoiceField(label=gettext_lazy("救助类别"), choices=Category.choices)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=gettext_lazy("住址"), max_length=200, required=False)
    household_size = forms.IntegerField(label=gettext_lazy("家庭人口"), min_value=1, max_value=30, initial=1)
    household_note = forms.CharField(label=gettext_lazy("家庭情况"), max_length=300, required=False,
                                     widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：独居，子女在广东务工")}))
    guardian_name = forms.CharField(label=gettext_lazy("监护人/亲属姓名"), max_length=50, required=False)
    guardian_relation = forms.CharField(label=gettext_lazy("关系"), max_length=20, required=False)
    guardian_phone = forms.CharField(label=gettext_lazy("亲属电话"), max_length=30, required=False)
    consent = forms.BooleanField(label=gettext_lazy("本人或监护人已同意登记"), required=False)
    consent_note = forms.CharField(label=gettext_lazy("同意方式"), max_length=200, required=False,
                                   widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：本人口头同意，村干部在场")}))

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].validators.append(id_number_clean)
        field = self.fields["area"]
        field.queryset = areas if areas is not None else Area.objects.none()
        only = list(field.queryset[:2])
        if len(only) == 1:  # a village cadre's own village: nothing to choose
            field.initial, field.empty_label = only[0].pk, None


    def clean(self):
        """A name left blank, a mistyped ID number and phone, consent not ticked: one round names them all (it took
        four, the service's checks being reached one by one). The service still decides."""
        data = super().clean()
        if not data.get("consent"):
            self.add_error("consent", CONSENT_MISSING)
        return data

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"])

    def clean_guardian_phone(self) -> str:
        return _phone(self.cleaned_data["guardian_phone"])


def _phone(value: str) -> str:
    """A number as people read it out, in groups (139 1962 1600, 139-1962-1600), is the number: spaces go, and a
    mobile's dashes; a landline keeps the dash after its area code (0734-8123456). Then the model's check."""
    value = "".join(value.split())
    bare = value.replace("-", "")
    value = bare if len(bare) == 11 and bare.startswith("1") and bare.isdigit() else value
    if value:
        phone_validator(value)
    return value


class NeedForm(forms.Form):
    need_type = forms.ChoiceField(label=gettext_lazy("需求类型"), choices=NeedType.choices)
    urgency = forms.ChoiceField(label=gettext_lazy("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    description = forms.CharField(label=gettext_lazy("需求描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    goal = forms.CharField(label=gettext_lazy("期望效果（回访时核对）"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：能用微信和子女视频通话")}))
    channel = forms.ChoiceField(label=gettext_lazy("来源"), choices=[c for c in Need.Channel.choices if c[0] != "self"])


class SelfNeedForm(forms.Form):
    need_type = forms.ChoiceField(label=gettext_lazy("需要什么帮助"), choices=NeedType.choices)
    description = forms.CharField(label=gettext_lazy("说一说具体情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class CommunicationForm(forms.Form):
    mode = forms.ChoiceField(label=gettext_lazy("沟通方式"), choices=Communication.Mode.choices)
    agreed = forms.CharField(label=gettext_lazy("沟通内容与约定"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("谈了什么、对象的意愿、约定的服务方式"))
    appointment_at = TypedDateTimeField(label=gettext_lazy("约定上门时间（可选）"), required=False,
                                        help_text=gettext_lazy("派单时按服务人员的可服务时间排序，服务人员接单时也能看到"))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("拒单理由"), max_length=300)


class CheckinForm(forms.Form):
    """The phone's position fills lat/lon/accuracy (hidden, see checkin.js); the place in words is the fallback."""

    # the hint in the label, not the placeholder: a phone's box cut it at 无法定位时请…
    place = forms.CharField(label=gettext_lazy("签到地点（定位成功可不填）"), max_length=200, required=False,
                            widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：李奶奶家")}))
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    accuracy = forms.FloatField(required=False, widget=forms.HiddenInput)
    photo = forms.FileField(label=gettext_lazy("现场照片（可选）"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                                   "capture": "environment"}))


class CheckoutForm(forms.Form):
    place = forms.CharField(label=gettext_lazy("签退地点"), max_length=200)
    work_done = forms.CharField(label=gettext_lazy("服务内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.CharField(label=gettext_lazy("服务效果"), max_length=500, required=False)
    finish = forms.BooleanField(label=gettext_lazy("服务已完成，提交回访"), required=False)


class FeedbackForm(forms.Form):
    satisfaction = forms.TypedChoiceField(label=gettext_lazy("满意度"), coerce=int, widget=forms.RadioSelect,
                                          choices=[(5, gettext_lazy("5 非常满意")), (4, gettext_lazy("4 满意")), (3, gettext_lazy("3 一般")), (2, gettext_lazy("2 不满意")),
                                                   (1, gettext_lazy("1 很不满意"))])
    comment = forms.CharField(label=gettext_lazy("对象的原话/评价"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    # Asked only of a need with a goal, and then answered: it opened on 不适用, so a skipped question recorded "not
    # applicable" for a goal that exists. 暂未核对 is said outright and stored as no answer (None), which the
    # dashboard's 效果达成率 leaves out as it leaves out a goal nobody asked about.
    goal_achieved = forms.TypedChoiceField(label=gettext_lazy("期望效果是否达成"), empty_value=None,
                                           coerce=lambda v: {"yes": True, "no": False}.get(v),
                                           choices=[("", gettext_lazy("请选择")), ("yes", gettext_lazy("是")), ("no", gettext_lazy("否")),
                                                    ("unchecked", gettext_lazy("暂未核对"))])

    def __init__(self, *args, asks_goal: bool = False, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not asks_goal:  # no goal to check: no question, no answer recorded
            del self.fields["goal_achieved"]
        elif own:
            # Her own rating (the slip's link, 我的救助) asks her, in her words, whether the goal was reached: she is
            # the one who knows whether she can now call her son, and a need closed by her rating alone left
            # 期望效果达成率 at —. Not answering is allowed (an elderly person may stop at the stars): no answer.
            field = self.fields["goal_achieved"]
            field.required, field.widget = False, forms.RadioSelect()
            field.choices = [("yes", gettext_lazy("做到了")), ("no", gettext_lazy("还没有")),
                             ("unchecked", gettext_lazy("说不清"))]


REVEAL_REASONS = [(gettext_lazy("办理救助业务，核对身份"), gettext_lazy("办理救助业务，核对身份")), (gettext_lazy("上门服务前核实身份"), gettext_lazy("上门服务前核实身份")),
                  (gettext_lazy("审核申请材料"), gettext_lazy("审核申请材料")), (gettext_lazy("配合监督检查"), gettext_lazy("配合监督检查")), (gettext_lazy("其他"), gettext_lazy("其他（请在说明中写明）"))]


class RevealForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("查看事由"), choices=REVEAL_REASONS)
    purpose = forms.CharField(label=gettext_lazy("具体说明"), max_length=300,
                              widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：办理低保年审")}))

    def stated(self) -> str:
        """The purpose as it goes into the audit trail: the reason chosen, then the reader's own words."""
        return f"{self.cleaned_data['reason']}：{self.cleaned_data['purpose'].strip()}"
