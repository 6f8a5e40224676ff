// Django admin's JavaScript messages that Django 5.2's own Chinese catalogue (djangojs) lacks, listed so
// `makemessages -d djangojs` keeps our wording of them in locale/zh_Hans/LC_MESSAGES/djangojs.po: the two-box
// picker (SelectFilter2.js: a campaign's 承办部门, a provider's areas) otherwise says "Choose all 承办部门".
// No page loads this file; the calls exist for the extractor (as web/stock_messages.py does for Python).
/* global gettext */
'use strict';
[
    gettext('Choose %s by selecting them and then select the "Choose" arrow button.'),
    gettext('Choose all %s'),
    gettext('Choose selected %s'),
    gettext('Remove selected %s'),
    gettext('Remove %s by selecting them and then select the "Remove" arrow button.'),
    gettext('Remove all %s'),
    gettext('(click to clear)')
];
