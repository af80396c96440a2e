"""Read-side figures that cross agency lines, made safe to show.

`program_outcome_counts`: what became of the referrals to a program, from EVERY agency's
referrals (so regions can see whether sheets reduce early turnover) but as numbers only,
each one suppressed below `SUPPRESS_BELOW` so that nobody can be identified from them."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from sheets.clients import Outcome, Referral, ReferralStatus

SUPPRESS_BELOW = 3
SUPPRESSED = _("fewer than 3")


@dataclass(frozen=True)
class OutcomeCount:
    label: object
    value: int

    @property
    def shown(self):
        """The number, or "fewer than 3" (0 included: a zero beside a small total identifies too)."""
        return self.value if self.value >= SUPPRESS_BELOW else SUPPRESSED

    @property
    def suppressed(self) -> bool:
        return self.value < SUPPRESS_BELOW


COUNTS = {
    "referrals": (_("Referrals"), Q()),
    "completed": (_("Completed"), Q(status=ReferralStatus.DONE)),
    "hired": (_("Hired"), Q(outcome=Outcome.HIRED)),
    "working_6m": (_("Still working after 6 months"), Q(outcome=Outcome.HIRED, working_6m=True)),
}


def outcome_counts(program_ids) -> dict[int, dict[str, OutcomeCount]]:
    """{program id: {key: OutcomeCount}} for many programs in ONE query (no N+1 on lists)."""
    rows = (
        Referral.objects.filter(program_id__in=list(program_ids))
        .values("program_id")
        .annotate(**{key: Count("pk", filter=condition) for key, (_label, condition) in COUNTS.items()})
    )
    found = {row["program_id"]: row for row in rows}
    return {
        program_id: {
            key: OutcomeCount(label, found.get(program_id, {}).get(key, 0)) for key, (label, _c) in COUNTS.items()
        }
        for program_id in program_ids
    }


def program_outcome_counts(program) -> dict[str, OutcomeCount]:
    """The four counts of one program: referrals, completed, hired, still working at 6 months."""
    return outcome_counts([program.pk])[program.pk]
