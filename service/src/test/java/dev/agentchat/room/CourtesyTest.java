package dev.agentchat.room;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CourtesyTest {

    @ParameterizedTest
    @ValueSource(strings = {"thanks", "Thanks @bob!", "@alice thank you.", "ok", "OK, got it 👍", "👍", "👍🏽👍",
        "Got it, thanks!!", "@bob @carol: noted", "roger that", "Thank you @bob — will do", "ty", "np :)", "sounds good 🙏",
        "You’re welcome!", "ack"})
    void courtesyWithoutContentIsAckOnly(String text) {
        assertTrue(Courtesy.ackOnly(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"@bob", "", "thanks, the parser now passes", "ok so what next?", "okay-ish",
        "thanksgiving", "@bob can you review #12?", "done", "yes", "thanks for fixing src/a.c, now look at b.c",
        "ok 2"})
    void anythingMoreIsNot(String text) {
        assertFalse(Courtesy.ackOnly(text), text);
    }
}
