"""Partner API views: parse, authenticate, call one service, answer JSON.

Errors always have the shape ``{"error": {"code", "message", "field"?}}`` and a 4xx status that says whose
fault it is; nothing is stored unless a 2xx is sent, and everything acknowledged is committed first.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from minsheng.consultation._db.ratelimit import rate_hit
from minsheng.consultation.intake.api.errors import json_error as error
from minsheng.consultation.intake.models import Channel, Suggestion
from minsheng.consultation.intake.receipts import display_receipt, normalise_receipt
from minsheng.consultation.intake.selectors import channel_for_key
from minsheng.consultation.intake.services import CampaignClosed, suggestions_ingest


def _authenticate(request: HttpRequest, slug: str) -> Channel | JsonResponse:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return error(401, "unauthorized", gettext("缺少 API 密钥：请使用 Authorization: Bearer <key>"),
                     headers={"WWW-Authenticate": "Bearer"})
    channel = channel_for_key(key.strip())
    if channel is None:
        return error(401, "invalid_key", gettext("API 密钥无效"), headers={"WWW-Authenticate": "Bearer"})
    if not channel.is_active:
        return error(403, "key_revoked", gettext("该 API 密钥已被吊销"))
    if channel.campaign.slug != slug:  # another campaign, private or not, is as unknown as a missing one
        return error(404, "campaign_not_found", gettext("征集活动 {slug} 不存在").format(slug=slug))
    return channel


def _status_body(suggestion: Suggestion) -> dict:
    """What a partner reads back of its own suggestion: every field it sent that the platform keeps (``likes`` as
    stored, the count after ``1.2万`` was read), and where it stands."""
    return {"receipt": display_receipt(suggestion.receipt), "external_id": suggestion.external_id, "status": suggestion.status,
            "status_label": suggestion.get_status_display(), "campaign": suggestion.campaign.slug,
            "received_at": suggestion.received_at.isoformat(), "likes": suggestion.likes,
            "department": suggestion.department.name if suggestion.department_id else None}


def _json_problem(exc: json.JSONDecodeError) -> str:
    """Where the body breaks and why, in Chinese: the parser's own message is English and Python's."""
    why = {"Expecting value": gettext("缺少值"),
           "Expecting property name enclosed in double quotes": gettext("缺少用双引号括起的字段名"),
           "Expecting ':' delimiter": gettext("缺少冒号"), "Expecting ',' delimiter": gettext("缺少逗号"),
           "Unterminated string starting at": gettext("字符串没有结束的双引号"),
           "Invalid control character at": gettext("字符串中有未转义的控制字符"),
           "Extra data": gettext("JSON 结束后还有多余内容")}.get(exc.msg, gettext("格式错误"))
    return gettext("请求体不是合法的 JSON：第 {line} 行第 {column} 列附近有误（{why}）").format(
        line=exc.lineno, column=exc.colno, why=why)


@csrf_exempt
def suggestions(request: HttpRequest, slug: str) -> JsonResponse:
    """POST one suggestion or a batch; GET ?external_id= to find what a retry already stored."""
    if request.method not in ("POST", "GET"):
        return error(405, "method_not_allowed", gettext("只支持 GET 和 POST"), headers={"Allow": "GET, POST"})
    channel = _authenticate(request, slug)
    if isinstance(channel, JsonResponse):
        return channel
    if request.method == "GET":
        external_id = request.GET.get("external_id", "").strip()
        if not external_id:
            return error(400, "required", gettext("请在查询参数中给出 external_id，例如 ?external_id=weibo-000123"),
                         field="external_id")
        found = channel.suggestions.select_related("campaign", "department").filter(external_id=external_id).first()
        if found is None:
            return error(404, "not_found", gettext("未找到该 external_id 对应的建议"), field="external_id")
        return JsonResponse(_status_body(found), json_dumps_params={"ensure_ascii": False})
    return _post(request, channel)


def _post(request: HttpRequest, channel: Channel) -> JsonResponse:
    too_large = error(413, "payload_too_large", gettext("请求体不能超过 {API_MAX_BODY_BYTES} 字节").format(API_MAX_BODY_BYTES=settings.API_MAX_BODY_BYTES))
    try:
        body = request.body
    except RequestDataTooBig:
        return too_large
    if len(body) > settings.API_MAX_BODY_BYTES:
        return too_large
    try:
        payload = json.loads(body)
    except RecursionError:
        return error(400, "invalid_json", gettext("请求体的 JSON 嵌套过深"))
    except UnicodeDecodeError as exc:
        return error(400, "invalid_json", gettext("请求体必须是 UTF-8 编码：第 {n} 个字节无法按 UTF-8 读取").format(
            n=exc.start + 1))
    except json.JSONDecodeError as exc:
        return error(400, "invalid_json", _json_problem(exc))
    single = isinstance(payload, dict) and "items" not in payload
    items = [payload] if single else payload.get("items") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        return error(400, "invalid_payload", gettext("请求体应为一条建议对象、建议数组或 {\"items\": [...]}"), field="items")
    if not items:
        return error(400, "empty_batch", gettext("批次不能为空"), field="items")
    if len(items) > settings.API_BATCH_MAX:
        return error(413, "batch_too_large", gettext("每批最多 {API_BATCH_MAX} 条，本批 {value} 条").format(API_BATCH_MAX=settings.API_BATCH_MAX, value=len(items)),
                     field="items")
    decision = rate_hit(key=f"channel:{channel.pk}", limit=channel.rate_per_minute, cost=len(items))
    if not decision.allowed:
        return error(429, "rate_limited", gettext("超过该渠道的频率限制（每分钟 {rate_per_minute} 条）").format(rate_per_minute=f"{channel.rate_per_minute:,}"),
                     headers={"Retry-After": str(decision.retry_after)})
    try:
        results = suggestions_ingest(channel=channel, items=items)
    except CampaignClosed:
        return error(409, "campaign_closed", gettext("该征集活动当前不接收建议"))
    if single:
        result = results[0]
        if result.error:
            err = result.error
            return error(422, err.code, err.message, field=err.field)
        return JsonResponse(result.as_dict(), status=201 if result.created else 200)
    body = {
        "created": sum(r.created for r in results),
        "duplicates": sum(1 for r in results if r.receipt and not r.created),
        "errors": sum(1 for r in results if r.error),
        "results": [r.as_dict() for r in results],
    }
    return JsonResponse(body, status=200, json_dumps_params={"ensure_ascii": False})


def suggestion_status(request: HttpRequest, slug: str, receipt: str) -> JsonResponse:
    """Status of one suggestion of the caller's channel, by receipt code."""
    if request.method != "GET":
        return error(405, "method_not_allowed", gettext("只支持 GET"), headers={"Allow": "GET"})
    channel = _authenticate(request, slug)
    if isinstance(channel, JsonResponse):
        return channel
    found = channel.suggestions.select_related("campaign", "department").filter(
        receipt=normalise_receipt(receipt)).first()
    if found is None:
        return error(404, "not_found", gettext("未找到该回执码（只能查询本渠道提交的建议）"), field="receipt")
    return JsonResponse(_status_body(found), json_dumps_params={"ensure_ascii": False})
