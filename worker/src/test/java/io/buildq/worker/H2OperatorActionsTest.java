package io.buildq.worker;

import io.buildq.testing.TestDatabase;

class H2OperatorActionsTest extends OperatorActionsContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
