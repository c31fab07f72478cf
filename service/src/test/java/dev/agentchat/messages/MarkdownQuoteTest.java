package dev.agentchat.messages;

import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transcript's Markdown, read back by a CommonMark reader: code exact, nothing live. */
class MarkdownQuoteTest {
    private static final Parser PARSER = Parser.builder().build();

    @Test
    void codeSpansKeepAngleBracketsAndAmpersandsAsWritten() {
        Node read = read("Use `List<String>` and `a && b` or ``x ` y``");
        assertEquals(List.of("List<String>", "a && b", "x ` y"), codes(read));
    }

    @Test
    void fencedCodeBlocksKeepTheirTextAndLanguage() {
        String code = "if (a < b && c > d) {\n    return x -> x;\n}\n\nString s = \"```\";";
        Node read = read("Here:\n```java\n" + code + "\n```\ndone <b>");
        List<FencedCodeBlock> blocks = nodes(read, FencedCodeBlock.class);
        assertEquals(1, blocks.size(), render(read));
        assertEquals(code + "\n", blocks.get(0).getLiteral());
        assertEquals("java", blocks.get(0).getInfo());
        assertTrue(render(read).contains("done &lt;b&gt;"), render(read));
    }

    @Test
    void aFenceNeverClosedIsText() {
        Node read = read("```\n<script>alert(1)</script>");
        assertTrue(nodes(read, FencedCodeBlock.class).isEmpty());
        assertTrue(TextContentRenderer.builder().build().render(read).contains("```\n<script>alert(1)</script>"), render(read));
    }

    @Test
    void fencesWithoutAClosingLineAreTextAndALaterClosedOneIsStillABlock() {
        List<String> lines = new ArrayList<>(Collections.nCopies(5000, "~~~a"));
        lines.addAll(List.of("```", "<b>", "```"));
        StringBuilder out = new StringBuilder();
        MarkdownQuote.append(out, lines);
        assertEquals("> ~~~a\n".repeat(5000) + "> ```\n> <b>\n> ```\n", out.toString());
    }

    @Test
    void anImageIsALinkThatNothingFetchesWhenTheTranscriptIsRendered() {
        // a viewer rendering the transcript loaded any participant's image URL (a tracking pixel)
        for (String text : List.of("look ![pixel](http://evil.example/x.png)", "![a][r]\n\n[r]: http://evil.example/y.png",
            "![](<http://evil.example/z.png>) and `![kept](in code)`")) {
            Node read = read(text);
            assertTrue(nodes(read, Image.class).isEmpty(), text + " → " + render(read));
            assertFalse(render(read).contains("<img"), render(read));
        }
        Node linked = read("see ![the plan](https://example.org/plan.png)");
        assertEquals(1, nodes(linked, Link.class).size(), "still a link to follow: " + render(linked));
        assertTrue(render(linked).contains("!<a href=\"https://example.org/plan.png\">the plan</a>"), render(linked));
        assertEquals(List.of("![kept](in code)"), codes(read("`![kept](in code)`")));
        assertEquals("<blockquote>\n<p>done! [x]</p>\n</blockquote>\n", render(read("done! [x]")));
    }

    @Test
    void proseKeepsItsMarkdown() {
        assertEquals("<blockquote>\n<p>Use <code>git push</code> and <em>not</em> <strong>force</strong>, a \\ and a * literal</p>\n"
            + "</blockquote>\n", render(read("Use `git push` and *not* **force**, a \\ and a \\* literal")));
    }

    @Test
    void aBacktickWithoutItsPairIsAnEscapedBacktick() {
        Node read = read("it's a ` alone\nand \\`escaped\\` ones");
        assertTrue(codes(read).isEmpty(), render(read));
        assertTrue(TextContentRenderer.builder().build().render(read).contains("it's a ` alone\nand `escaped` ones"), render(read));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "`a` <img src=x onerror=alert(2)> `b`",
        "\\`<b>x</b>\\`",
        "\\\\`<b>x</b>`",
        "` <i>`</i>`",
        "``` <i>\n```",
        "~~~\n<b>\n~~~\n<i>",
        "````\n```\n<b>\n````\n<i>",
        "[a](`javascript:alert(1)`) [b](javascript:`x`) [c]( JavaScript\\:alert(3))",
        "<!-- `x` --> <a href='`'>`</a>",
        "&lt;b&gt; &#60;i&#62;",
        "\\\n`<b>`\\",
    })
    void nothingAMessageSaysBecomesLiveHtmlOrAScriptLink(String text) {
        Node read = read(text);
        assertTrue(nodes(read, HtmlInline.class).isEmpty() && nodes(read, HtmlBlock.class).isEmpty(), render(read));
        for (Link link : nodes(read, Link.class)) {
            String target = link.getDestination().toLowerCase(Locale.ROOT).strip();
            assertFalse(target.startsWith("javascript:") || target.startsWith("data:") || target.startsWith("vbscript:"), render(read));
        }
    }

    private static Node read(String text) {
        StringBuilder out = new StringBuilder();
        MarkdownQuote.append(out, List.of(text.split("\n", -1)));
        return PARSER.parse(out.toString());
    }

    private static String render(Node node) {
        return HtmlRenderer.builder().build().render(node);
    }

    private static List<String> codes(Node node) {
        return nodes(node, Code.class).stream().map(Code::getLiteral).toList();
    }

    private static <T extends Node> List<T> nodes(Node root, Class<T> type) {
        List<T> found = new ArrayList<>();
        collect(root, type, found);
        return found;
    }

    private static <T extends Node> void collect(Node node, Class<T> type, List<T> found) {
        if (type.isInstance(node)) {
            found.add(type.cast(node));
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            collect(child, type, found);
        }
    }
}
