"""A static file edited while the server runs is served whole: whitenoise described it (size, ETag) once at start
and sent the new bytes under the old Content-Length, cut (or waiting for bytes that never come)."""

from __future__ import annotations

import os

from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils.module_loading import import_string


def _static_middleware():
    [path] = [m for m in settings.MIDDLEWARE if "whitenoise" in m.lower() or "static" in m.lower()]
    return import_string(path)(get_response=lambda request: HttpResponse("不是静态文件", status=404))


def _get(middleware, url: str):
    response = middleware(RequestFactory().get(url))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_an_edited_static_file_is_served_whole_with_its_new_length_and_etag(tmp_path):
    script = tmp_path / "page.js"
    script.write_bytes(b"console.log(1);\n")
    with override_settings(WHITENOISE_ROOT=str(tmp_path), WHITENOISE_AUTOREFRESH=False):
        middleware = _static_middleware()
        first, body = _get(middleware, "/page.js")
        assert body == b"console.log(1);\n" and first["Content-Length"] == str(len(body))
        edited = "// 编辑后更长的脚本\nconsole.log('whole');\n".encode()
        script.write_bytes(edited)
        st = script.stat()
        os.utime(script, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # coarse clocks: a visible change
        second, body = _get(middleware, "/page.js")
        assert body == edited and second["Content-Length"] == str(len(edited))
        assert second["ETag"] != first["ETag"]
        script.unlink()
        gone, _ = _get(middleware, "/page.js")
        assert gone.status_code == 404
