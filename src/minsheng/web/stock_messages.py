"""Django's stock messages that our zh_Hans catalogue rewords, listed so `makemessages` keeps them.

makemessages only keeps entries it finds in our sources; Django's own messages live in Django's source, so without
this list regenerating the catalogue would turn our rewordings ("此项必填。" for "This field is required.") into
obsolete entries. Nothing calls `reworded()`: the calls exist for the extractor.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext, pgettext_lazy


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
        # Django 5.2.19 writes this one with %d: its own zh_Hans catalogue has only the older %(min_length)d
        # wording, so a short password was refused in English.
        ngettext("This password is too short. It must contain at least %d character.",
                 "This password is too short. It must contain at least %d characters.", 1),
    ]


# The admin's pages for the sign-in guard (django-axes) and the task queue (django-tasks-db): their labels are
# English (neither ships a zh_Hans catalogue), so the platform admin met "Access attempts" among Chinese pages.
def third_party() -> list:
    """Labels of the sign-in guard's and the task queue's admin pages, for the extractor; their Chinese is in
    the catalogue."""
    return [gettext_noop("access attempt"), gettext_noop("access attempts"), gettext_noop("access failure"),
            gettext_noop("access failures"), gettext_noop("access log"), gettext_noop("access logs"),
            gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
            gettext_noop("Access Attempt"), gettext_noop("Access lock out"), gettext_noop("Attempt Remaining"),
            gettext_noop("Attempt Time"), gettext_noop("Clean up expired attempts"), gettext_noop("Expires At"),
            gettext_noop("Failed Logins"), gettext_noop("Form Data"), gettext_noop("GET Data"),
            gettext_noop("HTTP Accept"), gettext_noop("IP Address"), gettext_noop("Locked Out"),
            gettext_noop("Logout Time"), gettext_noop("Meta Data"), gettext_noop("Not set"),
            gettext_noop("POST Data"), gettext_noop("Path"), gettext_noop("Session key hash (sha256)"),
            gettext_noop("The time when access attempt expires and is no longer valid."),
            gettext_noop("User Agent"), gettext_noop("Username"), gettext_noop("Yes"), gettext_noop("No"),
            gettext_noop("Task Result"), gettext_noop("Task Results"), gettext_noop("args kwargs"),
            gettext_noop("backend name"), gettext_noop("enqueued at"), gettext_noop("exception class path"),
            gettext_noop("finished at"), gettext_noop("priority"), gettext_noop("queue name"),
            gettext_noop("return value"), gettext_noop("run after"), gettext_noop("started at"),
            gettext_noop("status"), gettext_noop("task path"), gettext_noop("traceback"), gettext_noop("worker id"),
            pgettext_lazy("Task", "Ready"), pgettext_lazy("Task", "Running"), pgettext_lazy("Task", "Failed"),
            pgettext_lazy("Task", "Successful"),
            # the admin index's column headings for screen readers, missing from Django's own zh_Hans catalogue
            gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"),
            # Django 5.2's admin words its zh_Hans catalogue lacks: a form sent back with errors was titled
            # "Error: 增加 用户", and the user's add form said "After you’ve created a user, …" above it
            gettext_noop("Error:"), gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
            gettext_noop("Forgotten your login credentials?"),
            gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice.")]
