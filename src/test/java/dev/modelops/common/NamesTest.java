package dev.modelops.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    @Test
    void aNameThatFitsIsOwnerDashSuffix() {
        assertEquals("churn-v3-evaluate-1", Names.child("churn-v3", "evaluate-1", Names.LABEL_MAX));
    }

    @Test
    void aLongOwnerIsShortenedWithADigestOfItAndKeepsTheSuffix() {
        String owner = "fraud-detection-gradient-boosted-trees-2026-q4-candidate-7";
        String name = Names.child(owner, "compute-statistics-1", Names.LABEL_MAX);

        assertTrue(name.length() <= Names.LABEL_MAX, name);
        assertTrue(name.matches(DNS_LABEL), name);
        assertTrue(name.startsWith("fraud-detection-") && name.endsWith("-compute-statistics-1"), name);
        assertEquals(name, Names.child(owner, "compute-statistics-1", Names.LABEL_MAX), "deterministic");
        assertNotEquals(name, Names.child(owner.replace("7", "8"), "compute-statistics-1", Names.LABEL_MAX));
    }

    @Test
    void aSuffixLongerThanTheLimitIsShortenedWithADigestOfIt() {
        String longValue = "now-" + "a".repeat(100);
        String name = Names.child("churn-nightly", longValue, Names.LABEL_MAX);

        assertTrue(name.length() <= Names.LABEL_MAX, name);
        assertTrue(name.matches(DNS_LABEL), name);
        assertTrue(name.startsWith("churn-nightly-now-aaa"), name);
        assertEquals(name, Names.child("churn-nightly", longValue, Names.LABEL_MAX), "deterministic");
        assertNotEquals(name, Names.child("churn-nightly", longValue + "b", Names.LABEL_MAX));
    }

    @Test
    void aLongOwnerAndALongSuffixStillMakeAValidName() {
        String name = Names.child("b".repeat(52), "now-" + "1".repeat(80), Names.LABEL_MAX);

        assertTrue(name.length() <= Names.LABEL_MAX, name);
        assertTrue(name.matches(DNS_LABEL), name);
    }
}
