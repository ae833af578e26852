"""The supervisors' half of tracking: the board, the overdue watch, the rollups and their recount, the indicators,
Decision 766, the reports and the morning digest."""
