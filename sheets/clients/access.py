"""The door to clients, their self-introduction forms, consents and referrals (the rule:
`client_visibility` in sheets/clients/models.py).

Personal data is the agency's: only members of the client's agency (acting for it) see it.
Platform admins see NO client by default — they run the platform, not the case work; a
platform admin who also works for an agency sees that agency's clients while acting for it.
Another agency's client answers 404 (its existence is not revealed), a missing role 403."""

from uuid import UUID

from django.http import Http404

from registry.models import AnyUser
from sheets.clients.models import Client, Referral, SelfIntroduction


def get_client_for_user(user: AnyUser, client_uuid: UUID | str) -> Client:
    client = Client.objects.for_user(user).select_related("agency__region").filter(uuid=client_uuid).first()
    if client is None:
        raise Http404
    return client


def get_introduction_for_user(
    user: AnyUser, client_uuid: UUID | str, introduction_uuid: UUID | str
) -> SelfIntroduction:
    introduction = (
        SelfIntroduction.objects.for_user(user)
        .select_related("client__agency__region")
        .filter(uuid=introduction_uuid, client__uuid=client_uuid)
        .first()
    )
    if introduction is None:
        raise Http404
    return introduction


def get_referral_for_user(user: AnyUser, referral_uuid: UUID | str) -> Referral:
    referral = (
        Referral.objects.for_user(user)
        .select_related("client__agency", "program__employer", "next_program", "introduction")
        .filter(uuid=referral_uuid)
        .first()
    )
    if referral is None:
        raise Http404
    return referral
