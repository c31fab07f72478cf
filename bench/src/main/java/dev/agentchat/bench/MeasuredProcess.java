package dev.agentchat.bench;

import java.util.OptionalLong;

/**
 * A server running on this machine, read through {@code /proc}: agent-chat's one JVM
 * ({@link LocalProcess}) or nginx's master and workers ({@link ProcessGroup}).
 */
interface MeasuredProcess {
    /** Memory the server holds, in bytes; {@link #memoryKind()} says how it is counted. */
    OptionalLong memoryBytes();

    /** User plus system CPU time of every process of the server, in nanoseconds. */
    OptionalLong cpuNanos();

    /** The system (kernel) part of {@link #cpuNanos()}: sockets, system calls, interrupts on its behalf. */
    OptionalLong systemCpuNanos();

    /**
     * The part of {@link #cpuNanos()} a JVM's just-in-time compiler threads took: work a young JVM
     * does once, which a server in service has done long before. 0 for a server without one.
     */
    OptionalLong compilerCpuNanos();

    /** How {@link #memoryBytes()} counts, for the results file. */
    String memoryKind();
}
