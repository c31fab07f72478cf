package dev.agentchat.sse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionSinkTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec());
    private final ConnectionSink sink = new ConnectionSink(channel.pipeline().context(HttpServerCodec.class), false);

    @Test
    void framesGoOutAsChunksOfTheResponseTheFrameworkStartedAndEnds() {
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeOutbound(head);
        sink.write(SseFrame.comment("connected"));
        sink.write(SseFrame.event(7, SseFrame.MESSAGE, "{\"text\":\"é\"}"));
        sink.flush();
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);

        String wire = written();
        String body = wire.substring(wire.indexOf("\r\n\r\n") + 4);
        String event = "id: 7\nevent: message\ndata: {\"text\":\"é\"}\n\n";
        assertEquals("d\r\n: connected\n\n\r\n"
            + Integer.toHexString(event.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + event + "\r\n"
            + "0\r\n\r\n", body);
    }

    @Test
    void anOpenConnectionCallsBackOnceWhatWasWaitingWentOut() {
        AtomicInteger calls = new AtomicInteger();
        sink.write(SseFrame.comment("waiting"));
        sink.whenWritable(calls::incrementAndGet);
        channel.runPendingTasks();
        assertEquals(1, calls.get());
        assertTrue(sink.writable());
    }

    @Test
    void aClosedConnectionIsNotWritableAndNeverCallsBack() {
        channel.close();
        AtomicInteger calls = new AtomicInteger();
        sink.whenWritable(calls::incrementAndGet);
        channel.runPendingTasks();
        assertFalse(sink.writable());
        assertEquals(0, calls.get());
    }

    private String written() {
        StringBuilder wire = new StringBuilder();
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            wire.append(out.toString(StandardCharsets.UTF_8));
            out.release();
        }
        return wire.toString();
    }
}
