package io.buildq.httpapi;

import io.buildq.build.BuildRequest;
import io.buildq.push.ProviderAccount;
import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /v1/builds}: a {@link BuildRequest}, and the accounts to push each target
 * to once it is built (none for a build alone). Fields are named as in the Java API, so that a
 * refusal's {@code field} names the body's field.
 */
record BuildSubmission(String image, UUID imageId, String template, List<String> targets, String poolFamily,
                       List<Account> accounts) {

    /** An account of the body; its credentials are sealed as soon as the request is taken. */
    record Account(String providerName, String target, String factoryProvider, String credentials) {

        ProviderAccount toProviderAccount() {
            return new ProviderAccount(providerName, target, factoryProvider, credentials);
        }
    }

    /** The Java request; each field checked as BuildQueue checks it. */
    BuildRequest toRequest(String idempotencyKey) {
        return new BuildRequest(image, imageId, template, targets, idempotencyKey, poolFamily);
    }

    List<ProviderAccount> providerAccounts() {
        return accounts == null ? List.of() : accounts.stream().map(Account::toProviderAccount).toList();
    }

    /** Leaves the credentials out, so that a logged body leaks nothing. */
    @Override
    public String toString() {
        return "BuildSubmission[image=" + image + ", targets=" + targets + ", accounts="
                + (accounts == null ? 0 : accounts.size()) + "]";
    }
}
