package dev.agentchat.room;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MentionsTest {
    @Test
    void namesAfterAtAreMentions() {
        assertEquals(List.of("bob", "carol-2", "d.e_f"), Mentions.in("@bob and @carol-2, also @d.e_f!"));
    }

    @Test
    void trailingPunctuationIsNotPartOfTheName() {
        assertEquals(List.of("bob", "eve"), Mentions.in("thanks @bob. and @eve-"));
    }

    @Test
    void emailAddressesAreNotMentions() {
        assertEquals(List.of(), Mentions.in("write to bob@example.com or x.y@z.org"));
    }

    @Test
    void sameNameInAnotherCaseIsOneMention() {
        assertEquals(List.of("Bob"), Mentions.in("@Bob @bob @BOB"));
    }

    @Test
    void loneAtSignIsNothing() {
        assertEquals(List.of(), Mentions.in("meet @ noon, @@ or @."));
    }

    @Test
    void mentionAtStartOfLineAndInParentheses() {
        assertEquals(List.of("ann", "ben"), Mentions.in("@ann\n(@ben)"));
    }
}
