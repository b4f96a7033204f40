package io.buildq.httpapi;

import io.buildq.testing.TestDatabase;

class PostgresApiTest extends ApiContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
