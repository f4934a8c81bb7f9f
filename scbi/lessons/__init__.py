"""The lessons register: what peer exchanges, short engagements and published reports
taught, searchable by the words of a problem and tagged by sector, competency and problem,
so that whoever prepares a new engagement finds what was learnt before (docs/lessons.md)."""
