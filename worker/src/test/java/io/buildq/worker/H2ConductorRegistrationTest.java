package io.buildq.worker;

import io.buildq.testing.TestDatabase;

class H2ConductorRegistrationTest extends ConductorRegistrationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
