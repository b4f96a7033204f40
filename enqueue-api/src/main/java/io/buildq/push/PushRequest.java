package io.buildq.push;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A request to push a completed build to provider accounts: each account gets the build's image
 * for the account's target.
 */
public record PushRequest(UUID buildId, List<ProviderAccount> accounts) {

    public static final int MAX_ACCOUNTS = 64;

    public PushRequest {
        if (buildId == null) {
            throw new InvalidPushException("buildId", "the build to push is required");
        }
        accounts = checkAccounts(accounts);
    }

    /** At least one account, at most {@value #MAX_ACCOUNTS}, none twice. */
    public static List<ProviderAccount> checkAccounts(List<ProviderAccount> accounts) {
        if (accounts == null || accounts.isEmpty()) {
            throw new InvalidAccountException("at least one provider account is required");
        }
        if (accounts.size() > MAX_ACCOUNTS) {
            throw new InvalidAccountException(accounts.size() + " accounts given; at most " + MAX_ACCOUNTS + " are allowed");
        }
        Set<String> seen = new HashSet<>();
        for (ProviderAccount account : accounts) {
            if (account == null) {
                throw new InvalidAccountException("an account is null");
            }
            if (!seen.add(account.providerName() + "\u0000" + account.target() + "\u0000" + account.accountIdentifier())) {
                throw new InvalidAccountException("account " + account.providerName() + " is named twice");
            }
        }
        return List.copyOf(accounts);
    }
}
