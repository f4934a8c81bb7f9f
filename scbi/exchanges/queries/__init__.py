"""The read side of peer exchanges: who sees which exchange and the scoped loaders
(``scope``), the list and its filters (``lists``), the forms' choices (``choices``), what an
exchange's page shows (``detail``) and the figures the reports and the lessons read
(``figures``).

Importing ``detail`` registers the answer to ``transfer.log_exchanges``.
"""
