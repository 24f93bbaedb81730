"""Helpers shared by test packages: real servers started privately for one test."""
