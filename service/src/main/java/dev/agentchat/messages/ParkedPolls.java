package dev.agentchat.messages;

import dev.agentchat.api.model.PollResult;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.error.ErrorBody;
import dev.agentchat.transport.HttpDate;
import dev.agentchat.transport.RequestConnection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers a long-poll that has to wait from below the framework. The framework routes the poll,
 * checks its password and runs its filters as for any request. When the poll finds nothing to give
 * yet, the framework answers at once with a placeholder, and the connection's {@link Connection}
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
    /** Answers to requests pipelined behind a waiting poll kept before the connection stops reading more. */
    private static final int MOST_QUEUED = 8;
    private static final Logger LOG = LoggerFactory.getLogger(ParkedPolls.class);
    private static final AtomicLong IDS = new AtomicLong();

    private final PollResultWriter writer;
    private final JsonMapper json;

    public ParkedPolls(PollResultWriter writer, JsonMapper json) {
        this.writer = writer;
        this.json = json;
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
        Connection connection = connection(RequestConnection.of(request));
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
    private static Connection connection(@Nullable Channel channel) {
        if (channel == null) {
            return null;
        }
        ChannelPipeline pipeline = channel.pipeline();
        Connection connection = (Connection) pipeline.get(HANDLER);
        if (connection != null) {
            return connection;
        }
        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null
            || pipeline.get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) == null) {
            return null;
        }
        try {
            pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, HANDLER, new Connection(channel));
        } catch (IllegalArgumentException | NoSuchElementException addedOrGone) {
            // another poll on the connection added it first, or the connection is being taken down
        }
        return (Connection) pipeline.get(HANDLER);
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
    private final class Parked extends PollResult implements CoreSubscriber<PollResult> {
        private final Connection connection;
        private final long id;
        /** The next poll of the connection whose placeholder is expected; the connection's loop only. */
        @Nullable
        private Parked nextExpected;
        // guarded by this
        private boolean parked;
        private boolean settled;
        @Nullable
        private PollResult result;
        @Nullable
        private Throwable error;

        Parked(Connection connection, long id) {
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
                ApiException refusal = error instanceof ApiException api ? api : null;
                if (refusal == null) {
                    LOG.error("A long-poll failed", error);
                    refusal = ApiError.INTERNAL.exception();
                }
                return new Answer(HttpResponseStatus.valueOf(refusal.error().status().getCode()),
                    errorBytes(refusal), refusal.retryAfterSeconds());
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

    private record Answer(HttpResponseStatus status, byte[] body, @Nullable Long retryAfterSeconds) {
    }

    private byte[] errorBytes(ApiException error) {
        try {
            return json.writeValueAsBytes(ErrorBody.of(error));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The headers a placeholder's answer goes out under, with its {@code Date} and length left for the
     * answer: one copy shared by every placeholder that had the same ones (the filters give every poll
     * the same), so that a waiting poll holds no headers of its own. Never changed once kept.
     */
    private static volatile HttpHeaders lastKept = EmptyHttpHeaders.INSTANCE;

    static HttpHeaders kept(HttpHeaders placeholder) {
        placeholder.remove(HttpHeaderNames.DATE);
        placeholder.remove(HttpHeaderNames.CONTENT_LENGTH);
        HttpHeaders last = lastKept;
        if (same(last, placeholder)) {
            return last;
        }
        lastKept = placeholder;
        return placeholder;
    }

    private static boolean same(HttpHeaders a, HttpHeaders b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<Map.Entry<CharSequence, CharSequence>> other = b.iteratorCharSequence();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = a.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> mine = it.next();
            Map.Entry<CharSequence, CharSequence> theirs = other.next();
            if (!AsciiString.contentEqualsIgnoreCase(mine.getKey(), theirs.getKey())
                || !AsciiString.contentEquals(mine.getValue(), theirs.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * A connection's waiting polls, between the HTTP codec and the framework: it keeps the head of a
     * placeholder answer until its poll settles, and holds whatever the framework writes after it
     * until then. Everything here runs on the connection's event loop. A connection seldom has more
     * than one poll waiting, so its polls are kept in lists linked through themselves.
     */
    private static final class Connection extends ChannelDuplexHandler {
        private final Channel channel;
        private ChannelHandlerContext ctx;
        /** Polls whose placeholder has not been written yet (linked through {@link Parked#nextExpected}). */
        @Nullable
        private Parked expected;
        /** The placeholders written, in order: the first one's answer goes out first. */
        @Nullable
        private Head first;
        @Nullable
        private Head last;
        /** What the framework wrote after the first placeholder, in order; made when first needed. */
        @Nullable
        private ArrayDeque<Pending> behind;
        private boolean readHeld;

        Connection(Channel channel) {
            this.channel = channel;
        }

        private static final class Head {
            final Parked poll;
            final HttpVersion version;
            final HttpHeaders headers;
            final ChannelPromise promise;
            @Nullable
            Head next;

            Head(Parked poll, HttpVersion version, HttpHeaders headers, ChannelPromise promise) {
                this.poll = poll;
                this.version = version;
                this.headers = headers;
                this.promise = promise;
            }
        }

        private record Pending(Object message, ChannelPromise promise) {
        }

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            this.ctx = context;
        }

        void expect(Parked poll) {
            if (channel.eventLoop().inEventLoop()) {
                listExpected(poll);
            } else {
                channel.eventLoop().execute(() -> listExpected(poll));
            }
        }

        private void listExpected(Parked poll) {
            poll.nextExpected = expected;
            expected = poll;
        }

        @Nullable
        private Parked unlistExpected(long id) {
            Parked before = null;
            for (Parked poll = expected; poll != null; before = poll, poll = poll.nextExpected) {
                if (poll.id == id) {
                    if (before == null) {
                        expected = poll.nextExpected;
                    } else {
                        before.nextExpected = poll.nextExpected;
                    }
                    poll.nextExpected = null;
                    return poll;
                }
            }
            return null;
        }

        void settled() {
            if (channel.eventLoop().inEventLoop()) {
                answerReady();
            } else {
                channel.eventLoop().execute(this::answerReady);
            }
        }

        @Override
        public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
            if (message instanceof HttpResponse response) {
                String mark = response.headers().get(MARK);
                if (mark != null) {
                    response.headers().remove(MARK);
                    Parked poll = unlistExpected(Long.parseLong(mark));
                    if (poll != null) {
                        ReferenceCountUtil.release(message);
                        Head head = new Head(poll, response.protocolVersion(), kept(response.headers()), promise);
                        if (last == null) {
                            first = head;
                        } else {
                            last.next = head;
                        }
                        last = head;
                        answerReady();
                        return;
                    }
                }
            }
            if (first == null) {
                context.write(message, promise);
            } else {
                if (behind == null) {
                    behind = new ArrayDeque<>(2);
                }
                behind.add(new Pending(message, promise));
            }
        }

        @Override
        public void read(ChannelHandlerContext context) {
            // a client pipelining requests behind a waiting poll is not read further while their answers wait
            if (behind != null && behind.size() >= MOST_QUEUED) {
                readHeld = true;
            } else {
                context.read();
            }
        }

        /** Writes the answers that are ready, in order, and what waited behind them. */
        private void answerReady() {
            boolean wrote = false;
            while (first != null) {
                Head head = first;
                Answer answer;
                synchronized (head.poll) {
                    if (!head.poll.settled) {
                        break;
                    }
                    answer = head.poll.answer();
                }
                first = head.next;
                if (first == null) {
                    last = null;
                }
                wrote = true;
                if (answer == null) {
                    // its client left: nothing to answer, and nothing after it on this connection
                    fail(head.promise);
                    ctx.close();
                    break;
                }
                write(head, answer);
                while (first == null && behind != null && !behind.isEmpty()) {
                    Pending pending = behind.poll();
                    ctx.write(pending.message(), pending.promise());
                }
            }
            if (wrote) {
                ctx.flush();
                if (readHeld && (behind == null || behind.size() < MOST_QUEUED)) {
                    readHeld = false;
                    ctx.read();
                }
            }
        }

        private void write(Head head, Answer answer) {
            HttpHeaders headers = new DefaultHttpHeaders(false).add(head.headers);
            headers.set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
            headers.set(HttpHeaderNames.DATE, HttpDate.now());
            if (answer.retryAfterSeconds() != null) {
                headers.set(ErrorBody.RETRY_AFTER, answer.retryAfterSeconds());
            }
            boolean serverError = answer.status().code() >= 500;
            if (serverError) {
                // as the framework does after a server error: the connection is not trusted further
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(head.version, answer.status(),
                Unpooled.wrappedBuffer(answer.body()), headers, EmptyHttpHeaders.INSTANCE);
            if (serverError) {
                ChannelPromise written = head.promise.isVoid() ? ctx.newPromise() : head.promise;
                ctx.write(response, written).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.write(response, head.promise);
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext context) {
            expected = null;
            for (Head head = first; head != null; head = head.next) {
                fail(head.promise);
            }
            first = null;
            last = null;
            if (behind != null) {
                for (Pending pending : behind) {
                    ReferenceCountUtil.release(pending.message());
                    fail(pending.promise());
                }
                behind.clear();
            }
        }

        /** A write that will never be made; the framework's own writes pass a void promise, which must not fail. */
        private static void fail(ChannelPromise promise) {
            if (!promise.isVoid()) {
                promise.tryFailure(new ClosedChannelException());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) throws Exception {
            handlerRemoved(context);
            super.channelInactive(context);
        }
    }
}
