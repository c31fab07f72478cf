package dev.agentchat.messages;

import dev.agentchat.error.ErrorBody;
import dev.agentchat.transport.HttpDate;
import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * A connection's waiting polls, between the HTTP codec and the framework: it keeps the head of a
 * placeholder answer until its poll settles, and holds whatever the framework writes after it
 * until then. Everything here runs on the connection's event loop. A connection seldom has more
 * than one poll waiting, so its polls are kept in lists linked through themselves.
 */
final class PollConnection extends ChannelDuplexHandler {
    /** Answers to requests pipelined behind a waiting poll kept before the connection stops reading more. */
    private static final int MOST_QUEUED = 8;

    /**
     * The headers a placeholder's answer goes out under, with its {@code Date} and length left for the
     * answer: one copy shared by every placeholder that had the same ones (the filters give every poll
     * the same), so that a waiting poll holds no headers of its own. Never changed once kept.
     */
    private static volatile HttpHeaders lastKept = EmptyHttpHeaders.INSTANCE;

    private static HttpHeaders kept(HttpHeaders placeholder) {
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
     * The last answer's headers, whole: the polls a post wakes get answers of the same length within
     * the same second, under the same kept head, so one copy serves them all instead of one per answer.
     * Never changed once made (the encoder only reads them).
     */
    private static volatile Ready lastReady;

    private record Ready(HttpHeaders kept, String date, int length, HttpHeaders headers) {
    }

    /** The headers of an answer of {@code length} bytes under {@code kept}, dated now. */
    private static HttpHeaders ready(HttpHeaders kept, int length) {
        String date = HttpDate.now();
        Ready last = lastReady;
        if (last != null && last.kept() == kept && last.length() == length && last.date().equals(date)) {
            return last.headers();
        }
        HttpHeaders headers = dated(kept, length, date);
        lastReady = new Ready(kept, date, length, headers);
        return headers;
    }

    private static HttpHeaders dated(HttpHeaders kept, int length, String date) {
        return new DefaultHttpHeaders(false).add(kept)
            .set(HttpHeaderNames.CONTENT_LENGTH, length)
            .set(HttpHeaderNames.DATE, date);
    }

    private final Channel channel;
    private ChannelHandlerContext ctx;
    /** Polls whose placeholder has not been written yet (linked through {@link ParkedPolls.Parked#nextExpected}). */
    @Nullable
    private ParkedPolls.Parked expected;
    /** The placeholders written, in order: the first one's answer goes out first. */
    @Nullable
    private Head first;
    @Nullable
    private Head last;
    /** What the framework wrote after the first placeholder, in order; made when first needed. */
    @Nullable
    private ArrayDeque<Pending> behind;
    private boolean readHeld;

    PollConnection(Channel channel) {
        this.channel = channel;
    }

    private static final class Head {
        final ParkedPolls.Parked poll;
        final HttpVersion version;
        final HttpHeaders headers;
        final ChannelPromise promise;
        @Nullable
        Head next;

        Head(ParkedPolls.Parked poll, HttpVersion version, HttpHeaders headers, ChannelPromise promise) {
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

    void expect(ParkedPolls.Parked poll) {
        if (channel.eventLoop().inEventLoop()) {
            listExpected(poll);
        } else {
            channel.eventLoop().execute(() -> listExpected(poll));
        }
    }

    private void listExpected(ParkedPolls.Parked poll) {
        poll.nextExpected = expected;
        expected = poll;
    }

    @Nullable
    private ParkedPolls.Parked unlistExpected(long id) {
        ParkedPolls.Parked before = null;
        for (ParkedPolls.Parked poll = expected; poll != null; before = poll, poll = poll.nextExpected) {
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
            String mark = response.headers().get(ParkedPolls.MARK);
            if (mark != null) {
                response.headers().remove(ParkedPolls.MARK);
                ParkedPolls.Parked poll = unlistExpected(Long.parseLong(mark));
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
            ParkedPolls.Answer answer;
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

    private void write(Head head, ParkedPolls.Answer answer) {
        boolean serverError = answer.status().code() >= 500;
        HttpHeaders headers;
        if (answer.status().code() == HttpResponseStatus.OK.code()) {
            headers = ready(head.headers, answer.body().length);
        } else {
            headers = dated(head.headers, answer.body().length, HttpDate.now());
            if (answer.retryAfterSeconds() != null) {
                headers.set(ErrorBody.RETRY_AFTER, answer.retryAfterSeconds());
            }
            if (serverError) {
                // as the framework does after a server error: the connection is not trusted further
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
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
