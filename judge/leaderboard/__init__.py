"""Standings per problem and team, ranking, visibility and exports."""
