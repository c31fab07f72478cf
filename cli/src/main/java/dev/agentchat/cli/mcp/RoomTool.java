package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.RoomException;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;
import io.micronaut.core.annotation.Nullable;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One MCP tool over the room. Failures (bad arguments, a wrong password, an unreachable room) are
 * answered as tool results flagged {@code isError} with one readable line, so the model can see
 * and fix them; they never end the MCP session.
 */
abstract class RoomTool {
    /** Longer waits are better done as several calls: MCP hosts time tool calls out. */
    static final long MAX_WAIT_SECONDS = 3600;

    protected final Seat seat;
    private final String name;

    /** @param name the tool's name in {@link ToolCatalog} */
    RoomTool(Seat seat, String name) {
        this.seat = seat;
        this.name = name;
    }

    /** Its name in {@link ToolCatalog}. */
    String name() {
        return name;
    }

    /** Its {@link ToolCatalog} definition. */
    private ToolCatalog.Definition definition() {
        return ToolCatalog.tool(name, seat.agent(), MAX_WAIT_SECONDS);
    }

    /** The tool as listed by {@code tools/list}: its {@link ToolCatalog} definition. */
    Tool tool() {
        ToolCatalog.Definition definition = definition();
        return Tool.builder()
            .name(definition.name())
            .title(definition.title())
            .description(definition.description())
            .inputSchema(new JsonSchema("object", definition.properties(), definition.required(), false, null, null))
            .annotations(ToolAnnotations.builder().readOnlyHint(definition.readOnly()).destructiveHint(false)
                .openWorldHint(false).build())
            .build();
    }

    /** Does the work; returns the readable text of the result. */
    abstract String call(ToolArguments arguments, Progress progress) throws InterruptedException;

    /** The tool for the server: each call told whether the host has cancelled it ({@code cancellations}). */
    SyncToolSpecification specification(Cancellations cancellations) {
        return SyncToolSpecification.builder()
            .tool(tool())
            .callHandler((exchange, request) -> {
                try {
                    return result(request.arguments(), progress(exchange, request.progressToken(),
                        () -> cancellations.cancelled(request.meta())));
                } finally {
                    cancellations.done(request.meta());
                }
            })
            .build();
    }

    /** Progress notifications when the caller asked for them (they also keep hosts from timing a long call out). */
    private static Progress progress(McpSyncServerExchange exchange, @Nullable Object token, BooleanSupplier cancelled) {
        return new Progress() {
            @Override
            public void report(double done, double total, String message) {
                if (token != null) {
                    exchange.progressNotification(new ProgressNotification(token, done, total, message));
                }
            }

            @Override
            public boolean cancelled() {
                return cancelled.getAsBoolean();
            }
        };
    }

    private CallToolResult result(@Nullable Map<String, Object> arguments, Progress progress) {
        try {
            String text = call(new ToolArguments(definition(), arguments), progress);
            return CallToolResult.builder().addTextContent(text).isError(false).build();
        } catch (ToolArguments.Invalid e) {
            return error(e.getMessage());
        } catch (RoomException e) {
            return error(explain(e, seat.agent()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("Cancelled");
        } catch (UncheckedIOException e) {
            return error(e.getMessage()); // e.g. the read cursor cannot be saved
        }
    }

    /** The room's refusal as the room's own {@code /mcp} words it (a kick says until when). */
    static String explain(RoomException e, String agent) {
        return "kicked".equals(e.code())
            ? ToolText.kicked(agent, e.blockedUntil() == null ? null : e.blockedUntil().toInstant())
            : ToolText.refused(e.getMessage(), e.code());
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(ToolText.error(message)).isError(true).build();
    }

    /** Reports how far a long call got, and tells it whether the host has cancelled it. */
    interface Progress {
        void report(double done, double total, String message);

        /** Whether the host has cancelled the call: its answer will not be read. */
        boolean cancelled();
    }
}
