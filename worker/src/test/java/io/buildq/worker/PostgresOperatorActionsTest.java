package io.buildq.worker;

import io.buildq.testing.TestDatabase;

class PostgresOperatorActionsTest extends OperatorActionsContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
