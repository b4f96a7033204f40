package io.buildq.cli;

import io.buildq.testing.TestDatabase;

class PostgresCommandLineTest extends CommandLineContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
