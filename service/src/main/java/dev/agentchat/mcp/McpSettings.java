package dev.agentchat.mcp;

import dev.agentchat.settings.InvalidSetting;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The room's MCP endpoint ({@code agent-chat.mcp.*}); its session caps are limits
 * ({@link dev.agentchat.limits.LimitSettings}).
 *
 * @param maxWait  the longest {@code wait_for_messages}: below the minute after which MCP hosts
 *                 and tunnels commonly give up on a request
 * @param maxBatch the most messages one JSON-RPC batch may hold: MCP's current versions send none (they
 *                 dropped batches), and each message of one is work that a single POST asks for
 */
@ConfigurationProperties("agent-chat.mcp")
public record McpSettings(@Bindable(defaultValue = "50s") Duration maxWait,
                          @Bindable(defaultValue = "20") int maxBatch) {
    public McpSettings {
        if (maxBatch < 1) {
            throw InvalidSetting.of("agent-chat.mcp.max-batch", Integer.toString(maxBatch), "at least 1");
        }
    }
}
