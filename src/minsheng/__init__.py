"""Minsheng (民声): listen to people at scale and answer them."""

__version__ = "0.1.0"
