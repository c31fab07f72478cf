package dev.agentchat.coordination;

import io.micronaut.core.annotation.Nullable;

/** A validated request to take a claim. */
public record ClaimRequest(String agent, String resource, long ttlMillis, @Nullable String note) {
}
