/**
 * Every SQL statement of the ledger, in PostgreSQL (the one dialect: a server, or PGlite in-process).
 * Table names are qualified with the ledger's schema, a validated identifier quoted here.
 * Instants are BIGINT epoch milliseconds; values are BIGINT and always leave as text, so no driver
 * ever rounds them.
 */

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export function quoteSchema (schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`ledger schema name "${schema}" must match ${SCHEMA_NAME.source}`)
  return `"${schema}"`
}

export interface Migration {
  version: number
  statements: (schema: string) => string[]
}

/**
 * Append only: a released migration is never edited, a change is a new version. Version N is the schema
 * after applying 1..N. ledger_meta itself is created before any of them (it says which version is there).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: s => [
      // One row per settled native bucket and revision. Revision 1 is when the bucket was first covered;
      // a later one exists only when the provider restated the bucket with different records.
      `CREATE TABLE ${s}.ledger_revisions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        source_id text NOT NULL,
        variant text NOT NULL,
        bucket_start bigint NOT NULL,
        bucket_end bigint NOT NULL,
        revision integer NOT NULL,
        content_digest text NOT NULL,
        record_count integer NOT NULL,
        fetched_at bigint NOT NULL,
        request_id text,
        recorded_at bigint NOT NULL,
        CONSTRAINT ledger_revisions_bucket_order CHECK (bucket_end > bucket_start),
        CONSTRAINT ledger_revisions_revision_positive CHECK (revision >= 1),
        CONSTRAINT ledger_revisions_record_count CHECK (record_count >= 0),
        CONSTRAINT ledger_revisions_one_per_number UNIQUE (source_id, variant, bucket_start, revision)
      )`,
      // The unique constraint's index serves range reads (source, variant, start range, latest revision).
      `CREATE INDEX ledger_revisions_by_source_recorded ON ${s}.ledger_revisions (source_id, recorded_at)`,
      `CREATE TABLE ${s}.ledger_records (
        revision_id bigint NOT NULL REFERENCES ${s}.ledger_revisions (id) ON DELETE CASCADE,
        metric text NOT NULL,
        dimensions jsonb NOT NULL,
        value bigint NOT NULL,
        unit text NOT NULL,
        PRIMARY KEY (revision_id, metric, dimensions)
      )`,
      `CREATE TABLE ${s}.ledger_sync_state (
        source_id text PRIMARY KEY,
        last_attempt_at bigint,
        last_success_at bigint,
        last_error text,
        last_error_at bigint
      )`
    ]
  }
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0

/** Signed 64-bit text, the largest BIGINT: "no as-of limit". */
export const MAX_BIGINT_TEXT = '9223372036854775807'

