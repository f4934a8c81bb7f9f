"""Mail about the programme's work: the events that need someone (from the audit trail, in
the transaction that records them), the reminders, the weekly digest, and the outbox page
of the secretariat. Built on :mod:`scbi.mail`; above every feature whose events it reads.
"""
