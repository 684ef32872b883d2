"""Many rows at once, written as plain values: COPY on PostgreSQL, one
prepared INSERT for all of them elsewhere. An import writes tens of thousands
of sessions and days; bulk_create builds its SQL value by value, while on
SQLite every other writer waits for it (`make bench-import` measures both).
"""


def insert(cursor, table, fields, rows):
    """Insert `rows` (tuples of values the database takes as they are, in the
    order of `fields`) into `table` through `cursor` (a Django cursor)."""
    connection = cursor.db
    ops = connection.ops
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    table = ops.quote_name(table)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        values = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({values})", rows)
