package io.buildq.worker;

import io.buildq.testing.TestDatabase;

class PostgresPushPipelineTest extends PushPipelineContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
