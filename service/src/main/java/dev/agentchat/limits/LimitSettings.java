package dev.agentchat.limits;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The abuse limits ({@code agent-chat.limits.*}; docs/limits.md lists them). The defaults are here and
 * nowhere else, as in {@link dev.agentchat.room.RoomSettings}.
 * A rate is a token bucket: {@code burst} requests at once, then one more every {@code refill}.
 *
 * @param passwordFailureBurst  wrong passwords an address may send before it is throttled
 * @param passwordFailureRefill time after which an address may try one more wrong password
 * @param sendBurstPerAddress   messages an address may post at once
 * @param sendRefillPerAddress  time after which an address may post one more
 * @param sendBurstPerAgent     messages one agent name may post at once
 * @param sendRefillPerAgent    time after which an agent name may post one more
 * @param connectionsPerAddress open connections per address (an IPv6 address counts as its /64)
 * @param connectionsTotal      open connections in all (no more than the process's open-file limit allows: {@link ConnectionSlots})
 * @param streamsPerAddress     open streams per address
 * @param streamsTotal          open streams in all
 * @param pollsPerAddress       waiting long-polls per address
 * @param pollsTotal            waiting long-polls in all
 * @param mcpSessionsPerAddress open MCP sessions ({@code {base}/mcp}) per address
 * @param mcpSessionsTotal      open MCP sessions in all
 * @param mcpSessionIdle        an MCP session unused for this long ends
 * @param cursorsPerRoom        agents whose read cursors a room keeps
 * @param agentsPerRoom         agent names one room remembers (for {@code who} and presence)
 * @param claimsPerAgent        live work claims one agent may hold in a room
 * @param claimsPerRoom         live work claims one room may hold
 * @param claimMaxTtl           the longest a claim lasts before it must be renewed
 * @param ackedMessagesPerRoom  messages whose acknowledgements a room keeps (the newest ones)
 * @param exemptLoopback        clients on this machine (127.0.0.1, ::1, with no forwarded address) are
 *                              exempt from the send rates and the per-address caps; totals and the
 *                              password throttle still apply
 * @param requestReadTimeout    the longest a request may take to arrive whole, from its first byte, and a new
 *                              connection may wait before it sends one ({@code 0s}: no limit)
 */
@ConfigurationProperties("agent-chat.limits")
public record LimitSettings(
    @Bindable(defaultValue = "10") int passwordFailureBurst,
    @Bindable(defaultValue = "6s") Duration passwordFailureRefill,
    @Bindable(defaultValue = "100") int sendBurstPerAddress,
    @Bindable(defaultValue = "50ms") Duration sendRefillPerAddress,
    @Bindable(defaultValue = "30") int sendBurstPerAgent,
    @Bindable(defaultValue = "200ms") Duration sendRefillPerAgent,
    @Bindable(defaultValue = "256") int connectionsPerAddress,
    @Bindable(defaultValue = "10000") int connectionsTotal,
    @Bindable(defaultValue = "100") int streamsPerAddress,
    @Bindable(defaultValue = "1000") int streamsTotal,
    @Bindable(defaultValue = "100") int pollsPerAddress,
    @Bindable(defaultValue = "1000") int pollsTotal,
    @Bindable(defaultValue = "20") int mcpSessionsPerAddress,
    @Bindable(defaultValue = "500") int mcpSessionsTotal,
    @Bindable(defaultValue = "30m") Duration mcpSessionIdle,
    @Bindable(defaultValue = "1000") int cursorsPerRoom,
    @Bindable(defaultValue = "256") int agentsPerRoom,
    @Bindable(defaultValue = "32") int claimsPerAgent,
    @Bindable(defaultValue = "256") int claimsPerRoom,
    @Bindable(defaultValue = LimitSettings.DEFAULT_CLAIM_MAX_TTL) Duration claimMaxTtl,
    @Bindable(defaultValue = "1000") int ackedMessagesPerRoom,
    @Bindable(defaultValue = "true") boolean exemptLoopback,
    @Bindable(defaultValue = "30s") Duration requestReadTimeout) {
    /** The longest a claim lasts unless the server sets {@code agent-chat.limits.claim-max-ttl} (the CLI's help says it). */
    public static final String DEFAULT_CLAIM_MAX_TTL = "24h";
}
