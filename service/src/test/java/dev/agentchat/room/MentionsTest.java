package dev.agentchat.room;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void namesInAnyScriptAreMentions() {
        assertEquals(List.of("café", "エージェント", "агент-7", "दीपक"),
            Mentions.in("@café, @エージェント and @агент-7 meet @दीपक"));
    }

    @Test
    void combiningMarksBelongToTheName() {
        String decomposedCafe = "cafe\u0301";
        assertEquals(List.of(decomposedCafe), Mentions.in("merci @" + decomposedCafe + "!"));
    }

    @Test
    void punctuationAndSpaceEndAName() {
        assertEquals(List.of("ann", "ben", "cy", "dee", "émile", "ファ"),
            Mentions.in("@ann, @ben! @cy? @dee: (@émile) 「@ファ」"));
    }

    @Test
    void anAtSignEndsANameAndStartsNoMentionOfItsOwn() {
        assertEquals(List.of("ann"), Mentions.in("@ann@ben"));
    }

    @Test
    void unicodeEmailAddressesAreNotMentions() {
        assertEquals(List.of(), Mentions.in("écrire à josé@exemple.fr ou 名前@例え.jp"));
    }

    @Test
    void unicodeNamesAreOneMentionWhateverTheirCase() {
        assertEquals(List.of("Émile"), Mentions.in("@Émile @émile @ÉMILE"));
    }

    @Test
    void namesAreLookedUpCaseInsensitively() {
        List<String> names = Mentions.in("thanks @Café.");
        assertTrue(Mentions.includes(names, "café"));
        assertTrue(Mentions.includes(names, "CAFÉ"));
        assertFalse(Mentions.includes(names, "cafe"));
        assertFalse(Mentions.includes(null, "café"));
    }
}
