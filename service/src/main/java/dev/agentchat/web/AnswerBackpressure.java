package dev.agentchat.web;

import dev.agentchat.error.OutOfMemoryHalt;
import io.micronaut.core.annotation.Nullable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * A connection's next request is read only once the answer before it has been handed to the connection
 * whole and the connection has room for more ({@link Channel#isWritable()}): a client that sends requests
 * and does not read the answers (pipelining them, or not) makes the server hold one answer's worth of
 * its connection's buffer, not an answer per request. The framework reads the next request as soon as
 * one answer is handed over, whether it went out or not, and answers every request of one read at
 * once, however many; this handler, between the HTTP codec and the framework, keeps the requests that
 * came behind an answer still being written (with their bodies, in order) and passes them on one at a
 * time, and asks for more from the socket only when it keeps none and the connection is writable.
 *
 * <p>An event stream is an answer being written for as long as it lasts (its frames go out below this
 * handler, and its slow reader is cut off by the stream's own buffer), and a waiting long-poll until it
 * is answered ({@code messages/PollConnection}, between this handler and the framework, holds the
 * placeholder's head until then): requests pipelined behind them wait, as their answers would.
 *
 * <p>An {@link OutOfMemoryError} raised in a connection's handlers ends the process
 * ({@link OutOfMemoryHalt}).
 */
public final class AnswerBackpressure {
    /** Its name in a connection's pipeline, right before the framework's handler ({@link RequestHeads} installs it). */
    static final String NAME = "agent-chat-answer-backpressure";

    private AnswerBackpressure() {
    }

    /** A new connection's handler. */
    static ChannelHandler handler() {
        return new Gate();
    }

    /** One per connection; everything here runs on the connection's event loop. */
    static final class Gate extends ChannelDuplexHandler {
        private ChannelHandlerContext ctx;
        /** What was read behind an answer being written, in order: requests and their bodies. Made when first needed. */
        @Nullable
        private ArrayDeque<Object> held;
        /** Whether a request has been passed on whose answer has not been written whole yet. */
        private boolean answering;
        /** Whether the answer being written is an interim one ({@code 100 Continue}): its end is not the answer's. */
        private boolean interim;
        /** Whether the framework asked for more from the socket while this handler held that back. */
        private boolean readWanted;
        /** Whether held requests are being passed on now (the loop there sees what they change). */
        private boolean passing;
        /** Whether passing held requests on is due on the event loop. */
        private boolean passDue;

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            this.ctx = context;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object msg) {
            if (held == null && (!(msg instanceof HttpRequest) || mayStart())) {
                if (msg instanceof HttpRequest) {
                    answering = true;
                }
                context.fireChannelRead(msg);
                return;
            }
            if (held == null) {
                held = new ArrayDeque<>(4);
            }
            held.add(msg);
        }

        /** Whether the next request may be passed on: the answer before it is written, and the connection has room. */
        private boolean mayStart() {
            return !answering && ctx.channel().isWritable();
        }

        @Override
        public void read(ChannelHandlerContext context) {
            if (held != null || !context.channel().isWritable()) {
                readWanted = true;
                return;
            }
            context.read();
        }

        @Override
        public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response) {
                interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            }
            if (msg instanceof LastHttpContent) {
                if (interim) {
                    interim = false;
                } else {
                    answering = false;
                    passLater();
                }
            }
            context.write(msg, promise);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext context) {
            if (context.channel().isWritable()) {
                passLater();
            }
            context.fireChannelWritabilityChanged();
        }

        /**
         * Passes held requests on from the event loop, not from within the write or the flush that made
         * room for them: the framework is in the middle of its own work there.
         */
        private void passLater() {
            if (passing || passDue || held == null && !readWanted) {
                return;
            }
            passDue = true;
            ctx.executor().execute(() -> {
                passDue = false;
                pass();
            });
        }

        /** Passes on what was held, as long as requests may start, then asks for more if the framework wants it. */
        private void pass() {
            if (!ctx.channel().isActive()) {
                return;
            }
            boolean passed = false;
            passing = true;
            try {
                while (held != null) {
                    Object next = held.peek();
                    if (next instanceof HttpRequest) {
                        if (!mayStart()) {
                            break;
                        }
                        answering = true;
                    }
                    held.poll();
                    if (held.isEmpty()) {
                        held = null;
                    }
                    passed = true;
                    ctx.fireChannelRead(next);
                }
            } finally {
                passing = false;
            }
            if (passed) {
                // as after a read from the socket: the framework flushes what it wrote and asks for more
                ctx.fireChannelReadComplete();
            }
            if (held == null && readWanted && ctx.channel().isWritable()) {
                readWanted = false;
                ctx.read();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            OutOfMemoryHalt.ifCause(cause);
            context.fireExceptionCaught(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            drop();
            context.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext context) {
            drop();
        }

        private void drop() {
            if (held != null) {
                held.forEach(ReferenceCountUtil::release);
                held = null;
            }
        }
    }
}
