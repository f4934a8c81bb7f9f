"""Reports: the programme overview and the sector reports (SQL aggregates, metrics, the
critical mass of national experts), their PDF/XLSX files and charts, and their frozen
publications (the only table, ``published_report``). Uses every feature below it.
"""
