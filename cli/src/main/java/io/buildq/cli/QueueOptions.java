package io.buildq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.buildq.api.BuildQueue;
import io.buildq.secret.CredentialCipher;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the commands that talk to the queue share: the database, the secret key, iwhd, and --json. */
final class QueueOptions {

    @Mixin
    DatabaseOptions database;

    @Option(names = "--iwhd", defaultValue = "${env:BUILDQ_IWHD_URL}",
            description = "iwhd's root, for the catalog (env BUILDQ_IWHD_URL)")
    String iwhdUrl;

    @Option(names = "--iwhd-oauth-key", defaultValue = "${env:BUILDQ_IWHD_OAUTH_KEY}",
            description = "sign iwhd requests with two-legged OAuth 1.0 using this consumer key (env BUILDQ_IWHD_OAUTH_KEY;"
                    + " the secret only by env BUILDQ_IWHD_OAUTH_SECRET)")
    String iwhdOAuthKey;

    @Option(names = "--target-names", defaultValue = "${env:BUILDQ_TARGET_NAMES:-literal}",
            description = "literal or tim, as the workers register target images (env BUILDQ_TARGET_NAMES, default ${DEFAULT-VALUE})")
    String targetNames;

    @Option(names = "--json", description = "print JSON, for scripts")
    boolean json;

    @Option(names = "--secret-key-file", defaultValue = "${env:BUILDQ_SECRET_KEY_FILE}",
            description = "the file holding the key that seals credentials (env BUILDQ_SECRET_KEY_FILE; or the key itself"
                    + " in BUILDQ_SECRET_KEY); pushes need it")
    Path secretKeyFile;

    /** An open queue and the pool under it; closing it closes both. */
    record OpenQueue(BuildQueue queue, HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            queue.close();
            dataSource.close();
        }
    }

    OpenQueue open() {
        Map<String, String> environment = System.getenv();
        CredentialCipher cipher = secretKeyFile != null ? CredentialCipher.fromKeyFile(secretKeyFile)
                : environment.containsKey(CredentialCipher.KEY_VARIABLE) ? CredentialCipher.fromEnvironment(environment)
                : null;
        HikariDataSource dataSource = DatabaseOptions.open(database.url, database.user, database.password, 4, "buildq-cli");
        try {
            BuildQueue.Builder builder = BuildQueue.builder(dataSource).credentialCipher(cipher);
            if (iwhdUrl != null && !iwhdUrl.isBlank()) {
                builder.iwhd(iwhdUrl).targetNames(WorkerCommand.WorkerOptions.targetNames(targetNames));
                if (iwhdOAuthKey != null && !iwhdOAuthKey.isBlank()) {
                    builder.iwhdOAuth(iwhdOAuthKey, WorkerCommand.WorkerOptions.requiredSecret(
                            WorkerCommand.WorkerOptions.IWHD_OAUTH_SECRET_VARIABLE, "--iwhd-oauth-key"));
                }
            }
            return new OpenQueue(builder.build(), dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }
}
