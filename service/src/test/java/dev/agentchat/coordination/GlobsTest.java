package dev.agentchat.coordination;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class GlobsTest {

    @ParameterizedTest
    @CsvSource({
        "src/parser/**, src/parser/**, true",
        "src/parser/**, src/parser/lexer.c, true",
        "src/parser/**, src/*/lexer.c, true",
        "src/**, src/a/b/c.txt, true",
        "src/*.c, src/main.c, true",
        "src/*.c, src/sub/main.c, false",
        "src/a/*, src/b/*, false",
        "src/parser/**, src/lexer/**, false",
        "docs/*.md, docs/?EADME.md, true",
        "a*b, *c, false",
        "a*, *b, true",
        "**/*.java, src/Main.java, true",
        "**/*.java, src/Main.kt, false",
        "src/?, src/ab, false",
        "README.md, readme.md, false",
        "*, a/b, false",
        "**, anything/at/all, true",
    })
    void globsOverlapWhenSomePathMatchesBoth(String a, String b, boolean overlap) {
        assertEquals(overlap, Globs.overlap(a, b), a + " ~ " + b);
        assertEquals(overlap, Globs.overlap(b, a), b + " ~ " + a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "src/[ab].c", "src/{a,b}", "src/***", "a\\b", "tab\there"})
    void malformedGlobsAreRefused(String glob) {
        assertNotNull(Globs.refusal(glob), glob);
    }

    @Test
    void ordinaryPathsAndGlobsAreFine() {
        assertNull(Globs.refusal("src/parser/**"));
        assertNull(Globs.refusal("docs/README.md"));
        assertNotNull(Globs.refusal("x".repeat(Globs.MAX_LENGTH + 1)));
    }
}
