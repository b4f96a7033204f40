package io.buildq.worker;

import io.buildq.testing.TestDatabase;

class PostgresBuildPipelineTest extends BuildPipelineContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
