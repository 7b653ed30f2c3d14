"""All SQL lives here: one module a table, each function taking an open psycopg connection first.

Queries are always parameterised (`%s` placeholders); identifiers that vary come from fixed lists and go
through `psycopg.sql.Identifier`.
"""
