"""Per-campaign suggestion counts by (channel, source, status), kept exact by database triggers.

The campaign page shows how many suggestions came through each channel and stand in each status. Counting
them with ``GROUP BY`` reads every row of the campaign (half a second with a million); these counters make
it a read of a few dozen rows.

Why triggers and not service code: suggestions are written by the public page, the partner API (one
``INSERT … ON CONFLICT`` per batch), file imports (``bulk_create``), replies (``QuerySet.update``),
moderation, the admin, deletes, and PostgreSQL ``COPY`` in the benchmarks. A trigger sees every one of them
in the same transaction as the write, so the counters cannot drift from ``COUNT(*)``, and a write path added
later is counted without anyone remembering to.

- PostgreSQL: statement-level triggers with transition tables for INSERT (and COPY), UPDATE and DELETE, so
  a batch of a thousand rows, a reply to a whole group, or a COPY of a million, is one aggregated upsert
  that locks its counter rows in key order (two such statements cannot deadlock on them). Each server
  connection writes to its own ``shard`` (backend pid mod 16), so concurrent intakes do not queue on one
  counter row; readers sum the shards. A shard may go negative (a suggestion counted in by one connection
  and moderated by another); the sum is exact.
- SQLite: row-level triggers (SQLite has no statement-level ones); one writer at a time, one shard.
- Both: deleting a campaign deletes its counters, and a suggestion deleted after its campaign (a test
  database's flush deletes tables in any order) is not counted, so no counter outlives its campaign.

SQLite rebuilds a table for most ``ALTER``\\ s, which drops its triggers: a migration that alters
``consultation_suggestion`` must call :func:`install` again (``tests/web/consultation/_db/test_counters.py``
fails if the triggers are missing after all migrations).

Frozen with the migrations that install it (0004, and 0010 and 0015 around SQLite's rebuilds), which is why it
lives among them (Django loads no migration from a name beginning with ``_``) and no app code imports it: a
migration must do later what it did when it was written. Triggers that change (another column counted, a
renamed table) are a new module beside this one and a new migration that installs them; this one stays as it is.
"""

from __future__ import annotations

TABLE = "consultation_suggestioncount"
SOURCE = "consultation_suggestion"
CAMPAIGN = "consultation_campaign"
KEY = "campaign_id, channel_pk, source, status, shard"
SHARDS = 16

_PG_FUNCTIONS = [f"""
CREATE OR REPLACE FUNCTION consultation_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- ORDER BY: concurrent statements lock counter rows in one order, so they cannot deadlock.
    INSERT INTO {TABLE} AS c ({KEY}, n)
    SELECT campaign_id, coalesce(channel_id, 0), source, status, pg_backend_pid() % {SHARDS}, count(*)
      FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$""", f"""
CREATE OR REPLACE FUNCTION consultation_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} AS c ({KEY}, n)
    SELECT campaign_id, coalesce(channel_id, 0), source, status, pg_backend_pid() % {SHARDS}, -count(*)
      FROM old_rows o WHERE EXISTS (SELECT 1 FROM {CAMPAIGN} c WHERE c.id = o.campaign_id)
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$""", f"""
CREATE OR REPLACE FUNCTION consultation_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Rows whose campaign, channel, source and status did not change cancel out (HAVING): an update of
    -- departments writes nothing.
    INSERT INTO {TABLE} AS c ({KEY}, n)
    SELECT campaign_id, channel_pk, source, status, pg_backend_pid() % {SHARDS}, sum(d) FROM (
        SELECT campaign_id, coalesce(channel_id, 0) AS channel_pk, source, status, -1 AS d FROM old_rows
        UNION ALL
        SELECT campaign_id, coalesce(channel_id, 0), source, status, 1 FROM new_rows
    ) AS change GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$""", f"""
CREATE OR REPLACE FUNCTION consultation_count_campaign_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TABLE} WHERE campaign_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$""", f"""
CREATE OR REPLACE FUNCTION consultation_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TABLE};
    RETURN NULL;
END $$"""]


