package io.buildq.worker;

import io.buildq.testing.TestDatabase;

class H2BuildPipelineTest extends BuildPipelineContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
