"""The read side of the lessons register: the search every surface runs (``search``), the
entries as people read them (``entries``), one entry with its tags and what the forms offer
(``tags``)."""