_PG_TRIGGERS = [
    f"CREATE TRIGGER consultation_suggestion_count_insert AFTER INSERT ON {SOURCE} "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consultation_count_inserted()",
    f"CREATE TRIGGER consultation_suggestion_count_delete AFTER DELETE ON {SOURCE} "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consultation_count_deleted()",
    f"CREATE TRIGGER consultation_suggestion_count_update AFTER UPDATE ON {SOURCE} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION consultation_count_updated()",
    f"CREATE TRIGGER consultation_suggestion_count_truncate AFTER TRUNCATE ON {SOURCE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION consultation_count_truncated()",
    f"CREATE TRIGGER consultation_campaign_count_delete AFTER DELETE ON {CAMPAIGN} "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consultation_count_campaign_deleted()",
]


def _sqlite_add(row: str, sign: int) -> str:
    return (f"INSERT INTO {TABLE} ({KEY}, n) SELECT {row}.campaign_id, coalesce({row}.channel_id, 0), "
            f"{row}.source, {row}.status, 0, {sign} WHERE EXISTS (SELECT 1 FROM {CAMPAIGN} WHERE id = "
            f"{row}.campaign_id) ON CONFLICT ({KEY}) DO UPDATE SET n = n + excluded.n;")


_CHANGED_SQLITE = ("OLD.campaign_id IS NOT NEW.campaign_id OR OLD.channel_id IS NOT NEW.channel_id"
                   " OR OLD.source IS NOT NEW.source OR OLD.status IS NOT NEW.status")

_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER consultation_suggestion_count_insert AFTER INSERT ON {SOURCE} "
    f"BEGIN {_sqlite_add('NEW', 1)} END",
    f"CREATE TRIGGER consultation_suggestion_count_delete AFTER DELETE ON {SOURCE} "
    f"BEGIN {_sqlite_add('OLD', -1)} END",
    f"CREATE TRIGGER consultation_suggestion_count_update AFTER UPDATE OF campaign_id, channel_id, source, status "
    f"ON {SOURCE} WHEN {_CHANGED_SQLITE} BEGIN {_sqlite_add('OLD', -1)} {_sqlite_add('NEW', 1)} END",
    f"CREATE TRIGGER consultation_campaign_count_delete AFTER DELETE ON {CAMPAIGN} "
    f"BEGIN DELETE FROM {TABLE} WHERE campaign_id = OLD.id; END",
]

TRIGGERS = ("consultation_suggestion_count_insert", "consultation_suggestion_count_delete",
            "consultation_suggestion_count_update", "consultation_suggestion_count_truncate",
            "consultation_campaign_count_delete")

# Rebuilt from the rows themselves, in the same transaction that (re)creates the triggers: on PostgreSQL
# CREATE TRIGGER locks the table against writes until commit, so no suggestion is counted twice or missed.
_BACKFILL = (f"INSERT INTO {TABLE} ({KEY}, n) SELECT campaign_id, coalesce(channel_id, 0), source, status, 0, "
             f"count(*) FROM {SOURCE} GROUP BY campaign_id, coalesce(channel_id, 0), source, status")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            if connection.vendor == "postgresql":
                table = CAMPAIGN if name.startswith("consultation_campaign") else SOURCE
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if connection.vendor == "postgresql":
            for fn in ("inserted", "deleted", "updated", "truncated", "campaign_deleted"):
                cursor.execute(f"DROP FUNCTION IF EXISTS consultation_count_{fn}()")


def install(connection) -> None:
    """(Re)create the triggers and recount every campaign from its rows; call inside a transaction."""
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"suggestion counters need PostgreSQL or SQLite, not {connection.vendor}")
    uninstall(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in _PG_FUNCTIONS:
                cursor.execute(sql)
        for sql in _PG_TRIGGERS if connection.vendor == "postgresql" else _SQLITE_TRIGGERS:
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_BACKFILL)


def sqlite_off(apps, schema_editor) -> None:
    """A migration's first step where it makes SQLite rebuild the suggestion or campaign table (to add a column):
    the triggers would point at a table gone meanwhile, so they come off, and back on with :func:`sqlite_on`."""
    if schema_editor.connection.vendor == "sqlite":
        uninstall(schema_editor.connection)


def sqlite_on(apps, schema_editor) -> None:
    """Such a migration's last step (see :func:`sqlite_off`)."""
    if schema_editor.connection.vendor == "sqlite":
        install(schema_editor.connection)


def installed(connection) -> set[str]:
    """Names of the counter triggers present in the database (for tests and checks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid IN (%s::regclass, %s::regclass)",
                           [SOURCE, CAMPAIGN])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                           [SOURCE, CAMPAIGN])
        return {row[0] for row in cursor.fetchall()} & set(TRIGGERS)
