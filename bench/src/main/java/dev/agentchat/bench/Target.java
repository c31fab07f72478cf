package dev.agentchat.bench;

import java.net.URI;

/** The server under test: where it listens and the room password. */
record Target(URI url, String password) {
    Target {
        if (url.getHost() == null || !"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("--url must look like http://host:port, got " + url);
        }
    }

    String host() {
        return url.getHost();
    }

    int port() {
        return url.getPort() < 0 ? 80 : url.getPort();
    }

    /** The path under the server's base path, e.g. {@code /messages}. */
    String path(String pathAndQuery) {
        String base = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return base + pathAndQuery;
    }

    String hostHeader() {
        return url.getPort() < 0 ? host() : host() + ":" + port();
    }
}
