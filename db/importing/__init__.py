"""Importing the party's spreadsheets: reading files, finding the table, recognising the
columns, cleaning each cell, then matching and merging people without losing local knowledge."""
