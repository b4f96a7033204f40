package io.buildq.cli;

import io.buildq.internal.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The demo's H2 database in its data directory, kept from other local users: the directory is 0700,
 * the database has a password that buildq generates and keeps in {@code db.password} (0600), and
 * H2's auto-server listens on loopback only ({@link BuildqCommand#main} sets {@code h2.bindAddress}).
 * Without these, {@code AUTO_SERVER=TRUE} listened on every interface for user "" with no password,
 * and an H2 administrator runs Java code ({@code CREATE ALIAS}).
 *
 * @param url      the JDBC URL, for the demo's pool and for {@code buildq status --db}
 * @param password the password of {@link #USER}
 */
record DemoDatabase(String url, String password) {

    static final String USER = "buildq";
    static final String PASSWORD_FILE = "db.password";

    static DemoDatabase in(Path dataDir) {
        PrivateFiles.ownerOnlyDirectory(dataDir);
        Path database = dataDir.toAbsolutePath().normalize().resolve("buildq");
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        if (!Files.exists(passwordFile)) {
            if (Files.exists(Path.of(database + ".mv.db"))) {
                throw new IllegalStateException(dataDir + " holds a database an older buildq made without a password; "
                        + "remove the directory to start the demo afresh");
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            PrivateFiles.createOwnerOnly(passwordFile, HexFormat.of().formatHex(random));
        }
        try {
            return new DemoDatabase("jdbc:h2:file:" + database + ";AUTO_SERVER=TRUE",
                    Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + passwordFile, e);
        }
    }

    @Override
    public String toString() {
        return "DemoDatabase[url=" + url + ", password=(in " + PASSWORD_FILE + ")]";
    }
}
