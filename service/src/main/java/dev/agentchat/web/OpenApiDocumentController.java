package dev.agentchat.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the API document the server was built from at {@code /openapi.yaml}. */
@Controller
public class OpenApiDocumentController {
    private static final String RESOURCE = "/openapi/agent-chat.yaml";
    private final byte[] document;

    public OpenApiDocumentController() {
        try (InputStream in = OpenApiDocumentController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(value = "/openapi.yaml", produces = "application/yaml")
    public HttpResponse<byte[]> document() {
        return HttpResponse.ok(document).contentType(MediaType.of("application/yaml"));
    }
}
