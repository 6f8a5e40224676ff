"""Counts grouped by three with a comma (120,000), as the platform's reports and China's statistical releases
write them; only where a template asks for grouping (``|intcomma``), never ids or years."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
