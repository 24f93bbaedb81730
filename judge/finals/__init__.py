"""Stage two: shortlists, reproduction, judging, final scores, awards and results."""
