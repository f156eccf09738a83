"""Crash safety: the command line killed at random moments, and the database checked after."""
