package dev.agentchat.bench;

/** A benchmark that cannot go on: printed as one line, exit code 1. */
final class BenchException extends RuntimeException {
    BenchException(String message) {
        super(message);
    }
}
