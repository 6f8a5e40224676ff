"""The platform's own number format (FORMAT_MODULE_PATH): Django's zh_Hans has no thousands separator, so a
count shown with ``|intcomma`` read "每分钟 120000 条". Dates keep Django's formats (the templates' own filters)."""
