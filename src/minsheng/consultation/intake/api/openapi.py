"""The OpenAPI 3 description of the partner API, written by hand next to the views it describes."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from minsheng.consultation.intake.clean import LIKES_MAX, MIN_WORD_CHARS


def _error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def schema() -> dict:
    item = {
        "type": "object", "required": ["text", "external_id"],
        "properties": {
            "external_id": {"type": "string", "maxLength": 100,
                            "description": _("渠道自己的编号；同一编号重试不会产生重复，同一编号配另一段内容会被拒绝（external_id_conflict）")},
            # minLength is what a schema can say of the rule (each letter or digit is a character at least);
            # the description says the rest: punctuation, blanks and emoji do not count.
            "text": {"type": "string", "minLength": MIN_WORD_CHARS, "maxLength": settings.SUGGESTION_MAX_CHARS,
                     "description": _("建议内容，至少 {min} 个文字或数字（标点、空格和表情不计，与公开页相同；不足时返回 422，错误码 too_short）；个人信息会被自动脱敏").format(
                         min=MIN_WORD_CHARS)},
            "title": {"type": "string", "maxLength": 200},
            "region": {"type": "string", "maxLength": 100},
            "contact": {"type": "string", "maxLength": 200, "description": _("联系方式：手机号或电子邮箱，部门答复后按它通知，加密保存；其他写法（微信号、平台用户编号）无法通知，这一条返回 422，错误码 unreachable_contact；不需要通知请不填")},
            "author_name": {"type": "string", "maxLength": 100},
            "submitted_at": {"type": "string", "format": "date-time"},
            "likes": {"oneOf": [{"type": "integer", "minimum": 0, "maximum": LIKES_MAX}, {"type": "string"}],
                      "description": _("点赞数（支持数），计入热点排序；整数，或文件导入中那样的写法，如“1,234”“1.2万”；缺省为 0")},
        },
        "example": {"external_id": "weibo-000123", "text": _("建议增加公交线路"), "region": _("珠晖区"), "likes": 35},
    }
    receipt = {"type": "string", "pattern": "^[2-9A-HJKMNP-Y]{5}-[2-9A-HJKMNP-Y]{5}$", "example": "3NE4J-YYTCV",
               "description": _("回执码，与市民在回执页、短信中看到的写法相同（五位-五位）；查询时带不带连字符、大小写均可")}
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
            "description": _("征集活动代码：公开页地址 /c/代码/ 中的那一段，工作台“我的渠道”里可见")}
    # What any operation may answer: a query the site refuses outright (a NUL in any parameter), no or a bad key,
    # a revoked one, an unknown campaign, the database away.
    common = {"400": _error_response(_("请求参数无效")), "401": _error_response(_("缺少或无效的密钥")), "403": _error_response(_("密钥已吊销")),
              "404": _error_response(_("活动或建议不存在")), "405": _error_response(_("不支持的方法")),
              "503": _error_response(_("服务暂时不可用（见 Retry-After）"))}
    return {
        "openapi": "3.0.3",
        "info": {"title": _("民声 建言征集 合作渠道接口"), "version": "1.0.0",
                 "description": _("合作渠道以 Bearer 密钥推送建议；单条或批量（每批最多 {API_BATCH_MAX} 条），按 external_id 幂等。").format(API_BATCH_MAX=f"{settings.API_BATCH_MAX:,}")},
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "SuggestionIn": item,
                "Batch": {"type": "object", "required": ["items"], "properties": {
                    "items": {"type": "array", "minItems": 1, "maxItems": settings.API_BATCH_MAX,
                              "items": {"$ref": "#/components/schemas/SuggestionIn"}}}},
                "ItemError": {"type": "object", "properties": {
                    "code": {"type": "string"}, "field": {"type": "string", "nullable": True},
                    "message": {"type": "string"}}},
                "ItemResult": {"type": "object", "required": ["index", "ok"], "properties": {
                    "index": {"type": "integer"}, "ok": {"type": "boolean"},
                    "external_id": {"type": "string", "nullable": True}, "receipt": receipt,
                    "created": {"type": "boolean"}, "status": {"type": "string"},
                    "error": {"$ref": "#/components/schemas/ItemError"}}},
                "BatchResult": {"type": "object", "required": ["created", "duplicates", "errors", "results"],
                                "properties": {
                    "created": {"type": "integer"}, "duplicates": {"type": "integer"},
                    "errors": {"type": "integer"},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/ItemResult"}}}},
                "Status": {"type": "object", "properties": {
                    "receipt": receipt, "external_id": {"type": "string", "nullable": True},
                    "status": {"type": "string"}, "status_label": {"type": "string"},
                    "campaign": {"type": "string"}, "received_at": {"type": "string", "format": "date-time"},
                    "likes": {"type": "integer", "minimum": 0, "description": _("点赞数：提交时给出的数，已按文件导入的读法换算（“1.2万”为 12000）")},
                    "department": {"type": "string", "nullable": True}}},
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}}},
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/campaigns/{slug}/suggestions": {
                "post": {
                    "summary": _("提交一条或一批建议"),
                    "parameters": [slug],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
                        {"$ref": "#/components/schemas/SuggestionIn"},
                        {"$ref": "#/components/schemas/Batch"},
                        {"type": "array", "minItems": 1, "maxItems": settings.API_BATCH_MAX,
                         "items": {"$ref": "#/components/schemas/SuggestionIn"}}]}}}},
                    "responses": {
                        **common,
                        "201": {"description": _("单条：新建"), "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/ItemResult"}}}},
                        "200": {"description": _("单条：重试命中已有建议；批量：逐条结果"), "content": {
                            "application/json": {"schema": {"anyOf": [
                                {"$ref": "#/components/schemas/ItemResult"},
                                {"$ref": "#/components/schemas/BatchResult"}]}}}},
                        "400": _error_response(_("JSON 无效或结构错误")),
                        "401": _error_response(_("缺少或无效的密钥")),
                        "403": _error_response(_("密钥已吊销或不属于该活动")),
                        "404": _error_response(_("活动不存在")),
                        "409": _error_response(_("活动未开放")),
                        "413": _error_response(_("批次或请求体过大")),
                        "422": _error_response(_("单条建议内容不合格")),
                        "429": _error_response(_("超过频率限制（见 Retry-After）")),
                    },
                },
                "get": {
                    "summary": _("按 external_id 查询本渠道的建议"),
                    "parameters": [slug, {"name": "external_id", "in": "query", "required": True,
                                          "schema": {"type": "string"}}],
                    "responses": {**common, "200": {"description": _("状态"), "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Status"}}}}},
                },
            },
            "/api/v1/campaigns/{slug}/suggestions/{receipt}": {
                "get": {
                    "summary": _("按回执码查询状态"),
                    "parameters": [slug, {"name": "receipt", "in": "path", "required": True,
                                          "schema": {"type": "string"}, "example": "3NE4J-YYTCV",
                                          "description": _("回执码：3NE4J-YYTCV 或 3NE4JYYTCV 均可")}],
                    "responses": {**common, "200": {"description": _("状态"), "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Status"}}}}},
                },
            },
        },
    }


def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(schema(), json_dumps_params={"ensure_ascii": False, "indent": 1})
