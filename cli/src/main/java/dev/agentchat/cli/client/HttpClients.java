package dev.agentchat.cli.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;

/**
 * HTTP clients for a room. Building a {@link HttpClient} loads the JDK's default TLS context (its
 * providers and the whole trust store) even when every request is plain HTTP: about 0.15 s of CPU in
 * a one-shot command. An {@code http://} room never reaches TLS (no redirects are followed), so its
 * client gets a context that is never initialised; an {@code https://} room gets the default.
 */
final class HttpClients {
    private HttpClients() {
    }

    static HttpClient.Builder builder(RoomAddress address) {
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (address.base().getScheme().equals("http")) {
            try {
                builder.sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters());
            } catch (NoSuchAlgorithmException e) {
                // no TLS at all in this JDK: the default is no worse
            }
        }
        return builder;
    }
}
