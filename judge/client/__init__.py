"""The command-line client: ``judge login``, ``submit``, ``submissions`` and ``leaderboard``.

These commands talk to a judge server over HTTP with a personal API token,
in the manner of the kaggle CLI. They never touch the local app's database.
"""
