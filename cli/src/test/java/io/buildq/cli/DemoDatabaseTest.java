package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDatabaseTest {

    @Test
    void aNewDataDirectoryIsTheOwnersWithAPasswordKeptForTheNextStart(@TempDir Path root) throws IOException {
        Path dataDir = root.resolve("buildq-data");

        DemoDatabase first = DemoDatabase.in(dataDir);
        DemoDatabase again = DemoDatabase.in(dataDir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        Path passwordFile = dataDir.resolve(DemoDatabase.PASSWORD_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        assertThat(first.password()).hasSize(48).isEqualTo(again.password());
        assertThat(first.url()).endsWith("buildq-data/buildq;AUTO_SERVER=TRUE");
        assertThat(first.toString()).doesNotContain(first.password());
    }

    @Test
    void aDatabaseMadeWithoutAPasswordIsRefusedWithTheWayOut(@TempDir Path dataDir) throws IOException {
        Files.writeString(dataDir.resolve("buildq.mv.db"), "an older demo's database");

        assertThatThrownBy(() -> DemoDatabase.in(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a password").hasMessageContaining("remove the directory");
        assertThat(dataDir.resolve(DemoDatabase.PASSWORD_FILE)).doesNotExist();
    }
}
