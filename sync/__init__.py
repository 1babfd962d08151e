"""flowsync: keeps a team's weekly goal flow honest.

Reads a team's workbook, checks that weekly work is linked to goals, that the
team watches few enough metrics, and that every retrospective ends in a next
action; writes the findings back into the workbook.
"""

__version__ = "0.1.0"
