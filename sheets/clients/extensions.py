"""Where the packages above the clients plug into a client's erasure and consents.

A client's data is not all in this package: the network keeps needs checks (with health
constraints) and the hand-offs sent for the client (with a note to the receiving agency). The
clients package cannot import the network (it sits below it), so its services send these
signals inside their transaction, and the network connects to them (sheets/apps.py):

- `client_erasing(client, by, day)`: the client is about to be erased at their request; each
  receiver removes or blanks what it keeps of them and returns {what: how many}, which the
  erasure reports and audits with its own counts;
- `sensitive_consent_withdrawn(client, by)`: the consent to hold health data was withdrawn;
  each receiver erases the health data it keeps of the client and returns how many records held some.
"""

from django.dispatch import Signal

client_erasing = Signal()
sensitive_consent_withdrawn = Signal()
