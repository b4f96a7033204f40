package io.buildq.catalog;

import io.buildq.testing.TestDatabase;

class PostgresThirdPartyCatalogTest extends ThirdPartyCatalogContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
