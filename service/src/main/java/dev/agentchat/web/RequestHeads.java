package dev.agentchat.web;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.error.ErrorBody;
import dev.agentchat.limits.ClientAddresses;
import dev.agentchat.limits.ConnectionSlots;
import dev.agentchat.limits.LimitSettings;
import dev.agentchat.transport.Http10Bodies;
import dev.agentchat.transport.IdleSweep;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads each HTTP/1 request as it comes off the wire, before the framework routes it:
 * <ul>
 * <li>a request the decoder could not read is answered with the catalogue's JSON: {@code 414 url_too_long},
 *     {@code 431 headers_too_large} or {@code 400 bad_request}, one in an HTTP version other than 1.x
 *     {@code 505 http_version_not_supported}, and the connection is closed; so is one whose body's chunks
 *     cannot be read, or whose last transfer coding is not {@code chunked};</li>
 * <li>a request whose body comes in chunks is answered and its connection closed, so that a
 *     {@code Content-Length} beside the chunks cannot make what follows the body a request of its own;</li>
 * <li>an HTTP/1.1 request without a {@code Host} header, or any with two, is {@code 400 bad_request};</li>
 * <li>a query parameter given twice is {@code 400 invalid_parameter}, whatever the endpoint;</li>
 * <li>a request that comes once the server has begun to stop is answered {@code 503 shutting_down}
 *     and the connection closed (requests already in progress finish);</li>
 * <li>a body in an encoding the server does not undo ({@code Content-Encoding: br}), or labelled with
 *     something that is no media type ({@code Content-Type: garbage}), is refused
 *     {@code 415 unsupported_media_type} rather than misread;</li>
 * <li>a body posted with no content type, or labelled as a form (what {@code curl -d} sends) or as plain
 *     text (what {@code fetch} sends for a string), is read as JSON, as the original server read every
 *     body: one rule for every endpoint;</li>
 * <li>an HTTP/1.0 request's answer is written as HTTP/1.0 reads it ({@link Http10Bodies});</li>
 * <li>a request is passed on only once the answer before it is written ({@link AnswerBackpressure});</li>
 * <li>a request must arrive whole within {@code agent-chat.limits.request-read-timeout} of its first
 *     byte: a client that trickles its head is answered {@code 408 request_timeout}, one that trickles its
 *     body is disconnected, so slow clients cannot hold connections open for free.</li>
 * </ul>
 */
