package dev.agentchat.messages;

import dev.agentchat.api.model.PollResult;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.error.ErrorBody;
import dev.agentchat.redis.RedisConnections;
import dev.agentchat.redis.RedisUnavailableHandler;
import dev.agentchat.transport.RequestConnection;
import io.lettuce.core.RedisException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.json.JsonMapper;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseStatus;
import jakarta.inject.Singleton;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers a long-poll that has to wait from below the framework. The framework routes the poll,
 * checks its password and runs its filters as for any request. When the poll finds nothing to give
 * yet, the framework answers at once with a placeholder, and the connection's {@link PollConnection}
 * handler (added to a connection when a poll on it first waits) keeps that answer's head (its status
 * and the filters' headers) instead of writing it. The framework then lets go of the request (its
 * route, its lifecycle, its reactive chain), which a waiting poll used to hold for as long as it
 * waited: 5.4 KB in 172 objects per poll, which every young collection copied (now 1.1 KB in 35). When the poll's answer comes (messages, its time up, or
 * an error such as {@code 404 room_not_found}), the handler writes it under the head it kept, its
 * {@code Date} renewed; answers to requests pipelined behind the poll on the same connection wait for
 * it, so they still go out in order. Such an answer is never compressed.
 */
@Singleton
public class ParkedPolls {
    static final String HANDLER = "agent-chat-parked-polls";
    /** The placeholder's header naming its poll; it never leaves the server. */
    static final String MARK = "X-Agent-Chat-Parked";
    private static final Logger LOG = LoggerFactory.getLogger(ParkedPolls.class);
    private static final AtomicLong IDS = new AtomicLong();

    private final PollResultWriter writer;
    private final JsonMapper json;
    /** The shared store, when there is one: its failures are answered as everywhere else. */
    @Nullable
    private final RedisConnections redis;

    public ParkedPolls(PollResultWriter writer, JsonMapper json, @Nullable RedisConnections redis) {
        this.writer = writer;
        this.json = json;
        this.redis = redis;
    }

    /**
     * What the framework should answer {@code request} with: the poll's own answer when it has one
     * at once (or the request is not a GET on an HTTP/1 connection of this server), otherwise a
     * placeholder the connection's handler answers in its place when the poll's answer comes.
     */
    public Mono<PollResult> answer(HttpRequest<?> request, Mono<PollResult> poll) {
        if (request.getMethod() != HttpMethod.GET) {
            return poll;
        }
        PollConnection connection = connection(RequestConnection.of(request));
        if (connection == null) {
            return poll;
        }
        Parked parked = new Parked(connection, IDS.incrementAndGet());
        poll.subscribe(parked);
        return parked.park() ? Mono.just(parked) : parked.settled();
    }

    /**
     * The handler of {@code channel}'s waiting polls, added before its first poll waits (a connection that
     * never waits in a poll, such as a stream's, has none); null when it is no HTTP/1 connection of this server.
     */
    @Nullable
    private static PollConnection connection(@Nullable Channel channel) {
        if (channel == null) {
            return null;
        }
        ChannelPipeline pipeline = channel.pipeline();
        PollConnection connection = (PollConnection) pipeline.get(HANDLER);
        if (connection != null) {
            return connection;
        }
        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null
            || pipeline.get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) == null) {
            return null;
        }
        try {
            pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, HANDLER, new PollConnection(channel));
        } catch (IllegalArgumentException | NoSuchElementException addedOrGone) {
            // another poll on the connection added it first, or the connection is being taken down
        }
        return (PollConnection) pipeline.get(HANDLER);
    }

    /** Marks a placeholder's head so that its connection's handler knows it; a no-op for any other answer. */
    static void mark(PollResult result, MutableHttpResponse<?> response) {
        if (result instanceof Parked parked) {
            response.header(MARK, Long.toString(parked.id));
        }
    }

    /** Whether {@code result} is a waiting poll's placeholder, whose body is empty. */
    static boolean placeholder(PollResult result) {
        return result instanceof Parked;
    }

    /**
     * One waiting poll: the framework's placeholder answer (hence a {@link PollResult}, never encoded)
     * and the subscriber of the poll's real answer.
     */
    final class Parked extends PollResult implements CoreSubscriber<PollResult> {
        private final PollConnection connection;
        final long id;
        /** The next poll of the connection whose placeholder is expected; the connection's loop only. */
        @Nullable
        Parked nextExpected;
        // guarded by this
        private boolean parked;
        boolean settled;
        @Nullable
        private PollResult result;
        @Nullable
        private Throwable error;

        Parked(PollConnection connection, long id) {
            super(List.of(), 0L);
            this.connection = connection;
            this.id = id;
        }

        /** Whether the answer is to wait: false when the poll has settled already (it is then {@link #settled()}). */
        boolean park() {
            synchronized (this) {
                if (settled) {
                    return false;
                }
                parked = true;
            }
            connection.expect(this);
            return true;
        }

        /** The answer the poll settled on before it was parked. */
        Mono<PollResult> settled() {
            synchronized (this) {
                if (error != null) {
                    return Mono.error(error);
                }
                return result == null ? Mono.empty() : Mono.just(result);
            }
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(PollResult answer) {
            synchronized (this) {
                result = answer;
            }
        }

        @Override
        public void onError(Throwable failure) {
            synchronized (this) {
                error = failure;
            }
            settle();
        }

        @Override
        public void onComplete() {
            settle();
        }

        private void settle() {
            boolean waiting;
            synchronized (this) {
                settled = true;
                waiting = parked;
            }
            if (waiting) {
                connection.settled();
            }
        }

        /** The answer's status and body, once settled; null when there is none (its client left). */
        @Nullable
        synchronized Answer answer() {
            if (error != null) {
                ApiException refusal = error instanceof ApiException api ? api
                    : error instanceof RedisException && redis != null ? RedisUnavailableHandler.refusal(redis) : null;
                if (refusal == null) {
                    LOG.error("A long-poll failed", error);
                    refusal = ApiError.INTERNAL.exception();
                }
                return new Answer(HttpResponseStatus.valueOf(refusal.error().status().getCode()),
                    ErrorBody.json(json, refusal), refusal.retryAfterSeconds());
            }
            return result == null ? null : new Answer(HttpResponseStatus.OK, writer.bytes(result), null);
        }

        // a placeholder is compared by identity: it is never encoded, and never equal to an answer
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    record Answer(HttpResponseStatus status, byte[] body, @Nullable Long retryAfterSeconds) {
    }
}
