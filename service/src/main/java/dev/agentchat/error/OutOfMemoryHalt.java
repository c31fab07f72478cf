package dev.agentchat.error;

/**
 * An {@link OutOfMemoryError} ends the process at once, with status {@value #STATUS}, for its supervisor
 * to restart it (docs/limits.md): a process that ran out may neither serve nor stop. The JVM's own
 * {@code -XX:+ExitOnOutOfMemoryError} does not see the errors Java code throws, such as direct memory
 * that cannot be reserved, nor does {@code system/OutOfMemoryExit} see those the framework catches
 * while it writes an answer: whoever catches one calls {@link #ifCause}.
 */
public final class OutOfMemoryHalt {
    /** The process's exit status after an {@link OutOfMemoryError}. */
    public static final int STATUS = 3;

    private OutOfMemoryHalt() {
    }

    /**
     * Loads this class while there is memory to load it: a class is loaded at its first use, and one
     * first used after the heap ran out would throw an {@link OutOfMemoryError} of its own instead of
     * ending the process (the thread that saw the first then dies, the process stays).
     */
    public static void prepare() {
        // calling a static method loads and initialises the class; nothing else is needed
    }

    /** Ends the process when {@code error} is an {@link OutOfMemoryError} or was caused by one. */
    public static void ifCause(Throwable error) {
        Throwable cause = error;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError) {
                now();
            }
        }
    }

    /** Ends the process: no shutdown hooks, which might need the memory there is not. */
    public static void now() {
        Runtime.getRuntime().halt(STATUS);
    }
}
