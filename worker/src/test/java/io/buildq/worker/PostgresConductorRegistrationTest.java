package io.buildq.worker;

import io.buildq.testing.TestDatabase;

class PostgresConductorRegistrationTest extends ConductorRegistrationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