@Singleton
public class RequestHeads implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private static final String CLOCK = "agent-chat-request-clock";
    private static final String HEADS = "agent-chat-request-heads";
    /**
     * What clients label a JSON body with when they are not told to: {@code curl -d} a form, a string
     * given to {@code fetch} or {@code sendBeacon} plain text. The original server read every body as JSON.
     */
    private static final Set<String> READ_AS_JSON = Set.of("application/x-www-form-urlencoded", "text/plain");
    /** The body encodings the server undoes; a body in any other could only be misread. */
    private static final Set<String> DECODED = Set.of("identity", "gzip", "x-gzip", "deflate");
    /** What a Content-Type starts with: type/subtype, each an HTTP token (RFC 9110), then parameters or nothing. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("\\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+\\s*(;|$)");

    private final JsonMapper json;
    private final ConnectionSlots slots;
    private final IdleSweep idleSweep;
    private final long maxInitialLine;
    private final long maxHeaderSize;
    private final long readTimeoutMillis;

    public RequestHeads(JsonMapper json, ConnectionSlots slots, IdleSweep idleSweep,
                        @Value("${micronaut.server.netty.max-initial-line-length}") long maxInitialLine,
                        @Value("${micronaut.server.netty.max-header-size}") long maxHeaderSize,
                        LimitSettings limits) {
        this.json = json;
        this.slots = slots;
        this.idleSweep = idleSweep;
        this.maxInitialLine = maxInitialLine;
        this.maxHeaderSize = maxHeaderSize;
        this.readTimeoutMillis = limits.requestReadTimeout().toMillis();
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                if (role != ChannelRole.CONNECTION) {
                    return this;
                }
                return new NettyServerCustomizer() {
                    @Override
                    public void onStreamPipelineBuilt() {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null
                            || pipeline.get(HEADS) != null) {
                            return;
                        }
                        Clock clock = new Clock();
                        pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, CLOCK, clock);
                        pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, HEADS, new Heads(clock));
                        pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, Http10Bodies.NAME,
                            Http10Bodies.handler());
                        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) != null) {
                            pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, AnswerBackpressure.NAME,
                                AnswerBackpressure.handler());
                        }
                    }
                };
            }
        });
        return event.getBean();
    }

    private void refuse(ChannelHandlerContext ctx, ApiException error) {
        byte[] body = ErrorBody.json(json, error);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(error.error().status().getCode()), Unpooled.wrappedBuffer(body));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (error.retryAfterSeconds() != null) {
            response.headers().set(ErrorBody.RETRY_AFTER, error.retryAfterSeconds());
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Before the decoder: starts the clock when a request's first bytes arrive, and is the
     * connection's handler for the idle sweep (it sees every read and write).
     */
    private final class Clock extends IdleSweep.Watched {
        private boolean reading;
        private boolean headRead;
        /** Whether the connection has sent nothing yet: it is closed without a word at the deadline. */
        private boolean silent;
        private ScheduledFuture<?> deadline;
        @Nullable
        private ConnectionSlots.Slot slot;
        /** Whether the connection was refused when it opened (above the caps). */
        private boolean refused;

        Clock() {
            super(idleSweep);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            super.handlerAdded(ctx);
            if (ctx.channel().isActive()) {
                opened(ctx);
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            opened(ctx);
            ctx.fireChannelActive();
        }

        /**
         * Takes the connection's slot (refused, with the catalogue's answer and the connection closed,
         * above the caps), and gives it until the read timeout to begin its first request.
         */
        private void opened(ChannelHandlerContext ctx) {
            if (slot != null || refused) {
                return;
            }
            try {
                slot = slots.openConnection(ClientAddresses.peer((InetSocketAddress) ctx.channel().remoteAddress()));
            } catch (ApiException refusal) {
                refused = true;
                // answered from after the decoder once the pipeline is built, so that the answer is encoded
                ctx.executor().execute(() -> refuse(ctx.pipeline().context(HEADS), refusal));
                return;
            }
            if (readTimeoutMillis > 0) {
                silent = true;
                deadline = ctx.executor().schedule(() -> expire(ctx), readTimeoutMillis, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (refused) {
                ReferenceCountUtil.release(msg); // refused at the door: its answer is on its way
                return;
            }
            if (silent) {
                silent = false;
                requestRead(); // the first request's own clock starts below
            }
            boolean starting = !reading && msg instanceof ByteBuf bytes && bytes.isReadable();
            if (starting) {
                reading = true;
                headRead = false;
            }
            super.channelRead(ctx, msg);
            // most requests arrive in one read: the clock only runs for those that do not
            if (starting && reading && deadline == null && readTimeoutMillis > 0) {
                deadline = ctx.executor().schedule(() -> expire(ctx), readTimeoutMillis, TimeUnit.MILLISECONDS);
            }
        }

        void headRead() {
            headRead = true;
        }

        void requestRead() {
            reading = false;
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        private void expire(ChannelHandlerContext ctx) {
            deadline = null;
            if (silent) {
                ctx.close(); // opened and never used (as browsers open some ahead): nothing to answer
                return;
            }
            if (!reading || !ctx.channel().isActive()) {
                return;
            }
            if (headRead) {
                ctx.close();
            } else {
                // answered from after the decoder, so that the answer is encoded
                refuse(ctx.pipeline().context(HEADS), ApiError.REQUEST_TIMEOUT.limit(readTimeoutMillis / 1000, null));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            requestRead();
            if (slot != null) {
                slot.close();
            }
            ctx.fireChannelInactive();
        }
    }

    /** After the decoder: refuses what it could not read and labels JSON bodies as JSON. */
    private final class Heads extends ChannelInboundHandlerAdapter {
        private final Clock clock;
        private boolean refused;

        Heads(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (refused) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                ApiException refusal = refusal(request);
                if (refusal != null) {
                    // answered here and the connection closed: what else comes on it is dropped
                    refused = true;
                    clock.requestRead();
                    ReferenceCountUtil.release(msg);
                    refuse(ctx, refusal);
                    return;
                }
                clock.headRead();
                labelJson(request);
                if (HttpUtil.isTransferEncodingChunked(request)) {
                    // a Content-Length beside the chunks (dropped by the decoder) may be how another reader of
                    // this connection, a proxy before the server, found where the request ends: nothing after it
                    // on the connection is read as a request (RFC 9112, 6.3)
                    HttpUtil.setKeepAlive(request, false);
                }
            }
            if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
                // a body whose chunks cannot be read: nothing after it on the connection can be found either
                refused = true;
                clock.requestRead();
                ReferenceCountUtil.release(msg);
                refuse(ctx, ApiError.BAD_REQUEST.exception("Malformed HTTP request: the body's chunks cannot be read"));
                return;
            }
            if (msg instanceof LastHttpContent) {
                clock.requestRead();
            }
            ctx.fireChannelRead(msg);
        }

        /** Why {@code request} is refused before the framework sees it, or null when it is not. */
        @Nullable
        private ApiException refusal(HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                return unreadable(request.decoderResult().cause());
            }
            if (request.protocolVersion().majorVersion() != 1) {
                // HTTP/0.9 or a version to come: answered in the one it speaks rather than echoed
                return ApiError.HTTP_VERSION_NOT_SUPPORTED.exception();
            }
            int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
            if (hosts > 1 || hosts == 0 && request.protocolVersion().minorVersion() >= 1) {
                // which host was meant is unknown: HTTP/1.1 requires exactly one (RFC 9112, 3.2)
                return ApiError.BAD_REQUEST.exception("Malformed HTTP request: " + (hosts == 0
                    ? "an HTTP/1.1 request needs a Host header" : "more than one Host header"));
            }
            String repeated = repeatedParameter(request.uri());
            if (repeated != null) {
                // read one way it is a list ("a,b" for agent=a&agent=b), another the first or the last: refused alike
                return ApiError.INVALID_PARAMETER.exception("Parameter '" + repeated + "' is given more than once: give it once");
            }
            List<String> transfer = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (!transfer.isEmpty() && !lastCodingIsChunked(transfer)) {
                // a body with no length and no chunks ends only when the connection does (RFC 9112, 6.3)
                return ApiError.BAD_REQUEST.exception("Malformed HTTP request: Transfer-Encoding '"
                    + String.join(", ", transfer) + "' does not end in chunked");
            }
            if (slots.closing()) {
                // a stopping server's framework is taking its beans down: it would answer 500
                return ApiError.SHUTTING_DOWN.exception();
            }
            String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type != null && !type.isBlank() && !MEDIA_TYPE.matcher(type).lookingAt()) {
                // the framework would take a label it cannot read for none, and read the body as JSON
                return ApiError.UNSUPPORTED_MEDIA_TYPE.exception("Content-Type '" + type
                    + "' is not a media type: send application/json");
            }
            String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
            if (encoding != null && !DECODED.contains(encoding.trim().toLowerCase(Locale.ROOT))) {
                return ApiError.UNSUPPORTED_MEDIA_TYPE.exception("Content-Encoding '" + encoding
                    + "' is not supported: send the body as it is, or gzip or deflate it");
            }
            return null;
        }

        private ApiException unreadable(Throwable cause) {
            if (cause instanceof TooLongHttpLineException) {
                return ApiError.URL_TOO_LONG.limit(maxInitialLine, null);
            }
            if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                return ApiError.HEADERS_TOO_LARGE.limit(maxHeaderSize, null);
            }
            return ApiError.BAD_REQUEST.exception();
        }
    }

    /**
     * Whether the last of the transfer codings, in every {@code Transfer-Encoding} header in order, is
     * {@code chunked}: a coding compared whole, so that {@code xchunked} is not it.
     */
    static boolean lastCodingIsChunked(List<String> headers) {
        String[] codings = String.join(",", headers).split(",", -1);
        return codings[codings.length - 1].trim().equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString());
    }

    /** The first query parameter of {@code uri} given more than once, as the framework splits the query; null when none is. */
    @Nullable
    static String repeatedParameter(String uri) {
        int query = uri.indexOf('?');
        if (query < 0 || uri.indexOf('&', query) < 0 && uri.indexOf(';', query) < 0) {
            return null;
        }
        Map<String, List<String>> parameters;
        try {
            parameters = new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException malformed) {
            return null; // a malformed escape: the framework's answer says so
        }
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getValue().size() > 1) {
                return parameter.getKey();
            }
        }
        return null;
    }

    /** A body with no content type, or one labelled as a form or as plain text, is read as JSON. */
    static void labelJson(HttpRequest request) {
        HttpMethod method = request.method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return;
        }
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        boolean json;
        if (type == null) {
            json = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        } else {
            int end = type.indexOf(';');
            json = READ_AS_JSON.contains((end < 0 ? type : type.substring(0, end)).trim().toLowerCase(Locale.ROOT));
        }
        if (json) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
    }
}
