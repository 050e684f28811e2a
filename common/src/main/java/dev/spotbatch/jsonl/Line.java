package dev.spotbatch.jsonl;

/**
 * One line of an input object, without its line terminator.
 *
 * @param offset the byte offset of the line's first byte in the object
 * @param next the offset of the byte after the line's terminator (where the next line starts)
 */
public record Line(long offset, long next, byte[] bytes) {}
