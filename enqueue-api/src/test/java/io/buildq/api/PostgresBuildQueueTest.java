package io.buildq.api;

import io.buildq.testing.TestDatabase;

class PostgresBuildQueueTest extends BuildQueueContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
