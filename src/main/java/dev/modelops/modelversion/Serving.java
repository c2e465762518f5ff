package dev.modelops.modelversion;

/** Where the online serving of a version stands, from its Deployment. */
sealed interface Serving {

    /** No Deployment: Batch mode, or not created yet. */
    record None() implements Serving {
    }

    record Progressing(String message) implements Serving {
    }

    record Available() implements Serving {
    }

    /** The Deployment did not become available before its deadline. */
    record Failed(String message) implements Serving {
    }
}
