"""Static files (whitenoise) that stay whole when edited while the server runs.

Whitenoise reads each file's size, time and ETag once, at start, and opens the file at each request: a file edited
since was sent with its old Content-Length (gunicorn cut a longer file there, a browser met a script ending in the
middle of a line) and its old ETag (a browser kept the old copy on a 304). Whitenoise's own cure, autorefresh, looks
every file up through the finders at each request and is meant for DEBUG only; here one ``os.stat`` per static
request (a few microseconds) notices a change and describes the file again.
"""

from __future__ import annotations

import os

from whitenoise.middleware import WhiteNoiseMiddleware


def _signature(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def __init__(self, *args, **kwargs):
        self._described: dict[str, tuple[str, tuple[int, int]]] = {}  # url -> (path, its size and time when described)
        super().__init__(*args, **kwargs)

    def get_static_file(self, path, url, stat_cache=None):
        static_file = super().get_static_file(path, url, stat_cache=stat_cache)
        st = stat_cache[path] if stat_cache and path in stat_cache else os.stat(path)
        self._described[url] = (path, (st.st_size, st.st_mtime_ns))
        return static_file

    def __call__(self, request):
        described = None if self.autorefresh else self._described.get(request.path_info)
        if described is not None:
            path, seen = described
            try:
                now = _signature(path)
            except OSError:  # removed since: not served any more
                self.files.pop(request.path_info, None)
                self._described.pop(request.path_info, None)
            else:
                if now != seen:
                    self.files[request.path_info] = self.get_static_file(path, request.path_info)
        return super().__call__(request)
