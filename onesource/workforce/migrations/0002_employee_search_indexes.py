"""Indexes that answer the employee search (name prefix, staff number) without reading every person.

The search asks, case-insensitively, for names starting with what was typed or for that staff number
(`istartswith` / `iexact`). Each database needs its own kind of index for that, which a model's Meta
cannot say, so they are made here by vendor:
- SQLite compares with LIKE, which uses an index only when the column is indexed COLLATE NOCASE;
- PostgreSQL compares UPPER(column) LIKE 'PREFIX%', which a text_pattern_ops index on that
  expression answers whatever the database's collation.
"""

from django.db import migrations

SEARCHED = ("last_name", "first_name", "staff_number")


def _index_name(column: str) -> str:
    return f"workforce_employee_{column}_search"


def create_search_indexes(apps, schema_editor):
    table = apps.get_model("workforce", "Employee")._meta.db_table
    quote = schema_editor.quote_name
    vendor = schema_editor.connection.vendor
    for column in SEARCHED:
        if vendor == "postgresql":
            indexed = f"(UPPER({quote(column)}::text) text_pattern_ops)"
        elif vendor == "sqlite":
            indexed = f"({quote(column)} COLLATE NOCASE)"
        else:
            return  # another database: the search works, unindexed
        schema_editor.execute(f"CREATE INDEX {quote(_index_name(column))} ON {quote(table)} {indexed}")


def drop_search_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(_index_name(column))}")


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0001_workforce_model"),
    ]

    operations = [migrations.RunPython(create_search_indexes, drop_search_indexes)]
