-- a test migration: a version below the latest that arrives later (AuditSchemaMigrationTest)
ALTER TABLE orders ADD COLUMN late_column TEXT;
