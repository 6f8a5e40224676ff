"""Forms of the consultation pages; they only parse input, the services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.forms.utils import ErrorList
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import Organisation
from minsheng.consultation.intake.clean import MIN_WORD_CHARS, visible_length, word_count
from minsheng.consultation.intake.contact import contact_problem
from minsheng.consultation.intake.models import Campaign
from minsheng.engine.ingest import SUFFIXES
from minsheng.forms import TypedDateTimeField


class _VisibleMaxLength(MaxLengthValidator):
    def clean(self, x: str) -> int:
        return visible_length(x)


class SuggestionText(forms.CharField):
    """A suggestion's text as its box holds it: a line break is one character (browsers send two, CR LF), and
    the length is counted as the counter under the box and the service count it (characters after NFKC), so
    every message about it gives one number. Django's count took a text of 4,994 characters in 555 lines for
    5,548 and refused it while the counter said 6 more could be written."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [_VisibleMaxLength(v.limit_value) if isinstance(v, MaxLengthValidator) else v
                           for v in self.validators]

    def to_python(self, value) -> str:
        return super().to_python(value).replace("\r\n", "\n")


class SuggestionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题（可选）"), max_length=200, required=False)
    text = SuggestionText(label=gettext_lazy("您的建议"), widget=forms.Textarea(attrs={"rows": 7}),
                           max_length=settings.SUGGESTION_MAX_CHARS,
                           error_messages={"required": gettext_lazy("请填写建议内容")})
    region = forms.CharField(label=gettext_lazy("所在地区（可选）"), max_length=100, required=False)
    # Only read to send the answer (no page shows it to anyone): a 微信 or QQ id was taken, and the receipt then
    # promised a notice no message could bring.
    contact = forms.CharField(label=gettext_lazy("联系方式（可选，手机号或邮箱，部门答复后通知您，加密保存）"), max_length=200,
                              required=False)
    author_name = forms.CharField(label=gettext_lazy("署名（可选）"), max_length=100, required=False)
    answer = forms.CharField(label=gettext_lazy("验证"), max_length=5, error_messages={"required": gettext_lazy("请回答验证问题")})
    token = forms.CharField(widget=forms.HiddenInput)
    # A honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1",
                                                                            "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength in the page: the browser would cut a pasted text at the limit without a word. The
        # counter under the box warns instead, and the server says how much is too much.
        self.fields["text"].widget.attrs.pop("maxlength", None)
        self.fields["text"].widget.attrs.update({"data-max": settings.SUGGESTION_MAX_CHARS,
                                                 "aria-describedby": "text-count"})

    def length_error(self) -> str:
        """The server's "too long", said by the counter under the box (which ``campaign.js`` then keeps up to
        date as the person cuts): one line about the length, not the counter's and the same again under it."""
        return " ".join(m for e in self.errors.get("text", ErrorList()).as_data() if e.code == "max_length"
                        for m in e.messages)

    def text_errors_besides_length(self) -> ErrorList:
        return ErrorList([e for e in self.errors.get("text", ErrorList()).as_data() if e.code != "max_length"])

    def clean_contact(self) -> str:
        contact = self.cleaned_data["contact"].strip()
        if contact_problem(contact):  # the partner API's check; its words here are the writer's
            raise forms.ValidationError(_("请填写手机号或电子邮箱，部门答复后会按它通知您；不需要通知可以留空。"))
        return contact

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("请填写建议内容"))
        words = word_count(text)
        if 0 < words < MIN_WORD_CHARS:  # none at all (emoji only) has its own message from the service
            raise forms.ValidationError(_("建议内容太短：请至少写 {min} 个字，把问题和您的建议说清楚（现在是 {n} 个字）。")
                                        .format(min=MIN_WORD_CHARS, n=words))
        return text


class CategoriesField(forms.CharField):
    """A campaign's 分类 (a JSON list of names in the database) as a text box with one category a line: the
    admin showed the list as raw JSON ("[]"). Blank lines and spaces around a name are dropped; a name too long
    or given twice is refused in words that say which field and which line."""

    MAX_LENGTH, MAX_COUNT = 30, 200

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("分类"))
        kwargs.setdefault("help_text", gettext_lazy("每行一个分类，可留空；空行和首尾空格会被忽略"))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, (list, tuple)):
            return [str(v).strip() for v in value if str(v).strip()]
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value: list[str]) -> None:
        errors, seen = [], set()
        for name in value:
            if len(name) > self.MAX_LENGTH:
                errors.append(_("分类“{name}”超过 {n} 个字").format(name=name[:10] + "…", n=self.MAX_LENGTH))
            elif name in seen:
                errors.append(_("分类“{name}”重复了").format(name=name))
            seen.add(name)
        if len(value) > self.MAX_COUNT:
            errors.append(_("分类最多 {n} 个（现在 {count} 个）").format(n=self.MAX_COUNT, count=len(value)))
        if errors:
            raise forms.ValidationError(errors)

    def has_changed(self, initial, data) -> bool:
        return self.to_python(initial) != self.to_python(data)


class ReceiptLookupForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("回执码"), max_length=20)


class CampaignForm(forms.ModelForm):
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("承办部门"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT))
    taxonomy_text = CategoriesField(label=gettext_lazy("分类（每行一个，可选）"), help_text="",
                                    widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Campaign
        fields = ["slug", "title", "question", "description", "opens_at", "closes_at", "is_public"]
        field_classes = {"opens_at": TypedDateTimeField, "closes_at": TypedDateTimeField}
        widgets = {"question": forms.Textarea(attrs={"rows": 3}),
                   "description": forms.Textarea(attrs={"rows": 3})}
        # The slug becomes the public page's address: say so, and what it may hold, before anyone types Chinese.
        help_texts = {"slug": gettext_lazy("公开页面的网址 /c/网址标识/，只能用英文字母、数字、连字符和下划线，如 plan2021")}
        error_messages = {"slug": {"invalid": gettext_lazy("网址标识只能用英文字母、数字、连字符（-）和下划线（_），如 plan2021")}}


class ChannelForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("渠道编码"), max_length=40)
    name = forms.CharField(label=gettext_lazy("渠道名称"), max_length=100)
    partner = forms.ModelChoiceField(label=gettext_lazy("合作单位"), required=False,
                                     queryset=Organisation.objects.filter(kind=Organisation.Kind.PARTNER))
    rate_per_minute = forms.IntegerField(label=gettext_lazy("每分钟上限（条）"), min_value=1, initial=120_000)


class ImportUploadForm(forms.Form):
    """The picker offers the endings the reader takes (:data:`~minsheng.engine.ingest.SUFFIXES`), no other list."""

    file = forms.FileField(label=gettext_lazy("文件"), widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}))
    kinds = " ".join(SUFFIXES)
