"""Minsheng (民声): listen to people at scale and answer them."""

__version__ = "0.1.0"
# The platform's clock: pages, reports and every log line (settings.TIME_ZONE, the TIME_ZONE variable).
DEFAULT_TIME_ZONE = "Asia/Shanghai"
