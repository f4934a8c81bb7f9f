"""Programme set-up: phases, sectors (with their dated expert rules and coordinators),
institutions, priority results and competency frameworks (with their Moodle import and
core choice). Uses only auth; the figures other features add to its pages come through
hooks."""
