package dev.agentchat.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's Markdown links to its own files and their sections: a page moved, split or
 * retitled must take its links with it (a link to a heading that is gone lands at the top of the
 * page, which nobody notices by reading the page that links).
 */
class DocumentLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> NOT_DOCUMENTS = Set.of("target", "node_modules", ".git");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");

    @Test
    void everyRelativeLinkInTheDocsReachesAFileAndAHeadingThatExist() throws IOException {
        List<Path> documents = documents();
        assertTrue(documents.size() > 10, "the repository's Markdown files: " + documents);
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents) {
            Matcher link = LINK.matcher(FENCE.matcher(Files.readString(document)).replaceAll(""));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-zA-Z][a-zA-Z+.-]*:.*")) {
                    continue; // another site, or mailto:
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                String where = ROOT.relativize(document) + ": " + target;
                if (!Files.exists(linked)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && linked.toString().endsWith(".md")
                    && !anchors.computeIfAbsent(linked, DocumentLinksTest::anchorsOf).contains(target.substring(hash + 1))) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        assertTrue(checked > 100, "links checked: " + checked);
        assertEquals(List.of(), broken);
    }

    @Test
    void headingsBecomeAnchorsAsGitHubMakesThem() {
        assertEquals("two-levers-measured-and-not-kept-and-what-the-server-does-at-5000-2026-12-05-0830-utc-build-ac79a04",
            anchor("Two levers measured and not kept, and what the server does at 5,000 (2026-12-05, 08:30 UTC, build `ac79a04`)"));
        assertEquals("post-beside-the-health-ceiling", anchor("POST beside the `/health` ceiling"));
        assertEquals("where-a-deliverys-cpu-goes-at-1000-subscribers", anchor("Where a delivery's CPU goes at 1,000 subscribers"));
    }

    /** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        StringBuilder anchor = new StringBuilder();
        heading.strip().toLowerCase(Locale.ROOT).codePoints()
            .filter(c -> Character.isLetterOrDigit(c) || c == ' ' || c == '-' || c == '_')
            .forEach(c -> anchor.appendCodePoint(c == ' ' ? '-' : c));
        return anchor.toString();
    }

    /** Every heading's anchor in a document; a repeated heading's later ones get -1, -2, … as on GitHub. */
    private static Set<String> anchorsOf(Path document) {
        try {
            Set<String> anchors = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            for (String line : FENCE.matcher(Files.readString(document)).replaceAll("").split("\n")) {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    String anchor = anchor(heading.group(1));
                    int times = seen.merge(anchor, 1, Integer::sum);
                    anchors.add(times == 1 ? anchor : anchor + "-" + (times - 1));
                }
            }
            return anchors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> documents() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(file -> file.toString().endsWith(".md"))
                .filter(file -> {
                    for (Path part : ROOT.relativize(file)) {
                        if (NOT_DOCUMENTS.contains(part.toString())) {
                            return false;
                        }
                    }
                    return true;
                })
                .sorted()
                .toList();
        }
    }
}
