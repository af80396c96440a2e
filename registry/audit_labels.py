"""Audit actions in words people read: `employer.export` → 「事業所：書き出し」.

An action code is `<subject>.<verb>` (the subject may itself be dotted: `workshop.logic.item`).
Its label is the longest known subject and the verb after it, each translated; a code whose
parts are unknown is shown as it is (new codes still appear, just not in words). The codes are
plain text here: the registry imports no other app."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "agency": pgettext_lazy("audit subject", "Agency"),
    "api_token": _("API token"),
    "audit": pgettext_lazy("audit subject", "Audit log"),
    "auth": pgettext_lazy("audit subject", "Login"),
    "breakdown": _("Task breakdown sheet"),
    "client": pgettext_lazy("audit subject", "Client"),
    "consent": pgettext_lazy("audit subject", "Consent to share"),
    "db": pgettext_lazy("audit subject", "Database"),
    "employer": pgettext_lazy("audit subject", "Employer"),
    "handoff": pgettext_lazy("audit subject", "Hand-off"),
    "hsds": pgettext_lazy("audit subject", "HSDS data"),
    "import": pgettext_lazy("audit subject", "Import"),
    "introduction": pgettext_lazy("audit subject", "Self-introduction form"),
    "job": pgettext_lazy("audit subject", "Background work"),
    "needs_check": pgettext_lazy("audit subject", "First-contact needs check"),
    "photo": pgettext_lazy("audit subject", "Photo"),
    "program": pgettext_lazy("audit subject", "Program"),
    "referral": pgettext_lazy("audit subject", "Referral"),
    "review": pgettext_lazy("audit subject", "Employer's review"),
    "review_link": _("review link"),
    "search": _("saved search"),
    "staff": _("Staff"),
    "staff.invitation": pgettext_lazy("audit subject", "Staff invitation"),
    "workshop": pgettext_lazy("audit subject", "Workshop"),
    "workshop.card": _("opinion card"),
    "workshop.heading": pgettext_lazy("audit subject", "Card heading"),
    "workshop.logic": pgettext_lazy("audit subject", "Logic model"),
    "workshop.logic.item": pgettext_lazy("audit subject", "Logic model item"),
    "workshop.logic.link": pgettext_lazy("audit subject", "Logic model link"),
    "workshop.mechanism": _("mechanism"),
    "workshop.region": pgettext_lazy("audit subject", "Region progress"),
    "workshop.session": pgettext_lazy("audit subject", "Workshop session"),
    "workshop.survey": pgettext_lazy("audit subject", "Participant survey"),
}

VERBS = {
    "accept": pgettext_lazy("audit verb", "accepted"),
    "activate": pgettext_lazy("audit verb", "reactivated"),
    "add": pgettext_lazy("audit verb", "added"),
    "answer": pgettext_lazy("audit verb", "answered"),
    "apply": pgettext_lazy("audit verb", "applied"),
    "approval_carry_over": pgettext_lazy("audit verb", "approval carried over"),
    "approve": pgettext_lazy("audit verb", "approved"),
    "archive": pgettext_lazy("audit verb", "archived"),
    "binder": pgettext_lazy("audit verb", "binder made"),
    "cancel": pgettext_lazy("audit verb", "cancelled"),
    "comment": pgettext_lazy("audit verb", "commented"),
    "complete": pgettext_lazy("audit verb", "marked done"),
    "consent_withdrawn": pgettext_lazy("audit verb", "consent withdrawn"),
    "create": pgettext_lazy("audit verb", "created"),
    "deactivate": pgettext_lazy("audit verb", "deactivated"),
    "decline": pgettext_lazy("audit verb", "declined"),
    "delete": pgettext_lazy("audit verb", "deleted"),
    "dump": pgettext_lazy("audit verb", "backed up"),
    "erase": pgettext_lazy("audit verb", "erased on request"),
    "export": pgettext_lazy("audit verb", "exported"),
    "feedback": pgettext_lazy("audit verb", "reflection recorded"),
    "group": pgettext_lazy("audit verb", "sorted under a heading"),
    "host_confirm": pgettext_lazy("audit verb", "date confirmed by the host agency"),
    "import": pgettext_lazy("audit verb", "imported"),
    "intro_update": pgettext_lazy("audit verb", "introduction (①) updated"),
    "invitation_accepted": pgettext_lazy("audit verb", "invitation accepted"),
    "invitation_declined": pgettext_lazy("audit verb", "invitation declined"),
    "invite": pgettext_lazy("audit verb", "invited"),
    "left": pgettext_lazy("audit verb", "left the agency"),
    "login": pgettext_lazy("audit verb", "logged in"),
    "login_failed": pgettext_lazy("audit verb", "login failed"),
    "logout_everywhere": pgettext_lazy("audit verb", "logged out everywhere"),
    "matches": pgettext_lazy("audit verb", "matching programs viewed"),
    "merge": pgettext_lazy("audit verb", "merged"),
    "met": pgettext_lazy("audit verb", "first meeting recorded"),
    "outcome": pgettext_lazy("audit verb", "what followed recorded"),
    "print": pgettext_lazy("audit verb", "printed"),
    "profile_update": pgettext_lazy("audit verb", "directory entry updated"),
    "propose": pgettext_lazy("audit verb", "proposed"),
    "publish": pgettext_lazy("audit verb", "published"),
    "purge": pgettext_lazy("audit verb", "old entries removed"),
    "record": pgettext_lazy("audit verb", "recorded"),
    "remove": pgettext_lazy("audit verb", "removed"),
    "rename": pgettext_lazy("audit verb", "renamed"),
    "resend": pgettext_lazy("audit verb", "sent again"),
    "restore": pgettext_lazy("audit verb", "restored"),
    "return_to_draft": pgettext_lazy("audit verb", "returned to draft"),
    "reverify": pgettext_lazy("audit verb", "re-verified"),
    "revoke": pgettext_lazy("audit verb", "revoked"),
    "role": pgettext_lazy("audit verb", "role changed"),
    "row_add": pgettext_lazy("audit verb", "row added"),
    "row_move": pgettext_lazy("audit verb", "row moved"),
    "row_remove": pgettext_lazy("audit verb", "row removed"),
    "row_update": pgettext_lazy("audit verb", "row updated"),
    "save": pgettext_lazy("audit verb", "saved"),
    "schedule": pgettext_lazy("audit verb", "scheduled"),
    "send": pgettext_lazy("audit verb", "sent"),
    "sensitive_consent": pgettext_lazy("audit verb", "consent to hold health notes recorded"),
    "sensitive_consent_withdrawn": pgettext_lazy("audit verb", "consent to hold health notes withdrawn"),
    "step": pgettext_lazy("audit verb", "step updated"),
    "submit_for_review": pgettext_lazy("audit verb", "sent for review"),
    "unpublish": pgettext_lazy("audit verb", "unpublished"),
    "update": pgettext_lazy("audit verb", "updated"),
    "view": pgettext_lazy("audit verb", "viewed"),
    "visit": pgettext_lazy("audit verb", "visit recorded"),
    "vote": pgettext_lazy("audit verb", "voted"),
    "withdraw": pgettext_lazy("audit verb", "withdrawn"),
}


def action_label(code: str) -> str:
    """「<subject>：<verb>」 in the active language, or the code itself when a part is unknown."""
    parts = code.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        subject, verb = ".".join(parts[:cut]), ".".join(parts[cut:])
        if subject in SUBJECTS and verb in VERBS:
            return _("%(subject)s: %(verb)s") % {"subject": SUBJECTS[subject], "verb": VERBS[verb]}
    return code
