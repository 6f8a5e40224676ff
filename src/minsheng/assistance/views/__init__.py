"""Thin views: parse input, call one service or selector, render. Out-of-scope records answer 404."""
