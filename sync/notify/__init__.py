"""Messages before and after the week's deadlines: nudges in messengers, the lead's weekly report.

``timing`` says when something is due, ``nudges`` who is due which nudge,
``report`` what the lead's weekly report says, ``channels`` sends through
Apprise, and ``outbox`` puts them together for one team's cycle.
"""
