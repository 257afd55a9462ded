"""Django's SQLite backend with a queue for the write lock (`base.DatabaseWrapper`)."""
