"""Django's stock messages that our zh_Hans catalogue rewords, listed so `makemessages` keeps them.

makemessages only keeps entries it finds in our sources; Django's own messages live in Django's source, so without
this list regenerating the catalogue would turn our rewordings ("此项必填。" for "This field is required.") into
obsolete entries. Nothing calls `reworded()`: the calls exist for the extractor.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext


def reworded() -> list[str]:
    return [
        gettext_noop("This field is required."),
        gettext_noop("Enter a valid value."),
        gettext_noop("Enter a valid email address."),
        gettext_noop("Enter a whole number."),
        gettext_noop("Enter a number."),
        gettext_noop("Enter a valid date."),
        gettext_noop("Enter a valid time."),
        gettext_noop("Enter a valid date/time."),
        gettext_noop("Enter a valid URL."),
        gettext_noop("Enter a valid JSON."),
        gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
        gettext_noop("Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."),
        ngettext("Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
                 "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).", 1),
        ngettext("Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                 "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).", 1),
        gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
        gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
        gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
        gettext_noop("Select a valid choice. That choice is not one of the available choices."),
        gettext_noop("No file was submitted. Check the encoding type on the form."),
        gettext_noop("The submitted file is empty."),
        gettext_noop("%(model_name)s with this %(field_label)s already exists."),
        gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
        gettext_noop("This account is inactive."),
    ]