export function ledgerSql (schema: string) {
  const s = quoteSchema(schema)
  return {
    migrationLock: 'SELECT pg_advisory_xact_lock($1::bigint)',
    createSchema: `CREATE SCHEMA IF NOT EXISTS ${s}`,
    createMeta: `CREATE TABLE IF NOT EXISTS ${s}.ledger_meta (key text PRIMARY KEY, value text NOT NULL)`,
    readSchemaVersion: `SELECT value FROM ${s}.ledger_meta WHERE key = 'schema_version'`,
    writeSchemaVersion: `INSERT INTO ${s}.ledger_meta (key, value) VALUES ('schema_version', $1)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    migrationStatements: (migration: Migration) => migration.statements(s),

    /** $1 source, $2 variant, $3 bucket starts: the latest revision of each. */
    latestRevisions: `SELECT DISTINCT ON (bucket_start)
        bucket_start::text AS bucket_start, bucket_end::text AS bucket_end, revision, content_digest, recorded_at::text AS recorded_at
      FROM ${s}.ledger_revisions
      WHERE source_id = $1 AND variant = $2 AND bucket_start = ANY($3::bigint[])
      ORDER BY bucket_start, revision DESC`,

    /**
     * $1 source, $2 variant, $3 fetched_at, $4 request id, then one array per column.
     * A row another writer inserted first is skipped and not returned: the caller retries its transaction.
     */
    insertRevisions: `INSERT INTO ${s}.ledger_revisions
        (source_id, variant, fetched_at, request_id, bucket_start, bucket_end, revision, content_digest, record_count, recorded_at)
      SELECT $1, $2, $3::bigint, $4, bucket.start, bucket.end_, bucket.revision, bucket.digest, bucket.record_count, bucket.recorded_at
      FROM unnest($5::bigint[], $6::bigint[], $7::integer[], $8::text[], $9::integer[], $10::bigint[])
        AS bucket (start, end_, revision, digest, record_count, recorded_at)
      ON CONFLICT ON CONSTRAINT ledger_revisions_one_per_number DO NOTHING
      RETURNING id::text AS id, bucket_start::text AS bucket_start`,

    /** One array per column, one element per record. */
    insertRecords: `INSERT INTO ${s}.ledger_records (revision_id, metric, dimensions, value, unit)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]::jsonb[], $4::bigint[], $5::text[])`,

    /**
     * $1 source, $2 variant, $3 from, $4 to, $5 as-of: the buckets inside [from, to) as known at as-of, one
     * row per bucket with its records as one JSON text of [metric, dimensions as jsonb text, value as text, unit] (null
     * for a bucket covered with no record): one row and one parse per bucket is far cheaper than a row per record.
     */
    readRange: `WITH chosen AS (
        SELECT DISTINCT ON (bucket_start) id, bucket_start, bucket_end, revision, fetched_at, request_id, recorded_at
        FROM ${s}.ledger_revisions
        WHERE source_id = $1 AND variant = $2 AND bucket_start >= $3::bigint AND bucket_start < $4::bigint AND recorded_at <= $5::bigint
        ORDER BY bucket_start, revision DESC
      )
      SELECT chosen.bucket_start::text AS bucket_start, chosen.bucket_end::text AS bucket_end, chosen.revision,
        chosen.fetched_at::text AS fetched_at, chosen.request_id, chosen.recorded_at::text AS recorded_at,
        (SELECT json_agg(json_build_array(record.metric, record.dimensions::text, record.value::text, record.unit) ORDER BY record.metric, record.dimensions)
          FROM ${s}.ledger_records AS record WHERE record.revision_id = chosen.id)::text AS records
      FROM chosen
      WHERE chosen.bucket_end <= $4::bigint
      ORDER BY chosen.bucket_start`,

    /**
     * Same parameters and buckets as readRange, without records: one JSON text of [id, start, end, revision,
     * fetched_at, request_id, recorded_at] per bucket in start order (numbers past 2^53 stay exact as text).
     */
    readRangeRevisions: `SELECT json_agg(json_build_array(chosen.id::text, chosen.bucket_start::text, chosen.bucket_end::text, chosen.revision,
          chosen.fetched_at::text, chosen.request_id, chosen.recorded_at::text) ORDER BY chosen.bucket_start)::text AS revisions
      FROM (
        SELECT DISTINCT ON (bucket_start) id, bucket_start, bucket_end, revision, fetched_at, request_id, recorded_at
        FROM ${s}.ledger_revisions
        WHERE source_id = $1 AND variant = $2 AND bucket_start >= $3::bigint AND bucket_start < $4::bigint AND recorded_at <= $5::bigint
        ORDER BY bucket_start, revision DESC
      ) AS chosen
      WHERE chosen.bucket_end <= $4::bigint`,

    /** $1 revision ids: each one's records, as readRange gives them (revisions without records are absent). */
    readRevisionRecords: `SELECT record.revision_id::text AS id,
        json_agg(json_build_array(record.metric, record.dimensions::text, record.value::text, record.unit) ORDER BY record.metric, record.dimensions)::text AS records
      FROM ${s}.ledger_records AS record
      WHERE record.revision_id = ANY($1::bigint[])
      GROUP BY record.revision_id`,

    /**
     * Same parameters as readRange: how many revision rows its predicate matches. Rows are only ever added, so an
     * unchanged count means an unchanged answer (RangeReadCache).
     */
    countRangeRevisions: `SELECT count(*)::text AS revisions
      FROM ${s}.ledger_revisions
      WHERE source_id = $1 AND variant = $2 AND bucket_start >= $3::bigint AND bucket_start < $4::bigint AND recorded_at <= $5::bigint`,

    /**
     * $1 source, $2 variant, $3 from, $4 to: the bounds of the buckets covered inside [from, to), without their
     * records (every covered bucket has a revision 1, so one row each). What sync and backfill read to find gaps.
     */
    coveredBounds: `SELECT bucket_start::text AS bucket_start, bucket_end::text AS bucket_end
      FROM ${s}.ledger_revisions
      WHERE source_id = $1 AND variant = $2 AND revision = 1 AND bucket_start >= $3::bigint AND bucket_start < $4::bigint AND bucket_end <= $4::bigint
      ORDER BY bucket_start`,

    /** $1 source ids (null: every source). */
    sourceStatus: `SELECT source_id,
        min(bucket_start)::text AS oldest_start, max(bucket_start)::text AS newest_start, max(bucket_end)::text AS newest_end,
        (count(*) FILTER (WHERE revision = 1))::text AS buckets, (count(*) FILTER (WHERE revision = 2))::text AS restated_buckets,
        count(DISTINCT variant)::text AS variants, max(recorded_at)::text AS last_write_at
      FROM ${s}.ledger_revisions
      WHERE $1::text[] IS NULL OR source_id = ANY($1::text[])
      GROUP BY source_id ORDER BY source_id`,

    /** Revisions whose stored records do not number what was written with them (should never return a row). */
    inconsistentRevisions: `SELECT revision.source_id, revision.variant, revision.bucket_start::text AS bucket_start, revision.revision,
        revision.record_count, count(record.revision_id)::integer AS stored
      FROM ${s}.ledger_revisions AS revision LEFT JOIN ${s}.ledger_records AS record ON record.revision_id = revision.id
      GROUP BY revision.id HAVING count(record.revision_id) <> revision.record_count
      ORDER BY revision.source_id, revision.variant, revision.bucket_start, revision.revision`,

    readSyncState: `SELECT source_id, last_attempt_at::text AS last_attempt_at, last_success_at::text AS last_success_at,
        last_error, last_error_at::text AS last_error_at
      FROM ${s}.ledger_sync_state WHERE $1::text IS NULL OR source_id = $1 ORDER BY source_id`,
    /** $1 source, $2 at: a sync of the source starts (status shows a run in progress or one that died). */
    recordSyncAttempt: `INSERT INTO ${s}.ledger_sync_state (source_id, last_attempt_at) VALUES ($1, $2::bigint)
      ON CONFLICT (source_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at`,
    /** $1 source, $2 at. */
    recordSyncSuccess: `INSERT INTO ${s}.ledger_sync_state (source_id, last_attempt_at, last_success_at) VALUES ($1, $2::bigint, $2::bigint)
      ON CONFLICT (source_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at`,
    /** $1 source, $2 at, $3 message. */
    recordSyncFailure: `INSERT INTO ${s}.ledger_sync_state (source_id, last_attempt_at, last_error, last_error_at) VALUES ($1, $2::bigint, $3, $2::bigint)
      ON CONFLICT (source_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error, last_error_at = excluded.last_error_at`
  }
}

export type LedgerSql = ReturnType<typeof ledgerSql>
