package io.buildq.httpapi;

import io.buildq.testing.TestDatabase;

class H2ApiTest extends ApiContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
