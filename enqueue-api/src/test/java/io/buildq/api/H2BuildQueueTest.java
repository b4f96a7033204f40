package io.buildq.api;

import io.buildq.testing.TestDatabase;

class H2BuildQueueTest extends BuildQueueContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
