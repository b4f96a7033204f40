package io.buildq.migrations;

/** The database has not been migrated to the schema this buildq version needs. */
public class SchemaNotMigratedException extends IllegalStateException {
    public SchemaNotMigratedException(String message) {
        super(message);
    }
}
