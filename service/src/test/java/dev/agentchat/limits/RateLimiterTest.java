package dev.agentchat.limits;

import dev.agentchat.error.ApiError;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The buckets a limiter keeps: bounded in number, without a look through all of them for each new key. */
class RateLimiterTest {
    private static final Duration REFILL = Duration.ofSeconds(1);
    private static final int BURST = 5;
    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter("test", BURST, REFILL, ApiError.SEND_RATE_LIMITED, now::get, null);

    @Test
    void bucketsFullAgainAreForgottenOnceThereAreManyKeys() {
        for (int i = 0; i <= RateLimiter.SWEEP_ABOVE; i++) {
            limiter.take("address-" + i);
        }
        now.addAndGet(REFILL.multipliedBy(BURST + 1).toNanos());
        limiter.take("one more");
        assertEquals(1, limiter.keys(), "every bucket but the new one had refilled");
    }

    @Test
    void manyKeysStillWaitingAreLookedThroughOnlyOnceTheirNumberDoublesOrABucketCouldHaveRefilled() {
        // each new key looked through every bucket while more than 10,000 were kept and none was full again
        int kept = RateLimiter.SWEEP_ABOVE + 1;
        for (int i = 0; i < kept; i++) {
            limiter.take("waiting-" + i);
        }
        for (int i = 0; i < 5_000; i++) {
            limiter.take("new-" + i);
        }
        assertEquals(1, limiter.sweeps(), "one look, then none until the keys double");
        assertEquals(kept + 5_000, limiter.keys(), "none was full again: none forgotten");
        for (int i = 0; i < kept; i++) {
            limiter.take("more-" + i);
        }
        assertEquals(2, limiter.sweeps(), "the keys doubled");
        now.addAndGet(REFILL.multipliedBy(BURST + 1).toNanos());
        limiter.take("later");
        assertEquals(3, limiter.sweeps());
        assertTrue(limiter.keys() <= 2, "every older bucket had refilled: " + limiter.keys());
    }
}
