package dev.modelops.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What the checks found wrong, each with what a user would see: a step run twice ({@code duplicates}), or work lost
 * (a ModelJob not ended, ended without its result or logs, a timeline out of order, a version at the wrong stage, a
 * model with no or two champions, a run now that did not run once, a bad input without its condition).
 */
final class Defects {

    enum Kind { DUPLICATE, LOST }

    record Defect(Kind kind, String subject, String what) {
    }

    private final List<Defect> found = new ArrayList<>();

    synchronized void duplicate(String subject, String what) {
        found.add(new Defect(Kind.DUPLICATE, subject, what));
    }

    synchronized void lost(String subject, String what) {
        found.add(new Defect(Kind.LOST, subject, what));
    }

    /** How many things were found so: a subject with several problems counts once. */
    synchronized long count(Kind kind) {
        return found.stream().filter(defect -> defect.kind() == kind).map(Defect::subject).distinct().count();
    }

    synchronized boolean about(String subject) {
        return found.stream().anyMatch(defect -> defect.subject().equals(subject));
    }

    synchronized void print(PrintStream out) {
        for (Defect defect : found) {
            out.println("defect: " + (defect.kind() == Kind.DUPLICATE ? "duplicate" : "lost") + " "
                    + defect.subject() + ": " + defect.what());
        }
    }
}
