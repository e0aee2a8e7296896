"""Storage: SQLAlchemy 2.0 tables, the engine with its SQLite pragmas, repositories, migrations."""
