package dev.agentchat.mcp;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The room's MCP endpoint ({@code agent-chat.mcp.*}); its session caps are limits
 * ({@link dev.agentchat.limits.LimitSettings}).
 *
 * @param maxWait the longest {@code wait_for_messages}: below the minute after which MCP hosts
 *                and tunnels commonly give up on a request
 */
@ConfigurationProperties("agent-chat.mcp")
public record McpSettings(@Bindable(defaultValue = "50s") Duration maxWait) {
}
