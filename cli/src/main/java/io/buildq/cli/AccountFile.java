package io.buildq.cli;

import io.buildq.push.ProviderAccount;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a provider account file: Java properties with
 * <pre>
 * provider_name    = ec2-us-east-1
 * target           = ec2
 * factory_provider = {"name": "ec2-us-east-1"}
 * credentials_file = ec2-us-east-1.credentials.xml    # or
 * credentials_env  = BUILDQ_EC2_CREDENTIALS           # the name of a variable holding the XML
 * </pre>
 * Credentials never come from the command line, where every user of the machine could read them.
 */
final class AccountFile {

    private AccountFile() {
    }

    /** Reads every file, in order. */
    static List<ProviderAccount> readAll(List<Path> files, Map<String, String> environment) {
        List<ProviderAccount> accounts = new ArrayList<>();
        for (Path file : files) {
            accounts.add(read(file, environment));
        }
        return accounts;
    }

    static ProviderAccount read(Path file, Map<String, String> environment) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("account file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        String credentials;
        String credentialsFile = properties.getProperty("credentials_file");
        String credentialsEnv = properties.getProperty("credentials_env");
        if (credentialsFile != null && credentialsEnv != null) {
            throw new IllegalArgumentException("account file " + file + ": give credentials_file or credentials_env, not both");
        }
        if (credentialsFile != null) {
            Path path = file.toAbsolutePath().getParent().resolve(credentialsFile.strip());
            try {
                credentials = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("account file " + file + ": credentials_file " + path + " cannot be read");
            }
        } else if (credentialsEnv != null) {
            credentials = environment.get(credentialsEnv.strip());
            if (credentials == null || credentials.isBlank()) {
                throw new IllegalArgumentException("account file " + file + ": the variable " + credentialsEnv.strip()
                        + " named by credentials_env is not set");
            }
        } else {
            throw new IllegalArgumentException("account file " + file + ": credentials_file or credentials_env is required");
        }
        try {
            return new ProviderAccount(required(properties, file, "provider_name"), required(properties, file, "target"),
                    required(properties, file, "factory_provider"), credentials);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("account file " + file + ": " + e.getMessage());
        }
    }

    private static String required(Properties properties, Path file, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("account file " + file + ": '" + key + "' is required");
        }
        return value.strip();
    }
}
