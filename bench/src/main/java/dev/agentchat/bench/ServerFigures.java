package dev.agentchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The figures one server gave in a run, for setting side by side: idle memory, fan-out at each size,
 * long-poll wake-up. A scenario that did not run (or could not measure) leaves its part empty.
 */
final class ServerFigures {
    private final String name;
    private IdleCost.Result idle;
    private final List<FanOut.Result> fanOut = new ArrayList<>();
    private LongPollWake.Result longPoll;

    ServerFigures(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void idle(IdleCost.Result result) {
        idle = result;
    }

    void fanOut(FanOut.Result result) {
        fanOut.add(result);
    }

    void longPoll(LongPollWake.Result result) {
        longPoll = result;
    }

    Optional<IdleCost.Result> idle() {
        return Optional.ofNullable(idle);
    }

    List<FanOut.Result> fanOuts() {
        return fanOut;
    }

    /** The fan-out run with this many subscribers. */
    Optional<FanOut.Result> fanOut(int subscribers) {
        return fanOut.stream().filter(f -> f.subscribers() == subscribers).findFirst();
    }

    Optional<LongPollWake.Result> longPoll() {
        return Optional.ofNullable(longPoll);
    }
}
