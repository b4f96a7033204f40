package io.buildq.worker;

import io.buildq.testing.TestDatabase;

class H2PushPipelineTest extends PushPipelineContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
