"""The sponsor's dashboard: one problem's leaderboard, activity and finalists."""
