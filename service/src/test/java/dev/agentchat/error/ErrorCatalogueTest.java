package dev.agentchat.error;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The API document lists the server's error catalogue, every code with its status and text, as {@link ApiError} has it. */
class ErrorCatalogueTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d{3}) \\| `([a-z_]+)` \\| (.+) \\|$", Pattern.MULTILINE);

    @Test
    void theApiDocumentListsEveryErrorCodeWithItsStatusAndText() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        Matcher row = ROW.matcher(codeDescription());
        while (row.find()) {
            documented.put(row.group(2), row.group(1) + " " + row.group(3).replace("&lt;", "<").replace("&gt;", ">"));
        }

        Map<String, String> served = Arrays.stream(ApiError.values()).collect(Collectors.toMap(
            ApiError::code, error -> error.status().getCode() + " " + error.message(), (a, b) -> a + " | " + b, TreeMap::new));

        assertEquals(served, documented);
    }

    @SuppressWarnings("unchecked")
    private static String codeDescription() throws IOException {
        try (InputStream in = ErrorCatalogueTest.class.getResourceAsStream("/openapi/agent-chat.yaml")) {
            Map<String, Object> document = new Yaml().load(in);
            Map<String, Object> node = document;
            for (String key : new String[] {"components", "schemas", "Error", "properties", "code"}) {
                node = (Map<String, Object>) node.get(key);
            }
            return (String) node.get("description");
        }
    }
}
