"""Problems: their public files, hidden solutions, splits and submission limits."""
