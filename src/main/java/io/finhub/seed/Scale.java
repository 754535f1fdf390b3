package io.finhub.seed;

/** Placeholder so the tree compiles while the seed generator is written (helper replaces this file). */
public enum Scale {
    DEMO,
    M,
    L
}
