package dev.agentchat.names;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of claimed names ({@code agent-chat.names.*}). The defaults are here and nowhere else.
 *
 * @param idle       a claim nobody used for this long ends (its token then answers {@code token_expired})
 * @param kickBlock  how long a kicked name may not be claimed or used again
 * @param maxPerRoom the most names one room holds claimed at once ({@code too_many_names} beyond)
 * @param remember   how long an ended token is remembered, to answer {@code token_expired} or
 *                   {@code token_revoked} instead of {@code invalid_token}
 */
@ConfigurationProperties("agent-chat.names")
public record NameSettings(
    @Bindable(defaultValue = "24h") Duration idle,
    @Bindable(defaultValue = "15m") Duration kickBlock,
    @Bindable(defaultValue = "1000") int maxPerRoom,
    @Bindable(defaultValue = "24h") Duration remember) {
}
