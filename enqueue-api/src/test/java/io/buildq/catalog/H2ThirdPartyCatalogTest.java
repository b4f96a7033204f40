package io.buildq.catalog;

import io.buildq.testing.TestDatabase;

class H2ThirdPartyCatalogTest extends ThirdPartyCatalogContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
