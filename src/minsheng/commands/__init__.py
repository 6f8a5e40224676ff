"""CLI subcommands, one module each; see :mod:`minsheng.cli`."""
