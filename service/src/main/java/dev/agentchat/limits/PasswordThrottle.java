package dev.agentchat.limits;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * Slows down password guessing: each wrong password takes a token from its address's bucket, and an
 * address with none left is refused (whatever password it sends, or the refusal would tell a guesser
 * when it got it right) until the bucket refills. Other addresses are not affected. With
 * {@link SharedBuckets} the failures count on every instance, so a guesser gains nothing by spreading
 * its guesses over them.
 */
@Singleton
public class PasswordThrottle {
    private final RateLimiter failures;
    private final ClientAddresses addresses;

    public PasswordThrottle(LimitSettings settings, ClientAddresses addresses, @Nullable SharedBuckets shared) {
        this.failures = new RateLimiter("password", settings.passwordFailureBurst(), settings.passwordFailureRefill(),
            ApiError.TOO_MANY_PASSWORD_FAILURES, System::nanoTime, shared);
        this.addresses = addresses;
    }

    /** Throws {@code too_many_password_failures} when the request's address has used up its attempts. */
    public void check(HttpRequest<?> request) {
        failures.check(addresses.of(request));
    }

    public void failed(HttpRequest<?> request) {
        failures.spend(addresses.of(request));
    }

    /** Counts a refused request against its address when what refused it was a wrong password or key. */
    public void refused(HttpRequest<?> request, ApiException refusal) {
        if (refusal.error() == ApiError.INVALID_PASSWORD || refusal.error() == ApiError.INVALID_TOKEN) {
            failed(request);
        }
    }
}
